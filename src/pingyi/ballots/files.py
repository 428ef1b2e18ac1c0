"""A ballot file as the readers see it, and what reading it noticed besides sheets.

Readers never change a :class:`BallotFile`: they *return* a :class:`FileNotes` (the
encoding, malformed rows, empty lines, unused columns, bytes read), and the counting core
attaches it to the file once the file is read. So a second pass over a file (count.py's
conflict pass) cannot disturb what the first pass found.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from pingyi.ballots.batch import Batch
from pingyi.errors import PingyiError, Problem

#: Work a reader thread applies to each batch it reads (see count.py ``_Counter.prepare``).
Prepare = Callable[[Batch], None]

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class OnlineNotes:
    """What reading an online export noticed: its channel (the round's ``ballots.source``),
    its header's mapping (what ``pingyi check`` shows) and each row's line and stratum
    (for the counts per channel)."""

    channel: str
    mapping: dict[str, Any]
    lines: np.ndarray = field(compare=False)
    strata: np.ndarray = field(compare=False)


@dataclass(frozen=True)
class FileNotes:
    """What reading one file found besides sheets."""

    encoding: str = ""  # "utf-8", "gb18030" or "xlsx"
    unused_columns: tuple[str, ...] = ()
    malformed: tuple[tuple[int, str], ...] = ()  # (line, text) of rows with a wrong field count
    empty_lines: int = 0
    bytes_read: int = 0
    online: OnlineNotes | None = None  # an online export (pingyi.ballots.online)
    sheet_at: int = 0  # the sheet id's field in a row, to name a malformed row's sheet


@dataclass(frozen=True)
class BallotFile:
    """One input file: where it is, how messages name it, its place in the sorted order,
    and (once read) what reading it noticed."""

    path: Path
    display: str
    index: int
    notes: FileNotes = field(default_factory=FileNotes)

    @property
    def encoding(self) -> str:
        return self.notes.encoding

    @property
    def empty_lines(self) -> int:
        return self.notes.empty_lines

    @property
    def unused_columns(self) -> list[str]:
        return list(self.notes.unused_columns)

    @property
    def malformed(self) -> list[tuple[int, str]]:
        return list(self.notes.malformed)

    @property
    def bytes_read(self) -> int:
        return self.notes.bytes_read

    @property
    def channel(self) -> str:
        """How its sheets came in: ``paper``, or the online source (``wjx``)."""
        return self.notes.online.channel if self.notes.online is not None else "paper"

    def problem(self, code: str, message: str, line: int | None = None, column: str = "") -> PingyiError:
        """A located error in this file."""
        return PingyiError([Problem(self.display, line, column, code, message)])


def drain(reading: Generator[T, None, R]) -> tuple[list[T], R]:
    """Every item of a reader, and what it returned (for a reader thread's range)."""
    items: list[T] = []
    while True:
        try:
            items.append(next(reading))
        except StopIteration as stop:
            return items, stop.value
