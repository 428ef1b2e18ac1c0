"""Mark codes: what a cell of a scanned sheet says about one unit.

Every cell becomes a small integer: ``0..n-1`` for the scale's options (in scale order),
then ``BLANK``, ``INVALID`` and ``NOT_RATED`` (the unit is not on the sheet's form). Card
readers differ (SPEC "Ballot files"): some write a space for a blank, ``>`` for a
multi-mark, ``1/2/3`` or ``√`` for options, or the marked codes joined (``AC``); the round's
``ballots`` section says which, and anything unknown is an invalid mark, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pingyi.round.models import Round


@dataclass(frozen=True)
class MarkCodes:
    """The integer codes of one round's marks, and how cell text maps to them."""

    option_codes: tuple[str, ...]
    table: dict[str, int]

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
        return self.table.get(text.strip(), self.blank if not text.strip() else self.invalid)

    def lookup(self, texts: list[str]) -> np.ndarray:
        """Codes of a dictionary of cell texts, as an int8 table to index with."""
        return np.fromiter((self.code(t) for t in texts), dtype=np.int8, count=len(texts))


def mark_codes(r: Round) -> MarkCodes:
    """The mark codes of a round: its options, its reader's aliases, blank and invalid codes."""
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
