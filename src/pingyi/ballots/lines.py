"""The file line of each parsed row, which every reject and error names.

pyarrow numbers the rows it parses (the header is row 1) and skips malformed rows, whose
numbers it reports to the reader; a row's line is its index among the rows kept, moved
past the skipped rows before it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def row_lines(done: int, n: int, malformed: list[tuple[int, str]], first_line: int = 2) -> np.ndarray:
    """Lines of kept rows ``done .. done+n`` (row 0 is ``first_line``), past skipped malformed rows."""
    rows = np.arange(done, done + n, dtype=np.int64)
    lines = rows + first_line
    if not malformed:
        return lines
    skipped = np.sort(np.array([line for line, _ in malformed], dtype=np.int64))
    while True:  # each row's line is its index + first_line + the skipped lines before it
        moved = rows + first_line + np.searchsorted(skipped, lines, side="right")
        if np.array_equal(moved, lines):
            return lines
        lines = moved


def line_at(path: Path, start: int, offset: int) -> int:
    """The line of the byte at ``offset``, counted from the line at ``start`` as line 1.

    Line breaks are the CSV parser's: ``\\n``, ``\\r\\n`` or a lone ``\\r``. Used for errors
    only, so it reads the bytes again, a block at a time.
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
