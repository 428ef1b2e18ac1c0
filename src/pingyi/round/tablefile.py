"""Small side tables named by a round file (units, adjustments): CSV or XLSX rows.

They are a few hundred rows at most, so they are read with the standard library and
openpyxl rather than the ballot readers; every row keeps its line for error messages.
"""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

from pingyi.errors import PingyiError, Problem, refuse_os
from pingyi.round.yamlfile import read_text

Row = tuple[int, dict[str, str]]

#: What a side table may be: CSV, or an Excel workbook (its first sheet).
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def read_rows(path: Path, display: str, required: tuple[str, ...]) -> list[Row]:
    """(line, {column: text}) for every non-empty row; the header must hold ``required``."""
    refuse_os(path, display)
    if not path.is_file():
        raise PingyiError([Problem(display, None, "", "file_not_found", "file not found")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows = _xlsx_rows(path, display)
    else:
        reader = csv.reader(io.StringIO(read_text(path, display)))
        header, *body = list(reader) or [[]]
        rows = list(enumerate(body, start=2))
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise PingyiError(
            [Problem(display, 1, "", "missing_column", _missing_message(required, missing, header))]
        )
    out: list[Row] = []
    for line, cells in rows:
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        if any(values.values()):
            out.append((line, values))
    return out


def _missing_message(required: tuple[str, ...], missing: list[str], header: list[str]) -> str:
    """What the header lacks, naming only cells that are surely column names.

    A file without the header (or not a table at all: ``units: /etc/shadow`` renamed)
    has data on its first line, which must never reach a message. So the first line is
    shown only when it holds one of the expected columns, and otherwise only a cell
    that is nearly an expected name (``Name`` for ``name``).
    """
    message = (
        f"missing column(s) {', '.join(missing)} (the first line must be a header naming the "
        f"columns {', '.join(required)}"
    )
    if any(c in header for c in required):
        shown = ", ".join(repr(h[:40]) for h in header)
        message += f"; it has {shown}"
    folded = {h.casefold(): h for h in header}
    near = []
    for column in missing:
        hit = difflib.get_close_matches(column.casefold(), list(folded), n=1, cutoff=0.75)
        if hit:
            near.append(f"{folded[hit[0]][:40]!r} for '{column}'")
    if near:
        message += f"; did you mean {', '.join(near)}? column names are exact"
    elif not any(c in header for c in required):
        message += f"; its first line has {len(header)} column(s), none of them one of these"
    return message + ")"


def _xlsx_rows(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise PingyiError(
            [Problem(display, None, "", "unreadable", "is not an Excel workbook (.xlsx) that can be read")]
        ) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        return [], []
    return rows[0], list(enumerate(rows[1:], start=2))
