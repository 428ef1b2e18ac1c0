"""The physical line of each parsed row, which every reject and error names.

pyarrow numbers the rows it parses (the header is row 1) and skips malformed rows, whose
numbers it reports to the reader; a kept row's number is its place among the kept rows,
moved past the skipped rows before it. A row number is a line number until a quoted cell
holds a line break (``"first\nsecond"``, issue 10 e): that row spans more than one line of
the file, and every row after it starts that much lower. :class:`RowLines` turns row
numbers into the lines a person finds in an editor, the line where each sheet starts.
Line breaks are the parser's: ``\n``, ``\r\n`` or a lone ``\r``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.ballots.files import FileNotes

DOS_END_OF_FILE = "\x1a"  # Ctrl-Z, which old Windows tools append to a text file (decode.py)


def blank_rows_as_empty_lines(notes: FileNotes, delimiter: str) -> FileNotes:
    """A row the parser found malformed that holds nothing — spaces, a form feed, bare
    delimiters or quotes, the DOS end-of-file byte — is an empty line like any other, not a sheet:
    it must not add a phantom to the sheets read."""
    blank = [row for row in notes.malformed if _is_blank(row[1], delimiter)]
    if not blank:
        return notes
    kept = tuple(row for row in notes.malformed if not _is_blank(row[1], delimiter))
    return replace(notes, malformed=kept, empty_lines=notes.empty_lines + len(blank))


def _is_blank(text: str, delimiter: str) -> bool:
    """Nothing in it: spaces, delimiters, quotes (a lone ``"`` line), Ctrl-Z."""
    return all(ch.isspace() or ch in (delimiter, DOS_END_OF_FILE, '"') for ch in text)


class RowLines:
    """The lines of the rows one parser reads, fed in the order the parser reports them:
    malformed rows as the parser skips them (:meth:`skip`), kept rows a batch at a time
    (:meth:`kept`). Work per batch is bounded by the batch and the rows skipped since the
    last one, however many rows span several lines or are malformed."""

    def __init__(self, first: int, header_breaks: int = 0) -> None:
        self.next_row = first  # the number of the next kept row, if none is skipped before it
        self.rows = 0  # rows parsed so far, kept or skipped
        self.below = header_breaks  # extra lines of all rows folded in (numbered below those to come)
        self.skipped: list[tuple[int, int, str]] = []  # malformed rows not folded in: (number, breaks, text)
        self.malformed: list[tuple[int, str]] = []  # (line, text) of the malformed rows folded in

    def skip(self, number: int, text: str) -> None:
        """The parser skipped row ``number`` (a malformed row) holding ``text``."""
        self.skipped.append((number, text_breaks(text), text))
        self.rows += 1

    def kept(self, n: int, breaks: np.ndarray | None = None) -> np.ndarray:
        """Lines of the next ``n`` kept rows, given the line breaks inside each (if any)."""
        numbers = self._numbers(n)
        self.rows += n
        if not n:
            return numbers
        last = int(numbers[-1])
        now = [row for row in self.skipped if row[0] <= last]
        self.skipped = [row for row in self.skipped if row[0] > last]
        if breaks is None and not any(extra for _, extra, _ in now):
            self.malformed.extend((number + self.below, text) for number, _, text in now)
            lines: np.ndarray = numbers + self.below
            return lines
        every = np.concatenate([numbers, np.array([row[0] for row in now], dtype=np.int64)])
        extra = np.concatenate(
            [
                breaks if breaks is not None else np.zeros(n, np.int64),
                np.array([row[1] for row in now], np.int64),
            ]
        )
        order = np.argsort(every, kind="stable")
        before = np.empty_like(extra)
        before[order] = np.cumsum(extra[order]) - extra[order]
        lines = every + self.below + before
        self.malformed.extend((int(lines[n + i]), text) for i, (_, _, text) in enumerate(now))
        self.below += int(extra.sum())
        return lines[:n]

    def finish(self) -> list[tuple[int, str]]:
        """(line, text) of every malformed row, once the parser is done."""
        for number, extra, text in sorted(self.skipped):
            self.malformed.append((number + self.below, text))
            self.below += extra
        self.skipped = []
        return sorted(self.malformed)

    def _numbers(self, n: int) -> np.ndarray:
        """Row numbers of the next ``n`` kept rows, past the skipped rows among them (every
        row not yet folded in comes after the last kept row)."""
        pending = np.array(sorted(number for number, _, _ in self.skipped), dtype=np.int64)
        rows = np.arange(n, dtype=np.int64) + self.next_row
        numbers = rows
        while len(pending):  # each row's number: its place + the skipped rows before it
            moved = rows + np.searchsorted(pending, numbers, side="right")
            if np.array_equal(moved, numbers):
                break
            numbers = moved
        if n:
            self.next_row = int(numbers[-1]) + 1
        return numbers


def text_breaks(text: str) -> int:
    """Line breaks in one text."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def row_breaks(record: pa.RecordBatch | pa.Table) -> np.ndarray | None:
    """Line breaks inside each row's cells (None when there are none, the usual case)."""
    total: np.ndarray | None = None
    for column in record.columns:
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if isinstance(column, pa.DictionaryArray):
            counts = _breaks(column.dictionary)
            if counts is not None:
                counts = counts[column.indices.to_numpy(zero_copy_only=False)]
        else:
            counts = _breaks(column)
        if counts is not None:
            total = counts if total is None else total + counts
    return total


def _breaks(array: pa.Array) -> np.ndarray | None:
    data = array.buffers()[2]
    if data is None or not len(data):
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    if not ((raw == 10) | (raw == 13)).any():  # one pass over the bytes, before any kernel
        return None
    breaks = pc.subtract(
        pc.add(pc.count_substring(array, "\n"), pc.count_substring(array, "\r")),
        pc.count_substring(array, "\r\n"),
    ).fill_null(0)
    counts: np.ndarray = breaks.to_numpy(zero_copy_only=False).astype(np.int64)
    return counts


def line_at(path: Path, start: int, offset: int) -> int:
    """The line of the byte at ``offset``, counted from the line at ``start`` as line 1.

    Used for errors only, so it reads the bytes again, a block at a time.
    """
    breaks, previous = 0, b""
    with open(path, "rb") as f:
        f.seek(start)
        left = offset - start
        while left > 0:
            block = f.read(min(left, 1 << 20))
            if not block:
                break
            left -= len(block)
            breaks += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            breaks -= previous == b"\r" and block[:1] == b"\n"
            previous = block[-1:]
    return 1 + breaks


def first_line_longer(path: Path, limit: int, codec: str = "utf-8") -> int | None:
    """The first line of the file longer than ``limit`` bytes of UTF-8 (None if none is):
    where a parser fed the file as UTF-8 (decode.py transcodes GB18030, whose characters
    grow by half) met a row longer than its block. Line breaks are ``\\n``, ``\\r\\n`` or a
    lone ``\\r``, as the parser's. Used for errors only: it reads the file again, a block
    at a time."""
    decoder = None if codec == "utf-8" else codecs.getincrementaldecoder(codec)("replace")
    line, length, previous = 1, 0, b""
    with open(path, "rb") as f:
        while raw := f.read(1 << 20):
            block = raw if decoder is None else decoder.decode(raw).encode("utf-8")
            start = 1 if previous == b"\r" and block[:1] == b"\n" else 0  # a CRLF cut by the block
            for found in _BREAK.finditer(block, start):
                if length + found.start() - start > limit:
                    return line
                line, length, start = line + 1, 0, found.end()
            length += len(block) - start
            if length > limit:
                return line
            previous = block[-1:] or previous
    return None


_BREAK = re.compile(rb"\r\n|\r|\n")
TEXT_BREAK = re.compile(r"\r\n|\r|\n")  # the parser's line breaks, in text
