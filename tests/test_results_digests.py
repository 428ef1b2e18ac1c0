"""Ballot files are hashed for the manifest in a background thread once counted; the
digest the manifest takes must be the file's as it is then, never a stale one."""

from __future__ import annotations

import hashlib
import os

import pytest

from pingyi.results import digests


def test_a_digest_started_early_is_the_files(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"sheet,stratum\n" * 100_000)
    digests.hash_soon([path])
    assert digests.file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert digests._key(path) not in digests._started  # taken, not kept


def test_a_file_changed_after_its_digest_started_is_hashed_again(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"first\n")
    digests.hash_soon([path])
    path.write_bytes(b"second, longer\n")
    os.utime(path, ns=(1, 1))  # a new size and time: the early digest is not the file's
    assert digests.file_sha256(path) == hashlib.sha256(b"second, longer\n").hexdigest()
    digests._started.clear()


def test_a_file_that_cannot_be_read_early_is_the_callers_error(tmp_path):
    missing = tmp_path / "gone.csv"
    digests.hash_soon([missing])  # nothing to start: no error here
    assert all(key[0] != str(missing) for key in digests._started)
    with pytest.raises(FileNotFoundError):  # raised where the manifest reads it
        digests.file_sha256(missing)
