"""XLSX ballot files: the first worksheet (or ``ballots.sheet``), row 1 the header.

Typists key paper sheets into Excel; card readers export workbooks. Rows are read with
openpyxl's read-only mode (streamed) and handed on in chunks of XLSX_BATCH rows as Arrow
tables, so the wide and long layouts treat a workbook exactly like a CSV file. A cell's
line is its Excel row number.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from pingyi.ballots.batch import Batch
from pingyi.ballots.files import BallotFile, FileNotes
from pingyi.ballots.header import Columns, columns
from pingyi.ballots.marks import MarkCodes
from pingyi.ballots.wide import wide_batch
from pingyi.round.models import Round

XLSX_BATCH = 20_000

Rows = Iterator[tuple[int, list[str]]]  # (Excel row number, cell texts)


def xlsx_rows(r: Round, source: BallotFile) -> tuple[list[str], Rows, Any]:
    """The header, the numbered rows after it, and the open workbook (close it when done)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise source.problem("not_xlsx", f"cannot be opened as a workbook: {exc}") from None
    name = r.ballots.sheet
    if name is not None and name not in book.sheetnames:
        raise source.problem(
            "missing_sheet", f"has no worksheet '{name}' (it has: {', '.join(book.sheetnames)})"
        )
    sheet = book[name] if name else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(rows, ())]
    numbered = ((line, [_cell_text(v) for v in row]) for line, row in enumerate(rows, start=2))
    return header, numbered, book


def column_table(names: list[str], position: dict[str, int], chunk: list[tuple[int, list[str]]]) -> pa.Table:
    """The columns ``names`` of a chunk of rows, as an Arrow table of strings."""
    return pa.table(
        {
            name: pa.array(
                [row[position[name]] if position[name] < len(row) else "" for _, row in chunk], pa.string()
            )
            for name in names
        }
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def xlsx_batches(r: Round, codes: MarkCodes, source: BallotFile) -> Generator[Batch, None, FileNotes]:
    """The sheets of a wide workbook, in row order; returns what reading noticed."""
    header, rows, book = xlsx_rows(r, source)
    empty = 0
    try:
        if not any(header):
            raise source.problem("empty_file", "has no header row", line=1)
        cols = columns(r, source, header)
        position = {name: i for i, name in enumerate(header)}
        chunk: list[tuple[int, list[str]]] = []
        for item in rows:
            chunk.append(item)
            if len(chunk) == XLSX_BATCH:
                empty += yield from _chunk_batches(r, codes, source, cols, position, chunk)
                chunk = []
        if chunk:
            empty += yield from _chunk_batches(r, codes, source, cols, position, chunk)
    finally:
        book.close()
    return FileNotes("xlsx", cols.unused, (), empty, source.path.stat().st_size)


def _chunk_batches(
    r: Round,
    codes: MarkCodes,
    source: BallotFile,
    cols: Columns,
    position: dict[str, int],
    chunk: list[tuple[int, list[str]]],
) -> Generator[Batch, None, int]:
    lines = np.array([line for line, _ in chunk], dtype=np.int64)
    batch, empty = wide_batch(r, codes, source, cols, column_table(cols.read, position, chunk), lines)
    if batch is not None:
        yield batch
    return empty
