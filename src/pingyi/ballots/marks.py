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

from pingyi.ballots import arrowtext
from pingyi.ballots.numeric import NumericMarks
from pingyi.round.models import Round
from pingyi.round.numeric import SCALE


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

        Card readers write one ASCII byte a cell (or nothing), so a cell is looked up by
        its first byte in a table (byte_table), a column at a time into a column-major
        result (each column's codes land in one contiguous stretch: no strided writes,
        no temporaries wider than a column). Longer cells (``AB``, `` A``, ``√``) are
        packed into 64-bit keys and decoded once per distinct text. Columns may be
        ``string`` or ``binary`` (the CSV reader has checked the UTF-8 already).
        """
        arrays = [_plain_bytes(c) for c in columns]
        n = len(arrays[0]) if arrays else 0
        out = np.empty((n, len(arrays)), dtype=np.int8, order="F")
        table = self.byte_table()
        longer = _LongCells()
        for j, array in enumerate(arrays):
            self._column_codes(array, n, out[:, j], table, longer, j * n)
        if longer.places:
            flat = out.T.reshape(-1)  # a view: column j's cells at j*n ..
            flat[np.concatenate(longer.places)] = self._long_codes(*longer.joined())
        return out

    def _column_codes(
        self, array: pa.Array, n: int, out: np.ndarray, table: np.ndarray, longer: _LongCells, place: int
    ) -> None:
        """One column's codes into ``out``; its cells longer than a byte go to ``longer``."""
        offsets = arrowtext.offsets(array)
        if not n or offsets[n] == offsets[0]:
            out[:] = self.blank  # every cell empty
            return
        data = arrowtext.data(array)
        starts = offsets[:-1]
        first_bytes = np.take(data, starts, mode="clip")  # an empty last cell's start is past the data
        np.take(table, first_bytes, out=out, mode="clip")
        lengths = np.diff(offsets)
        np.putmask(out, lengths == 0, self.blank)
        rows = np.flatnonzero(lengths > 1)
        if len(rows):
            longer.add(data, rows + place, starts[rows], lengths[rows])

    def _long_codes(self, data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Codes of cells longer than one byte: decoded once per distinct content (and
        remembered across batches by their key, which holds cells of up to 7 bytes whole)."""
        # the key's top byte is the length, or 8 for any longer cell (decoded one by one
        # below): a length past 255 must not wrap onto a short cell's key
        keys = np.minimum(lengths, 8).astype(np.uint64) << np.uint64(56)
        for position in range(min(int(lengths.max()), 7)):
            live = lengths > position
            byte = np.where(live, data[np.minimum(starts + position, len(data) - 1)], 0)
            keys |= byte.astype(np.uint64) << np.uint64(8 * position)
        distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        known: dict[int, int] = self.__dict__.setdefault("_long_known", {})

        def text(row: int) -> str:
            return bytes(data[starts[row] : starts[row] + lengths[row]]).decode("utf-8", "replace")

        table = np.empty(len(distinct), dtype=np.int8)
        for i, (key, row) in enumerate(zip(distinct.tolist(), first.tolist(), strict=True)):
            code = known.get(key)
            if code is None:
                code = self.code(text(row))
                if lengths[row] <= 7:
                    known[key] = code
            table[i] = code
        codes: np.ndarray = table[inverse]
        for row in np.nonzero(lengths > 7)[0]:  # keys hold 7 bytes: longer cells one by one
            codes[row] = self.code(text(int(row)))
        return codes

    def byte_table(self) -> np.ndarray:
        """Codes of one-byte cells, indexed by the cell's byte. A cell of one byte is ASCII
        in UTF-8; bytes from 128 up only start longer cells, which are decoded apart, so
        their entries are never used."""
        table = self.__dict__.get("_byte_table")
        if table is None:
            ascii_codes = [self.code(chr(b)) for b in range(128)]
            table = np.array(ascii_codes + [self.invalid] * 128, dtype=np.int8)
            object.__setattr__(self, "_byte_table", table)
        return table


class _LongCells:
    """The cells longer than a byte of one batch's columns, gathered to be decoded at once."""

    def __init__(self) -> None:
        self.datas: list[np.ndarray] = []
        self.places: list[np.ndarray] = []  # flat places in the (columns, rows) codes
        self.starts: list[np.ndarray] = []  # into the joined data
        self.lengths: list[np.ndarray] = []
        self.size = 0

    def add(self, data: np.ndarray, places: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> None:
        self.datas.append(data)
        self.places.append(places)
        self.starts.append(starts.astype(np.int64) + self.size)
        self.lengths.append(lengths)
        self.size += len(data)

    def joined(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.concatenate(self.datas), np.concatenate(self.starts), np.concatenate(self.lengths)


def _plain_bytes(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One ``string`` or ``binary`` array with 32-bit offsets (what the buffers are read as)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(column, pa.DictionaryArray) or column.type not in (pa.string(), pa.binary()):
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
