"""Large CSV files are cut into byte ranges, read by parallel threads, handed on in order.

pyarrow's CSV parsing and numpy release the GIL, so two reader threads nearly halve the
time of a province-wide file (10^6 sheets). Ranges are cut just after a newline, only in
UTF-8 files, and only up to the first quote character (a quoted field may hold a newline,
and a cut could fall inside it): from the range that meets one, the file is read in one
stream. Each range numbers its lines from 1; its batches, malformed rows and errors are
shifted to the file's numbering by the lines of the ranges before it, so the count, the
rejects and every line are exactly the sequential ones.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from pingyi.ballots.batch import Batch
from pingyi.ballots.decode import QuoteFound, text_end
from pingyi.ballots.files import BallotFile, drain
from pingyi.errors import PingyiError

RANGE_BYTES = 4 << 20  # a large UTF-8 file is cut into ranges of this size …
READERS = 2  # … read by this many threads
SCAN_BYTES = 1 << 20  # a file too small to cut is scanned for quotes in blocks of this size


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


def has_quotes(source: BallotFile, end: int | None = None) -> bool:
    """Whether the file (its first ``end`` bytes) holds a ``"`` (a byte no GB18030 or UTF-8
    sequence uses inside a character), by memchr-speed scans of blocks: memory is one
    block, whatever the file's size."""
    left = source.path.stat().st_size if end is None else end
    with open(source.path, "rb") as f:
        while left > 0 and (block := f.read(min(SCAN_BYTES, left))):
            if b'"' in block:
                return True
            left -= len(block)
    return False


def byte_ranges(source: BallotFile, encoding: str) -> list[tuple[int, int]]:
    """Where to cut a large file for parallel readers: after a newline, every RANGE_BYTES.

    Only UTF-8 files are cut (another encoding is decoded in one stream), and only while
    no quote has been seen: each range is read without quote handling and stops at its
    first ``"`` (:class:`QuoteFound`), and :func:`parallel_batches` reads the rest of the
    file from that range's start with quotes. The cut before it is sound, since no byte
    before it is a quote. A file too small to cut is one range.
    """
    size = text_end(source.path)  # a DOS end-of-file tail is no range of its own
    if size < 2 * RANGE_BYTES or encoding != "utf-8":
        return [(0, size)]
    cuts = [0]
    with open(source.path, "rb") as f:
        while cuts[-1] + RANGE_BYTES < size:
            newline = next_newline(f, cuts[-1] + RANGE_BYTES)
            if newline < 0 or newline + 1 >= size:
                break
            cuts.append(newline + 1)
    return list(zip(cuts, cuts[1:] + [size], strict=True))


def next_newline(f: BinaryIO, offset: int) -> int:
    """The offset of the first newline at or after ``offset`` (-1 if there is none)."""
    f.seek(offset)
    while block := f.read(1 << 16):
        found = block.find(b"\n")
        if found >= 0:
            return offset + found
        offset += len(block)
    return -1


def parallel_batches(
    read: RangeReader, ranges: list[tuple[int, int]], quoted: RangeReader
) -> Generator[Batch, None, RangeNotes]:
    """Read byte ranges in READERS threads, and hand their batches on in file order, so
    the count is exactly the sequential one; return what all ranges noticed.

    At most READERS ranges are read or held at once, so memory is bounded by the range
    size, not the file. A range that meets a quote (:class:`QuoteFound`) is dropped with
    the ranges after it, and the file is read on from its start by ``quoted``, in this
    thread: the ranges before it hold no quote, so they were read right.
    """
    todo: Iterator[tuple[int, int]] = iter(ranges)
    offset = 0
    malformed: list[tuple[int, str]] = []
    empty = done = 0
    quote_at: int | None = None  # the start of the range that met a quote
    with ThreadPoolExecutor(READERS) as pool:
        pending = deque((span, pool.submit(drain, read(*span))) for span in islice(todo, READERS))
        while pending:
            span, future = pending.popleft()
            try:
                batches, notes = future.result()
            except QuoteFound:
                for _, later in pending:
                    later.cancel()
                quote_at = span[0]
                break
            except PingyiError as error:
                raise shifted(error, offset) from None
            pending.extend((later, pool.submit(drain, read(*later))) for later in islice(todo, 1))
            malformed.extend((line + offset, text) for line, text in notes.malformed)
            empty += notes.empty_lines
            done += notes.bytes_read
            for batch in batches:
                batch.lines += offset
                batch.line_offset = offset
                yield batch
            offset += notes.lines
    if quote_at is not None:
        notes = yield from read_on(quoted(quote_at, ranges[-1][1]), offset)
        malformed.extend((line + offset, text) for line, text in notes.malformed)
        empty += notes.empty_lines
        done += notes.bytes_read
        offset += notes.lines
    return RangeNotes(tuple(malformed), empty, done, offset)


def read_on(reading: Generator[Batch, None, RangeNotes], offset: int) -> Generator[Batch, None, RangeNotes]:
    """The batches of one range read in this thread, with lines (and errors) in the file's
    numbering; returns the range's notes, in its own numbering."""
    try:
        while True:
            try:
                batch = next(reading)
            except StopIteration as stop:
                notes: RangeNotes = stop.value
                return notes
            batch.lines += offset
            batch.line_offset = offset
            yield batch
    except PingyiError as error:
        raise shifted(error, offset) from None


def shifted(error: PingyiError, offset: int) -> PingyiError:
    """An error of a range, with lines in the file's numbering."""
    return PingyiError(
        [dataclasses.replace(p, line=p.line + offset) if p.line is not None else p for p in error.problems],
        error.exit_code,
    )
