"""A quote opened by mistake: the sheets after it, up to the next quote, read as one cell.

A stray ``"`` in a ballot file swallows the rows after it into one quoted cell. Counted,
they would be one invalid mark (or one malformed row) instead of many sheets, silently;
so such a file is refused as ``runaway_quote`` on the quote's line. The signs: a cell the
round reads (a sheet id, a stratum, a mark) that runs across lines and holds the
delimiter, a piece of a row; or, in any cell, a line that looks like a whole row, with as
many delimiters as the header less one and one of the round's strata where the stratum
is (a note with line breaks and commas in it is not that).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pingyi.ballots.files import BallotFile
from pingyi.ballots.lines import TEXT_BREAK
from pingyi.errors import PingyiError


@dataclass(frozen=True)
class RowShape:
    """What a line of one ballot file looks like."""

    fields: int  # the header's
    delimiter: str
    stratum_at: int  # the stratum's field
    strata: frozenset[str]  # the round's stratum ids

    def is_row(self, line: str) -> bool:
        """Whether ``line`` (a line inside a cell) looks like a row of this file."""
        if line.count(self.delimiter) < self.fields - 1:
            return False
        return field_at(line, self.delimiter, self.stratum_at) in self.strata


def field_at(text: str, delimiter: str, index: int) -> str:
    """Field ``index`` of one CSV line's ``text`` (trimmed; '' past its end), quoted fields
    kept whole; split plainly where a field is too long for the csv module."""
    try:
        fields = next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error:  # a field past csv.field_size_limit
        fields = text.split(delimiter)
    return fields[index].strip() if index < len(fields) else ""


def refuse_swallowed_rows(
    source: BallotFile,
    record: pa.RecordBatch | pa.Table,
    lines: np.ndarray,
    breaks: np.ndarray | None,
    shape: RowShape,
    read: set[str],
) -> None:
    """The runaway quote in a row the parser kept: a ``"`` opening a field takes the lines
    after it into that cell, up to the next quote, and the row may still have the right
    number of fields (a quote in the last field; a quoted cell further down closing it).
    ``read`` names the columns the round reads. Only rows with line breaks in a cell
    (``breaks``, lines.row_breaks) are looked at."""
    if breaks is None or not breaks.any():
        return
    rows = np.flatnonzero(breaks)
    for name, column in zip(record.column_names, record.columns, strict=True):
        cells = column.take(pa.array(rows)).to_pylist()
        for row, cell in zip(rows.tolist(), cells, strict=True):
            text = cell.decode("utf-8", "replace") if isinstance(cell, bytes) else str(cell or "")
            inner = TEXT_BREAK.split(text)[1:]
            piece = bool(inner) and name in read and shape.delimiter in text
            if piece or any(shape.is_row(part) for part in inner):
                raise _runaway(source, int(lines[row]), len(inner))


def refuse_runaway_quotes(source: BallotFile, malformed: Sequence[tuple[int, str]], shape: RowShape) -> None:
    """The runaway quote in a malformed row (the parser's text of it), where the quote left
    the row with the wrong number of fields."""
    for line, text in malformed:
        _refuse(source, text, line, shape)


def _refuse(source: BallotFile, text: str, line: int, shape: RowShape) -> None:
    inner = TEXT_BREAK.split(text)[1:]
    if any(shape.is_row(part) for part in inner):
        raise _runaway(source, line, len(inner))


def _runaway(source: BallotFile, line: int, breaks: int) -> PingyiError:
    return source.problem(
        "runaway_quote",
        f"a quoted cell opened on this line runs over {breaks + 1} lines (a stray '\"'?): "
        "the sheets inside it cannot be read; fix the quote, or remove it",
        line,
    )
