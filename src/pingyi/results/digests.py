"""SHA-256 digests of input files for the manifest, started early where that pays.

A tally hashes every input for its manifest. A province's ballot files are hundreds of
megabytes: hashing them after the outputs are built costs a tenth of a second per 200 MB
on one core, while building report.xlsx keeps only the other core busy (it holds the
GIL; hashlib lets go of it). So the command line starts hashing the ballot files as soon
as they are counted (:func:`hash_soon`), and the manifest takes the digest when it needs
it (:func:`file_sha256`). A digest is used only for a file whose path, size, times and
inode are still those it was started with; otherwise the file is hashed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

_Key = tuple[str, int, int, int, int]
DIGEST_BLOCK = 16 << 20
_started: dict[_Key, Future[str]] = {}


@contextmanager
def started() -> Iterator[None]:
    """A run that may start digests: whatever it leaves untaken (a tally that failed before
    its manifest) is dropped at the end, not kept for a later run in the same process."""
    try:
        yield
    finally:
        _started.clear()


def hash_soon(paths: Iterable[Path]) -> None:
    """Start hashing ``paths`` in a background thread, for :func:`file_sha256` to take."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="pingyi-digest")
    for path in paths:
        key = _key(path)
        if key is not None and key not in _started:
            _started[key] = pool.submit(_digest, path)
    pool.shutdown(wait=False)


def file_sha256(path: Path) -> str:
    """The file's digest: the one started for it if the file is unchanged since, else now."""
    key = _key(path)
    started = _started.pop(key, None) if key is not None else None
    if started is not None:
        try:
            return started.result()
        except OSError:
            pass  # hashed again below, where the error is the caller's to report
    return _digest(path)


def _digest(path: Path) -> str:
    """SHA-256 of a file, read in large blocks: a background thread takes the GIL back once a
    block (reading and hashing let go of it), and while the main thread builds report.xlsx
    each taking may wait a switch interval, so few blocks finish sooner (1 MB blocks
    left the manifest waiting 0.1 s at 10^6 sheets)."""
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        block = bytearray(min(DIGEST_BLOCK, os.fstat(f.fileno()).st_size + 1))  # small files: small
        view = memoryview(block)
        while size := f.readinto(block):
            digest.update(view[:size])
    return digest.hexdigest()


def _key(path: Path) -> _Key | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    # ctime and inode too: a copy that keeps size and mtime (cp -p, rsync -t) changes them
    return (str(Path(path).resolve()), status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
