"""Hostile tests of the issue 15 index work: the duplicate index's bit filter and young runs,
spilled id texts, the conflict pass that re-reads only some byte ranges, the manifest's
early digests and the bootstrap's held buffer. Each compares against the defaults (or a
plain model) with the constants made small. The three defects found (a traceback with no
usable temporary folder, verify calling a full one a difference, a stale digest after a
copy that keeps size and mtime) are fixed, and their tests pass."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.ballots import csv_wide, duplicates, hashing, idtexts, ranges
from pingyi.cli.main import cli
from pingyi.results import build as build_module
from pingyi.results import digests
from pingyi.results.build import build

ROUND = """\
round: h
extends: qianren-2-1-0
categories: [{id: c, name: 类, winners: 2}]
strata: [{id: s1, name: 一}, {id: s2, name: 二}, {id: s3, name: 三}]
units:
  - {id: a, name: 甲, category: c}
  - {id: b, name: 乙, category: c}
  - {id: d, name: 丙, category: c}
  - {id: e, name: 丁, category: c}
forms:
  f1: [a, b, e]
  f2: [d, e]
ballots: {form: form}
"""
HEADER = "sheet,stratum,form,a,b,d,e"
REAL_HASH = hashing.hash_strings


def _narrow_bits(self: duplicates._HashBits) -> None:
    """The filter starts at 8 slots, so it grows and is refilled within a small run."""
    self.width, self.held = 3, 0
    self.bits = np.zeros(1, dtype=np.uint8)


def _colliding(buckets: int):
    """Only ``buckets`` hash values, spread over the top bits the filter reads."""

    def hash_strings(array: pa.Array) -> np.ndarray:
        spread = (REAL_HASH(array) % np.uint64(buckets)) * np.uint64(0x9E3779B97F4A7C15)
        return spread.astype(np.uint64)

    return hash_strings


ON_FORM = ((True, True, False, True), (False, False, True, True))  # f1: a, b, e; f2: d, e


def _rows(draw_rows: list[tuple[int, int, int, tuple[int, ...]]]) -> list[str]:
    """CSV rows; a unit not on the sheet's form is left empty (a mark there voids the sheet)."""
    marks = ["A", "B", "C", "", "AB"]
    return [
        ",".join(
            [f"S{sheet}", f"s{1 + stratum}", f"f{1 + form}"]
            + [marks[m] if on else "" for m, on in zip(cells, ON_FORM[form], strict=True)]
        )
        for sheet, stratum, form, cells in draw_rows
    ]


def _clean(rows: list[str]) -> list[str]:
    """The model of re-scans and conflicts: an id's first row if all its rows are identical,
    nothing if any two differ."""
    copies: dict[str, set[str]] = {}
    for row in rows:
        copies.setdefault(row.split(",", 1)[0], set()).add(row)
    kept, seen = [], set()
    for row in rows:
        sheet = row.split(",", 1)[0]
        if len(copies[sheet]) == 1 and sheet not in seen:
            kept.append(row)
        seen.add(sheet)
    return kept


def _figures(results: bytes) -> dict[str, object]:
    """What results.json says of the units, categories and the bootstrap: not of the sheets read."""
    document = json.loads(results)
    return {key: document[key] for key in ("units", "categories", "confidence", "satisfaction_rate_exact")}


