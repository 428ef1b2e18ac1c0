"""The sheet ids of every batch the duplicate index has checked, to confirm a repeat by its
real id (duplicates.py), kept in memory up to a bound and on disk past it.

A repeat is only *suggested* by a 64-bit hash; it is confirmed by comparing the id texts.
So the texts of all ids seen must stay at hand: about 12 bytes a sheet, 120 MB at 10^7
sheets, more than the rest of the index's growth. Past SPILL_BYTES in memory they go to
an unnamed temporary file (deleted when closed, or when the process dies), and a
confirmation reads back just the ids it needs with ``os.pread``: confirmations are few
(one per re-scanned sheet) and the file's pages sit in the page cache, not in pingyi's
memory. A full or read-only temporary folder is a one-line error naming it.
"""

from __future__ import annotations

import os
import tempfile
from typing import IO

import numpy as np
import pyarrow as pa

from pingyi.ballots import arrowtext
from pingyi.errors import PingyiError, Problem

SPILL_BYTES = 16 << 20  # id texts kept in memory up to this size, then on disk


class IdTexts:
    """The id texts of batch 0, 1, 2 … in the order checked."""

    def __init__(self) -> None:
        self.held: list[pa.Array | None] = []  # a batch's ids in memory, or None once on disk
        self.places: list[tuple[int, int]] = []  # on disk: where a batch's offsets and text start
        self.held_bytes = 0
        self.file: IO[bytes] | None = None
        self.size = 0  # bytes written to the file

    def add(self, sheet: pa.Array) -> None:
        """Keep the ids of the next batch."""
        self.held.append(sheet)
        self.places.append((-1, -1))
        self.held_bytes += sheet.nbytes
        if self.held_bytes > SPILL_BYTES:
            for k, ids in enumerate(self.held):
                if ids is not None:
                    self._spill(k, ids)
            self.held_bytes = 0

    def take(self, k: int, positions: np.ndarray) -> pa.Array:
        """The ids at ``positions`` of batch ``k``."""
        ids = self.held[k]
        if ids is not None:
            return ids.take(pa.array(positions))
        assert self.file is not None
        offsets_at, text_at = self.places[k]
        fd = self.file.fileno()
        texts = []
        for position in positions.tolist():
            start, end = np.frombuffer(os.pread(fd, 8, offsets_at + 4 * position), dtype=np.int32)
            texts.append(os.pread(fd, int(end - start), text_at + int(start)))
        return pa.array(texts, pa.binary()).cast(pa.string())

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def _spill(self, k: int, ids: pa.Array) -> None:
        n = len(ids)
        offsets = arrowtext.offsets(ids)
        text = arrowtext.joined(ids)
        try:
            if self.file is None:
                self.file = tempfile.TemporaryFile(prefix="pingyi-ids-")
            self.file.write((offsets - offsets[0]).tobytes())
            self.file.write(text)
            self.file.flush()
        except OSError as exc:
            folder = _temp_folder()
            raise PingyiError(
                [
                    Problem(
                        folder,
                        None,
                        "",
                        "temp_space",
                        f"cannot keep the sheet ids of a large run in the temporary folder: "
                        f"{exc.strerror or exc}; free some space there or set TMPDIR to another folder",
                    )
                ]
            ) from None
        self.places[k] = (self.size, self.size + 4 * (n + 1))
        self.size += 4 * (n + 1) + len(text)
        self.held[k] = None


def _temp_folder() -> str:
    """The temporary folder to name in an error, even when none is usable."""
    try:
        return tempfile.gettempdir()
    except OSError:
        return os.environ.get("TMPDIR") or "the temporary folder (TMPDIR, /tmp, /var/tmp, .)"
