"""Bytes of a ballot file on their way to the CSV parser: counted, checked, made UTF-8.

A file is one encoding, and every byte of it must decode in that encoding, not only the
first 64 KB that chose it (issue 10 a): a UTF-8 file with one row saved as GBK would
otherwise put garbled ids into the count. So the reader threads check all bytes as they
read them, with no second pass over the file:

- UTF-8 is validated by Arrow's UTF-8 check (C++ speed) and handed on unchanged; only a
  block that ends inside a character, or holds bad bytes, is decoded in Python to carry
  the character over or to find the exact byte;
- GB18030/GBK is decoded and re-encoded as UTF-8 here (what pyarrow's own transcoding
  would do), so the parser always reads UTF-8.

Bad bytes raise :class:`BadBytes` with their offset in the file, from which the reader
names the line. Memory is bounded by one block. A file's text ends before the DOS
end-of-file bytes (Ctrl-Z) that old Windows tools append (:func:`text_end`): glued to the
last field, one would make that mark an unknown code.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa

DOS_END_OF_FILE = b"\x1a"


class QuoteFound(Exception):
    """A ``"`` in a byte range read without quote handling (ranges.py reads on with quotes)."""


class BadBytes(Exception):
    """Bytes at ``offset`` (in the file) that do not decode in the file's encoding."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"bytes at offset {offset} do not decode")
        self.offset = offset


class DecodingReader(io.RawIOBase):
    """Reads at most ``limit`` bytes of ``raw`` (which starts at file offset ``start``) and
    gives them as checked UTF-8; counts the bytes read, for the progress bar."""

    def __init__(self, raw: BinaryIO, start: int, limit: int, codec: str, quotes: bool = True) -> None:
        self.raw, self.left = raw, limit
        self.quotes = quotes  # False: a ``"`` raises ranges.QuoteFound (a range read without quotes)
        self.offset = start  # file offset of the next byte read from ``raw``
        self.done = 0
        self.utf8 = codec == "utf-8"
        self.decoder = None if self.utf8 else codecs.getincrementaldecoder(codec)()
        self.carry = b""  # UTF-8: the start of a character cut by the end of the last block
        self.out = b""  # GB18030: UTF-8 not yet handed on
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self.utf8:
            n = self._read_into(view)
            self._check_utf8(view[:n], final=n == 0)
            return n
        while not self.out and not self.ended:
            self._transcode(max(len(view), 1 << 16))
        n = min(len(view), len(self.out))
        view[:n] = self.out[:n]
        self.out = self.out[n:]
        return n

    def _read_into(self, view: memoryview) -> int:
        view = view[: max(self.left, 0)]
        n = self.raw.readinto(view) or 0  # type: ignore[attr-defined]
        self.left -= n
        self.done += n
        self.offset += n
        if not self.quotes and bytes(view[:n]).find(b'"') >= 0:  # a copy, then memchr: 0.2 ms a block
            raise QuoteFound
        return n

    def _check_utf8(self, block: memoryview, final: bool) -> None:
        """Raise BadBytes unless ``block`` (after the carried bytes) is valid UTF-8 so far."""
        if not self.carry and (not block or _valid_utf8(block)):
            return
        data = self.carry + bytes(block)
        start = self.offset - len(data)  # file offset of data[0]
        try:
            _, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            raise BadBytes(start + exc.start) from None
        self.carry = data[used:]

    def _transcode(self, size: int) -> None:
        assert self.decoder is not None
        block = bytearray(min(size, max(self.left, 0)))
        n = self._read_into(memoryview(block))
        pending = len(self.decoder.getstate()[0])
        try:
            text = self.decoder.decode(bytes(block[:n]), final=n == 0)
        except UnicodeDecodeError as exc:
            raise BadBytes(self.offset - n - pending + exc.start) from None
        self.out = text.encode("utf-8")
        self.ended = n == 0


def text_end(path: Path) -> int:
    """Where a file's text ends: its size, less a DOS end-of-file tail (Ctrl-Z bytes, with
    any line breaks among or after them: ``…,A\\x1a``, ``…,A\\x1a\\r\\n``, CP/M's padding to
    128 bytes). Every reader stops there, so a Ctrl-Z never becomes part of a mark, a row
    or a byte range of its own, and offsets before it stay the file's."""
    size = path.stat().st_size
    end = size
    with open(path, "rb") as f:
        while end > 0:
            f.seek(max(end - (1 << 16), 0))
            block = f.read(end - max(end - (1 << 16), 0))
            kept = len(block.rstrip(b"\x1a\r\n"))
            end -= len(block) - kept
            if kept:
                break
        tail_start = end
        f.seek(tail_start)
        tail = f.read(size - tail_start)
    return tail_start if DOS_END_OF_FILE in tail else size


def _valid_utf8(block: memoryview) -> bool:
    """Whether ``block`` is valid UTF-8, by Arrow's (vectorised) check."""
    offsets = pa.py_buffer(np.array([0, len(block)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(block)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True
