"""Mark codes: what a cell of a scanned sheet says about one unit.

Every cell becomes a small integer: ``0..n-1`` for the scale's options (in scale order),
then ``BLANK``, ``INVALID`` and ``NOT_RATED`` (the unit is not on the sheet's form); a
numeric scale's cells are numbers, counted under its mark options (numeric.py). Card
readers differ (SPEC "Ballot files"): some write a space for a blank, ``>`` for a
multi-mark, ``1/2/3`` or ``√`` for options, or the marked codes joined (``AC``); the round's
``ballots`` section says which, and anything unknown is an invalid mark, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pingyi.ballots.numeric import NumericMarks
from pingyi.round.models import Round
from pingyi.round.numeric import SCALE

COLUMN_GROUP = 32  # unit columns decoded together


@dataclass(frozen=True)
class MarkCodes:
    """The integer codes of one round's marks, and how cell text maps to them."""

    option_codes: tuple[str, ...]
    table: dict[str, int]
    numeric: NumericMarks | None = None  # a numeric scale: cells are numbers (numeric.py)

    @property
    def blank(self) -> int:
        return len(self.option_codes)

    @property
    def invalid(self) -> int:
        return len(self.option_codes) + 1

    @property
    def not_rated(self) -> int:
        return len(self.option_codes) + 2

    @property
    def counted(self) -> int:
        """How many codes are counted per unit: the options, blank and invalid."""
        return len(self.option_codes) + 2

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the counted codes, as in results.json ``counts``."""
        return (*self.option_codes, "blank", "invalid")

    def code(self, text: str) -> int:
        """The code of one cell's text (whitespace around it ignored)."""
        if self.numeric is not None:
            return self.numeric.parse(text)[0]
        return self.table.get(text.strip(), self.blank if not text.strip() else self.invalid)

    def lookup(self, texts: list[str]) -> np.ndarray:
        """Codes of a dictionary of cell texts, as an int8 table to index with."""
        return np.fromiter((self.code(t) for t in texts), dtype=np.int8, count=len(texts))

    def columns(self, columns: list[pa.Array | pa.ChunkedArray]) -> np.ndarray:
        """int8 codes (rows, columns) of columns of cell texts, straight from Arrow buffers.

        Card readers write one ASCII byte a cell (or nothing), so such cells are looked up
        by their byte in a 128-entry table, a group of columns at a time (which bounds the
        temporaries). Longer cells (``AB``, `` A``, ``√``) are packed into 64-bit keys and
        decoded once per distinct text.
        """
        arrays = [_plain_strings(c) for c in columns]
        n = len(arrays[0]) if arrays else 0
        out = np.empty((n, len(arrays)), dtype=np.int8)
        for first in range(0, len(arrays), COLUMN_GROUP):
            group = arrays[first : first + COLUMN_GROUP]
            out[:, first : first + len(group)] = self._group_codes(group, n).T
        return out

    def _group_codes(self, arrays: list[pa.Array], n: int) -> np.ndarray:
        datas, offsets, base = [], [], 0
        for array in arrays:
            buffer = array.buffers()[2]
            data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, np.uint8)
            raw = np.frombuffer(array.buffers()[1], dtype=np.int32, count=n + 1, offset=array.offset * 4)
            offsets.append(raw + np.int32(base))
            datas.append(data)
            base += len(data)
        data = np.concatenate(datas + [np.zeros(1, np.uint8)])
        bounds = np.stack(offsets)
        starts, lengths = bounds[:, :-1], np.diff(bounds, axis=1)
        codes: np.ndarray = self.byte_table()[data[starts] & 0x7F]
        np.putmask(codes, lengths == 0, self.blank)
        longer = np.flatnonzero(lengths > 1)
        if len(longer):
            flat_starts, flat_lengths = starts.ravel(), lengths.ravel()
            codes.ravel()[longer] = self._long_codes(
                data, flat_starts[longer].astype(np.int64), flat_lengths[longer]
            )
        return codes

    def _long_codes(self, data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Codes of cells longer than one byte: decoded once per distinct content."""
        keys = lengths.astype(np.uint64) << np.uint64(56)
        for position in range(min(int(lengths.max()), 7)):
            live = lengths > position
            byte = np.where(live, data[np.minimum(starts + position, len(data) - 1)], 0)
            keys |= byte.astype(np.uint64) << np.uint64(8 * position)
        distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        table = np.empty(len(distinct), dtype=np.int8)

        def text(row: int) -> str:
            return bytes(data[starts[row] : starts[row] + lengths[row]]).decode("utf-8", "replace")

        for i, row in enumerate(first):
            table[i] = self.code(text(int(row)))
        codes: np.ndarray = table[inverse]
        for row in np.nonzero(lengths > 7)[0]:  # keys hold 7 bytes: longer cells one by one
            codes[row] = self.code(text(int(row)))
        return codes

    def byte_table(self) -> np.ndarray:
        """Codes of the one-byte cells (ASCII), indexed by the byte."""
        table = self.__dict__.get("_byte_table")
        if table is None:
            table = np.array([self.code(chr(b)) for b in range(128)], dtype=np.int8)
            object.__setattr__(self, "_byte_table", table)
        return table


def _plain_strings(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(column, pa.DictionaryArray) or column.type != pa.string():
        column = column.cast(pa.string())
    return column


def mark_codes(r: Round) -> MarkCodes:
    """The mark codes of a round: its options, its reader's aliases, blank and invalid codes.
    A numeric scale's options are the mark options numbers are counted under."""
    if r.scale.numeric is not None:
        return _numeric_codes(r)
    options = tuple(o.code for o in r.scale.options)
    table = {code: i for i, code in enumerate(options)}
    for read, code in r.ballots.marks.items():
        table[read.strip()] = options.index(code)
    blank = len(options)
    for text in r.ballots.blank_codes:
        table[text.strip()] = blank
    for text in r.ballots.invalid_codes:
        table[text.strip()] = blank + 1
    table[""] = blank
    return MarkCodes(options, table)


def _numeric_codes(r: Round) -> MarkCodes:
    numeric = r.scale.numeric
    assert numeric is not None
    options = tuple(o.code for o in r.mark_options())
    blank, invalid = len(options), len(options) + 1
    table = {text.strip(): blank for text in r.ballots.blank_codes}
    table |= {text.strip(): invalid for text in r.ballots.invalid_codes}
    table[""] = blank
    low, high = (int(bound * SCALE) for bound in (numeric.min, numeric.max))
    marks = NumericMarks(low, high, r.satisfaction.satisfied_at_least, dict(table), blank, invalid)
    return MarkCodes(options, table, marks)
