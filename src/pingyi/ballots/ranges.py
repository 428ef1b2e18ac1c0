"""Large CSV files are cut into byte ranges, read by parallel threads, handed on in order.

pyarrow's CSV parsing and numpy release the GIL, so two reader threads nearly halve the
time of a province-wide file (10^6 sheets). Ranges are cut just after a newline, and only
in UTF-8 files without any quote character (a quoted field may hold a newline, and a cut
could fall inside it). Each range numbers its lines from 1; its batches, malformed rows
and errors are shifted to the file's numbering by the lines of the ranges before it, so
the count, the rejects and every line are exactly the sequential ones.
"""

from __future__ import annotations

import dataclasses
import mmap
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice

from pingyi.ballots.batch import Batch
from pingyi.ballots.files import BallotFile, drain
from pingyi.errors import PingyiError

RANGE_BYTES = 8 << 20  # a large UTF-8 file is cut into ranges of this size …
READERS = 2  # … read by this many threads


@dataclass(frozen=True)
class RangeNotes:
    """What reading one byte range found besides sheets (lines counted from the range's own
    first line)."""

    malformed: tuple[tuple[int, str], ...] = ()
    empty_lines: int = 0
    bytes_read: int = 0
    lines: int = 0  # lines of the range, to shift the ranges after it


#: Reads bytes ``start..end`` of a file: its batches, then what it noticed.
RangeReader = Callable[[int, int], Generator[Batch, None, RangeNotes]]


def has_quotes(source: BallotFile) -> bool:
    """Whether the file holds a ``"`` anywhere (a byte no GB18030 or UTF-8 sequence uses
    inside a character), found by one memchr-speed scan of the mapped file."""
    if source.path.stat().st_size == 0:
        return False
    with open(source.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b'"') >= 0


def byte_ranges(source: BallotFile, encoding: str, quoted: bool) -> list[tuple[int, int]]:
    """Where to cut a large file for parallel readers: after a newline, every RANGE_BYTES.

    Only UTF-8 files without quote characters are cut (a quoted field may hold a
    newline, and then a cut could fall inside it); anything else is one range.
    """
    size = source.path.stat().st_size
    if size < 2 * RANGE_BYTES or encoding != "utf-8" or quoted:
        return [(0, size)]
    cuts = [0]
    with open(source.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        while cuts[-1] + RANGE_BYTES < size:
            newline = data.find(b"\n", cuts[-1] + RANGE_BYTES)
            if newline < 0 or newline + 1 >= size:
                break
            cuts.append(newline + 1)
    return list(zip(cuts, cuts[1:] + [size], strict=True))


def parallel_batches(read: RangeReader, ranges: list[tuple[int, int]]) -> Generator[Batch, None, RangeNotes]:
    """Read byte ranges in READERS threads, and hand their batches on in file order, so
    the count is exactly the sequential one; return what all ranges noticed.

    At most READERS ranges are read or held at once, so memory is bounded by the range
    size, not the file.
    """
    todo: Iterator[tuple[int, int]] = iter(ranges)
    offset = 0
    malformed: list[tuple[int, str]] = []
    empty = done = 0
    with ThreadPoolExecutor(READERS) as pool:
        pending = deque(pool.submit(drain, read(*span)) for span in islice(todo, READERS))
        while pending:
            try:
                batches, notes = pending.popleft().result()
            except PingyiError as error:
                raise shifted(error, offset) from None
            pending.extend(pool.submit(drain, read(*span)) for span in islice(todo, 1))
            malformed.extend((line + offset, text) for line, text in notes.malformed)
            empty += notes.empty_lines
            done += notes.bytes_read
            for batch in batches:
                batch.lines += offset
                yield batch
            offset += notes.lines
    return RangeNotes(tuple(malformed), empty, done, offset)


def shifted(error: PingyiError, offset: int) -> PingyiError:
    """An error of a range, with lines in the file's numbering."""
    return PingyiError(
        [dataclasses.replace(p, line=p.line + offset) if p.line is not None else p for p in error.problems],
        error.exit_code,
    )
