"""XLSX ballot files: the first worksheet (or ``ballots.sheet``), row 1 the header.

Typists key paper sheets into Excel; card readers export workbooks. Rows are streamed
(worksheet.py, which also refuses formulas without values and merged cells) and handed
on in chunks of XLSX_BATCH rows as Arrow tables, so the wide and long layouts treat a
workbook exactly like a CSV file: a row with a value past the header is a malformed row,
as a CSV row with too many fields is. A cell's line is its Excel row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator

import numpy as np
import pyarrow as pa

from pingyi.ballots.batch import Batch
from pingyi.ballots.files import BallotFile, FileNotes
from pingyi.ballots.header import Columns, columns
from pingyi.ballots.marks import MarkCodes
from pingyi.ballots.wide import wide_batch
from pingyi.ballots.worksheet import Worksheet
from pingyi.round.models import Round

XLSX_BATCH = 20_000


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


def xlsx_batches(r: Round, codes: MarkCodes, source: BallotFile) -> Generator[Batch, None, FileNotes]:
    """The sheets of a wide workbook, in row order; returns what reading noticed."""
    sheet = Worksheet(source, r.ballots.sheet)
    empty = 0
    try:
        if not any(sheet.header):
            raise source.problem("empty_file", "has no header row", line=1)
        cols = columns(r, source, sheet.header)
        position = {name: i for i, name in enumerate(sheet.header)}
        chunk: list[tuple[int, list[str]]] = []
        malformed: list[tuple[int, str]] = []
        for item in sheet.body(cols.read, ids=cols.sheet):
            if overlong(sheet.header, item[1]):
                malformed.append((item[0], csv_text(item[1], r.ballots.delimiter)))
                continue
            chunk.append(item)
            if len(chunk) == XLSX_BATCH:
                empty += yield from _chunk_batches(r, codes, source, cols, position, chunk)
                chunk = []
        if chunk:
            empty += yield from _chunk_batches(r, codes, source, cols, position, chunk)
    finally:
        sheet.close()
    size, sheet_at = source.path.stat().st_size, position[cols.sheet]
    return FileNotes("xlsx", cols.unused, tuple(malformed), empty, size, sheet_at=sheet_at)


def csv_text(row: list[str], delimiter: str) -> str:
    """A workbook row as the CSV line it would be (a cell holding the delimiter quoted), so
    a malformed row's fields are read back as the cells they were."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(row)
    return out.getvalue()


def overlong(header: list[str], row: list[str]) -> bool:
    """A row with a value past the header's last name: shifted by a cell (a paste or a
    reader misaligned), its marks would land on the wrong units. A CSV row with too many
    fields is a malformed row; so is this. (Fewer cells is normal: Excel does not store
    empty ones.)"""
    width = max((i + 1 for i, name in enumerate(header) if name.strip()), default=0)
    return any(text.strip() for text in row[width:])


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