def _write(folder: Path, rows: list[str], files: int, quoted_from: int | None = None) -> list[Path]:
    """``rows`` dealt round-robin into ``files`` files; from ``quoted_from`` on, ids are quoted
    (a quote late in a file: cut reading falls back to one quoted stream there)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    paths = []
    for k in range(files):
        part = rows[k::files]
        if quoted_from is not None:
            part = [
                f'"{row.split(",", 1)[0]}",{row.split(",", 1)[1]}' if j >= quoted_from else row
                for j, row in enumerate(part)
            ]
        path = folder / f"b{k}.csv"
        path.write_text("\n".join([HEADER, *part]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _outputs(folder: Path, paths: list[Path], confidence: int | None) -> tuple[bytes, bytes, bytes]:
    t = build(
        folder / "round.yaml", [(p, p.name) for p in paths], None, "zh", report=False, confidence=confidence
    )
    return t.files["results.json"], t.files["rejects.csv"], t.files["strata.csv"]


ROW = st.tuples(
    st.integers(0, 40),
    st.integers(0, 2),
    st.integers(0, 1),
    st.tuples(*[st.integers(0, 4)] * 4),
)


# --- every knob small at once: the same bytes as the defaults ------------------------------


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(ROW, min_size=1, max_size=80),
    files=st.integers(1, 3),
    quoted_from=st.sampled_from([None, 0, 5]),
    block=st.sampled_from([64, 200, 4096]),
    range_bytes=st.sampled_from([64, 300]),
    spill=st.sampled_from([0, 100, idtexts.SPILL_BYTES]),
    young=st.integers(1, 5),
    largest=st.sampled_from([1, 3, 50]),
    buckets=st.sampled_from([None, 1, 4]),
)
def test_small_batches_ranges_runs_filter_and_spill_give_the_defaults_bytes(
    tmp_path_factory, rows, files, quoted_from, block, range_bytes, spill, young, largest, buckets
):
    """Re-scans and conflicts fall across batches, ranges, files and the quoted tail; the
    bootstrap (--confidence) takes first copies of conflicts back with sign -1."""
    folder = tmp_path_factory.mktemp("k")
    paths = _write(folder, _rows(rows), files, quoted_from)
    with pytest.MonkeyPatch.context() as monkeypatch:
        if buckets is not None:  # the bootstrap's groups follow the id hash: compare like with like
            monkeypatch.setattr(hashing, "hash_strings", _colliding(buckets))
        expected = _outputs(folder, paths, 40)
        monkeypatch.setattr(csv_wide, "BLOCK_SIZE", block)
        monkeypatch.setattr(ranges, "RANGE_BYTES", range_bytes)
        monkeypatch.setattr(idtexts, "SPILL_BYTES", spill)
        monkeypatch.setattr(duplicates, "YOUNG_RUN", young)
        monkeypatch.setattr(duplicates, "MAX_RUN", largest)
        monkeypatch.setattr(duplicates._HashBits, "__init__", _narrow_bits)
        assert _outputs(folder, paths, 40) == expected
        clean = tmp_path_factory.mktemp("clean")
        assert _figures(_outputs(clean, _write(clean, _clean(_rows(rows)), 1), 40)[0]) == _figures(
            expected[0]
        )


def test_the_bootstrap_and_counts_do_not_depend_on_how_the_rows_are_split(tmp_path, monkeypatch):
    rng = np.random.default_rng(5)
    drawn = [
        (
            int(rng.integers(0, 60)),
            int(rng.integers(0, 3)),
            int(rng.integers(0, 2)),
            tuple(rng.integers(0, 5, 4)),
        )
        for _ in range(150)
    ]
    rows = _rows(drawn)
    one = _outputs(tmp_path / "one", _write(tmp_path / "one", rows, 1), 50)
    monkeypatch.setattr(csv_wide, "BLOCK_SIZE", 256)
    three = _outputs(tmp_path / "three", _write(tmp_path / "three", rows, 3), 50)
    assert json.loads(one[0])["sheets"] == json.loads(three[0])["sheets"]
    assert (one[0], one[2]) == (three[0], three[2])  # rejects.csv names other files and lines
    assert json.loads(one[0])["sheets"]["rejected_by_reason"]["conflicting_duplicate"] > 0


# --- the spill's temporary folder -----------------------------------------------------------


def _small_round(folder: Path) -> tuple[Path, Path]:
    round_path = folder / "round.yaml"
    round_path.write_text(ROUND, encoding="utf-8")
    ballots = folder / "b.csv"
    ballots.write_text(f"{HEADER}\nS1,s1,f1,A,A,,A\nS1,s1,f1,A,A,,A\nS2,s2,f2,,,C,C\n", encoding="utf-8")
    return round_path, ballots


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


class _FullFile(io.BytesIO):
    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["open", "write", "read-only"])
def test_a_temp_folder_that_cannot_take_the_ids_is_one_line_and_keeps_the_results(
    tmp_path, monkeypatch, where
):
    round_path, ballots = _small_round(tmp_path)
    out, log = tmp_path / "out", tmp_path / "audit.csv"
    args = ["tally", str(round_path), str(ballots), "-o", str(out), "--audit-log", str(log), "--quiet"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before, logged = _snapshot(out), log.read_bytes()

    def refuse(*args: object, **kwargs: object) -> object:
        if where == "write":
            return _FullFile()
        error = errno.ENOSPC if where == "open" else errno.EACCES
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(idtexts, "SPILL_BYTES", 0)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    result = CliRunner().invoke(cli, [*args, "--force"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: {tempfile.gettempdir()}: cannot keep the sheet ids"
    )
    assert lines[0].endswith("[temp_space]")
    assert _snapshot(out) == before and log.read_bytes() == logged


def test_no_usable_temp_folder_anywhere_is_the_temp_space_error(tmp_path, monkeypatch):
    round_path, ballots = _small_round(tmp_path)
    monkeypatch.setattr(idtexts, "SPILL_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", None)  # not yet chosen, as in a fresh process
    # TMPDIR unset and /tmp, /var/tmp, /usr/tmp full, the working folder read-only: what
    # tempfile finds is then nothing at all
    monkeypatch.setattr(tempfile, "_candidate_tempdir_list", lambda: [str(tmp_path / "missing")])
    result = CliRunner().invoke(cli, ["check", str(round_path), str(ballots)])
    assert result.exit_code == 2, repr(result.exception)
    assert "[temp_space]" in result.output and "set TMPDIR" in result.output


def test_verify_with_a_temp_folder_that_cannot_take_the_ids_is_not_a_difference(tmp_path, monkeypatch):
    round_path, ballots = _small_round(tmp_path)
    out = tmp_path / "out"
    assert (
        CliRunner().invoke(cli, ["tally", str(round_path), str(ballots), "-o", str(out), "--quiet"]).exit_code
        == 0
    )

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(idtexts, "SPILL_BYTES", 0)
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert "NOT verified" not in result.output
    assert result.exit_code == 2 and "[temp_space]" in result.output


# --- the manifest's early digests -----------------------------------------------------------


def test_verify_passes_right_after_a_tally_and_fails_after_a_same_size_edit(tmp_path):
    round_path, ballots = _small_round(tmp_path)
    out = tmp_path / "out"
    tallied = CliRunner().invoke(cli, ["tally", str(round_path), str(ballots), "-o", str(out), "--quiet"])
    assert tallied.exit_code == 0
    assert not digests._started  # every early digest was taken by the manifest
    assert CliRunner().invoke(cli, ["verify", str(out)]).exit_code == 0
    ballots.write_bytes(ballots.read_bytes().replace(b"S2,s2,f2,,,C,C", b"S2,s2,f2,,,B,C"))
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert result.exit_code == 1 and "has changed (SHA-256 differs)" in result.output


def test_the_manifest_digest_is_the_files_even_when_an_edit_keeps_size_and_mtime(tmp_path, monkeypatch):
    round_path, ballots = _small_round(tmp_path)
    out = tmp_path / "out"
    real_tally = build_module.tally

    def tally_then_replace_the_ballots(*args: object, **kwargs: object) -> object:
        for started in list(digests._started.values()):
            started.result()  # the early digest is done
        kept = os.stat(ballots)
        ballots.write_bytes(ballots.read_bytes().replace(b"S2,s2,f2,,,C,C", b"S2,s2,f2,,,B,C"))
        os.utime(ballots, ns=(kept.st_atime_ns, kept.st_mtime_ns))
        return real_tally(*args, **kwargs)

    monkeypatch.setattr(build_module, "tally", tally_then_replace_the_ballots)
    result = CliRunner().invoke(cli, ["tally", str(round_path), str(ballots), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (recorded,) = [i["sha256"] for i in manifest["inputs"] if i["role"] == "ballots"]
    assert recorded == hashlib.sha256(ballots.read_bytes()).hexdigest()
