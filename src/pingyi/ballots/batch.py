"""A batch of sheets as every reader hands it to the counting core.

Readers (wide CSV, XLSX, long layout) differ in what they parse; the counting core sees
only this: each row's file and line, sheet id, stratum and form indices, and one mark
code per cell (a unit, or a unit × item: pingyi.round.items), with a numeric scale also
each cell's number. Reasons a reader already knows (a malformed row, a long-layout sheet with
two strata) travel in ``preset``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
import pyarrow as pa


class Reason(IntEnum):
    """Why a sheet is not counted; the names are the stable codes of rejects.csv."""

    none = 0
    malformed_row = 1
    missing_sheet_id = 2
    unknown_stratum = 3
    unknown_form = 4
    unknown_unit = 5
    conflicting_stratum = 6
    missing_column = 7
    off_form_mark = 8
    all_blank = 9
    too_many_invalid = 10
    duplicate = 11
    conflicting_duplicate = 12
    ip_limit = 13
    too_fast = 14
    unknown_answer = 15
    unknown_item = 16
    over_option_cap = 17


@dataclass
class Batch:
    """Rows of one file, normalised."""

    file: int
    lines: np.ndarray  # int64: the line of each row in its file
    sheet: pa.Array  # sheet ids, whitespace trimmed
    stratum: np.ndarray  # int16: index into round.strata, -1 unknown
    form: np.ndarray  # int16: index into the round's forms, -1 unknown (0 without forms)
    marks: np.ndarray  # int8 (rows, cells): MarkCodes; a cell is a unit, or a unit × item
    raw_stratum: pa.Array  # the stratum text, for reject details
    raw_form: pa.Array | None
    missing_units: tuple[int, ...] = ()  # unit columns this file lacks
    preset: np.ndarray | None = None  # int8 Reason already known per row
    details: dict[int, str] | None = None  # row -> the words of its preset reason (online checks)
    prepared: Any = None  # what the counting core worked out in the reader's thread
    bytes_read: int = 0  # bytes of the file read for this batch (for the progress bar)
    values: np.ndarray | None = None  # int64 (rows, cells): numeric marks × 10**4 (numeric.py)
    # where a CSV batch was read: its byte range (start, end, read with quotes) and the lines
    # before that range, so the conflict pass can read that range again, not the whole file
    span: tuple[int, int, bool] | None = None
    line_offset: int = 0

    def __len__(self) -> int:
        return len(self.lines)
