"""Numeric marks read exactly: ``87.5`` is 875000 ten-thousandths, never a binary float.

A cell holds a decimal number in the scale's range (``scale.numeric``), written with
ASCII digits, an optional sign and at most :data:`~pingyi.round.numeric.DECIMALS`
decimals (more decimals are allowed only as trailing zeros: ``87.50000``); spaces around
it are ignored. Anything else is an invalid mark: text (``八十``, ``85分``), a number out
of range, two numbers (``80 90``), too many decimals (``87.12345``). An empty cell, or a
text of ``ballots.blank_codes``, is a blank; a text of ``ballots.invalid_codes`` invalid.

A column is decoded without a Python loop per mark: the cells of a batch are
dictionary-encoded by pyarrow (hashing, in C), each distinct text is parsed once (a
round's marks take a few hundred texts: 0–100 in halves), and the codes and values are
looked up by the dictionary indices. Each valid number is counted under a mark option:
``satisfied``/``unsatisfied`` against ``satisfaction.satisfied_at_least``, else
``number`` (pingyi.round.numeric).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.round.numeric import DECIMALS, SCALE

_NUMBER = re.compile(r"([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))")
_LONGEST = 16  # digits before the point: beyond any range pingyi accepts


@dataclass(frozen=True)
class NumericMarks:
    """How one round reads numbers: its range and satisfied line, scaled by 10**DECIMALS."""

    low: int
    high: int
    line: Fraction | None
    table: dict[str, int]  # texts of ballots.blank_codes / invalid_codes -> code
    blank: int
    invalid: int
    _parsed: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def parse(self, text: str) -> tuple[int, int]:
        """(code, value × 10**DECIMALS) of one cell; the value is 0 unless the code is an
        option's (a valid number)."""
        known = self._parsed.get(text)
        if known is not None:
            return known
        found = self._parse(text.strip())
        self._parsed[text] = found
        return found

    def _parse(self, text: str) -> tuple[int, int]:
        if text in self.table:
            return self.table[text], 0
        if not text:
            return self.blank, 0
        match = _NUMBER.fullmatch(text)
        if match is None:
            return self.invalid, 0
        sign, whole, decimals, only_decimals = match.groups()
        digits = (decimals if whole is not None else only_decimals) or ""
        digits = digits.rstrip("0")
        whole = (whole or "0").lstrip("0") or "0"
        if len(digits) > DECIMALS or len(whole) > _LONGEST:
            return self.invalid, 0
        value = int(whole) * SCALE + int(digits.ljust(DECIMALS, "0"))
        value = -value if sign == "-" else value
        if not self.low <= value <= self.high:
            return self.invalid, 0
        satisfied = self.line is None or Fraction(value, SCALE) >= self.line
        return (0 if satisfied else 1), value

    def decode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """int8 codes and int64 values of a list of cell texts."""
        parsed = [self.parse(t) for t in texts]
        codes = np.fromiter((c for c, _ in parsed), dtype=np.int8, count=len(parsed))
        values = np.fromiter((v for _, v in parsed), dtype=np.int64, count=len(parsed))
        return codes, values

    def columns(self, columns: list[pa.Array | pa.ChunkedArray]) -> tuple[np.ndarray, np.ndarray]:
        """int8 codes and int64 values (rows, columns) of columns of cell texts."""
        n = len(columns[0]) if columns else 0
        if not columns or not n:
            return np.zeros((n, len(columns)), np.int8), np.zeros((n, len(columns)), np.int64)
        cells = pa.concat_arrays([_strings(c) for c in columns])
        if cells.null_count:  # CSV cells never are null; a workbook's may be
            cells = pc.fill_null(cells, "")
        encoded = pc.dictionary_encode(cells)
        codes, values = self.decode(encoded.dictionary.to_pylist())
        index = encoded.indices.to_numpy(zero_copy_only=False).reshape(len(columns), n).T
        return codes[index], values[index]  # gathered straight into (rows, columns) order


def _strings(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.type != pa.string():
        column = column.cast(pa.string())
    return column


def stratum_sums(
    values: np.ndarray, stratum: np.ndarray, strata: int, rows_at_once: int = 4096
) -> np.ndarray:
    """int64 (cells × strata) sums of ``values`` (rows, cells) by each row's stratum.

    Blank, invalid and unrated cells hold 0. A float64 bincount is exact here: a slice of
    ``rows_at_once`` rows adds at most 4,096 × 10**10 < 2**53 in any bin (LIMIT).
    """
    cells = values.shape[1]
    offset = np.arange(cells, dtype=np.int64) * strata
    sums = np.zeros(cells * strata, dtype=np.int64)
    for first in range(0, len(values), rows_at_once):
        part = slice(first, first + rows_at_once)
        keys = offset[None, :] + stratum[part].astype(np.int64)[:, None]
        weights = values[part].astype(np.float64).ravel()
        sums += np.rint(np.bincount(keys.ravel(), weights=weights, minlength=sums.size)).astype(np.int64)
    return sums
