"""Sheet ids are remembered as 64-bit hashes, but a duplicate or a conflict is confirmed by
the real id (issue 10 g): two different ids whose hashes collide are two sheets, never a
re-scan of one. Collisions are forced by replacing the hash function."""

from __future__ import annotations

import tempfile

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.ballots import hashing, idtexts
from pingyi.ballots.count import read_ballots
from pingyi.round.load import load_round

from .test_ballots import ROUND, ROWS, _csv

REAL_HASH = hashing.hash_strings


def _colliding(buckets: int):
    """A hash with only ``buckets`` values: most different ids collide."""

    def hash_strings(array: pa.Array) -> np.ndarray:
        return (REAL_HASH(array) % np.uint64(buckets)).astype(np.uint64)

    return hash_strings


def _summary(c):
    return c.counts.tolist(), c.rejects, (c.read, c.counted, c.rejected)


def test_two_ids_with_one_hash_are_two_sheets(write, monkeypatch):
    r = load_round(write("round.yaml", ROUND))
    path = write("b.csv", "sheet,stratum,a,b,c\nS1,企业,A,A,A\nS2,企业,C,C,C\nS1,企业,A,A,A\n")
    monkeypatch.setattr(hashing, "hash_strings", _colliding(1))
    c = read_ballots(r, [path])
    assert (c.read, c.counted, c.rejected) == (3, 2, 1)
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(4, "S1", "duplicate")]
    assert c.counts[0][0].tolist() == [1, 0, 1, 0, 0]


def test_a_conflict_is_found_among_colliding_ids(write, monkeypatch):
    r = load_round(write("round.yaml", ROUND))
    text = "sheet,stratum,a,b,c\nS1,企业,A,A,A\nS2,企业,C,C,C\nS3,企业,B,B,B\nS2,企业,A,B,C\nS3,企业,B,B,B\n"
    monkeypatch.setattr(hashing, "hash_strings", _colliding(1))
    c = read_ballots(r, [write("b.csv", text)])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [
        (3, "S2", "conflicting_duplicate"),
        (5, "S2", "conflicting_duplicate"),
        (6, "S3", "duplicate"),
    ]
    assert c.counts[0][0].tolist() == [1, 1, 0, 0, 0]


@pytest.mark.parametrize("spill", [0, idtexts.SPILL_BYTES])
@pytest.mark.parametrize("block", [64, 1 << 20])
def test_collisions_across_batches_and_files(write, monkeypatch, block, spill):
    """Also with every batch's ids spilled to the temporary file (SPILL_BYTES 0), read
    back one by one to confirm a suggested repeat."""
    from pingyi.ballots import csv_wide

    monkeypatch.setattr(csv_wide, "BLOCK_SIZE", block)
    monkeypatch.setattr(idtexts, "SPILL_BYTES", spill)
    r = load_round(write("round.yaml", ROUND))
    one = write("one.csv", "sheet,stratum,a,b,c\n" + "".join(f"S{i},企业,A,B,C\n" for i in range(30)))
    two = write("two.csv", "sheet,stratum,a,b,c\nS3,企业,A,B,C\nS4,企业,C,C,C\nT9,群众,A,A,A\n")
    honest = _summary(read_ballots(r, [one, two]))
    monkeypatch.setattr(hashing, "hash_strings", _colliding(3))
    assert _summary(read_ballots(r, [one, two])) == honest


@settings(max_examples=40, deadline=None)
@given(rows=ROWS, buckets=st.sampled_from([1, 2, 7]), spill=st.sampled_from([0, 40, 1 << 20]))
def test_forced_collisions_never_change_the_count(tmp_path_factory, rows, buckets, spill):
    folder = tmp_path_factory.mktemp("h")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    (folder / "b.csv").write_text(_csv(rows), encoding="utf-8")
    r = load_round(folder / "round.yaml")
    honest = _summary(read_ballots(r, [folder / "b.csv"]))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(hashing, "hash_strings", _colliding(buckets))
        monkeypatch.setattr(idtexts, "SPILL_BYTES", spill)
        assert _summary(read_ballots(r, [folder / "b.csv"])) == honest


def test_ids_spilled_to_a_temporary_folder_that_cannot_take_them_is_a_located_error(write, monkeypatch):
    from click.testing import CliRunner

    from pingyi.cli.main import cli

    round_path = write("round.yaml", ROUND)
    path = write("b.csv", "sheet,stratum,a,b,c\nS1,企业,A,A,A\nS1,企业,A,A,A\n")
    missing = path.parent / "no-such-folder"
    monkeypatch.setattr(idtexts, "SPILL_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    result = CliRunner().invoke(cli, ["check", str(round_path), str(path)])
    assert result.exit_code == 2, result.output
    assert (
        f"error: {missing}: cannot keep the sheet ids of a large run in the temporary folder" in result.output
    )
    assert "set TMPDIR" in result.output and "[temp_space]" in result.output
    assert "Traceback" not in result.output


def test_runs_merge_in_order_and_references_widen_past_uint32():
    from pingyi.ballots.duplicates import _merged, _references

    small = _references(np.array([3, 1], dtype=np.int64), 4)
    assert small.dtype == np.uint32
    wide = _references(np.array([2**32 + 1], dtype=np.int64), 2**32 + 2)
    assert wide.dtype == np.int64
    older = [np.array([2, 8], np.uint64), np.array([20, 80], np.uint64), small]
    newer = [np.array([5], np.uint64), np.array([50], np.uint64), wide]
    ids, contents, where = _merged(older, newer)
    assert ids.tolist() == [2, 5, 8] and contents.tolist() == [20, 50, 80]
    assert where.dtype == np.int64 and where.tolist() == [3, 2**32 + 1, 1]
