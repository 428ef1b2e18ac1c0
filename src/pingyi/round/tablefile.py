"""Small side tables named by a round file (units, adjustments): CSV or XLSX rows.

They are a few hundred rows at most, so they are read with the standard library and
openpyxl rather than the ballot readers; every row keeps its line for error messages.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pingyi.errors import PingyiError, Problem
from pingyi.round.yamlfile import read_text

Row = tuple[int, dict[str, str]]


def read_rows(path: Path, display: str, required: tuple[str, ...]) -> list[Row]:
    """(line, {column: text}) for every non-empty row; the header must hold ``required``."""
    if not path.is_file():
        raise PingyiError([Problem(display, None, "", "file_not_found", "file not found")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows = _xlsx_rows(path)
    else:
        reader = csv.reader(io.StringIO(read_text(path, display)))
        header, *body = list(reader) or [[]]
        rows = list(enumerate(body, start=2))
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise PingyiError(
            [
                Problem(
                    display,
                    1,
                    "",
                    "missing_column",
                    f"missing column(s) {', '.join(missing)} (header has: {', '.join(header)})",
                )
            ]
        )
    out: list[Row] = []
    for line, cells in rows:
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        if any(values.values()):
            out.append((line, values))
    return out


def _xlsx_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        return [], []
    return rows[0], list(enumerate(rows[1:], start=2))
