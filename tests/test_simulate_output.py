"""``pingyi simulate -o``: never over an input, never over a file without --force, never
half-written; bad seeds and missing folders are one-line errors (issue 10 h)."""

from __future__ import annotations

import errno

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli

from .test_round_errors import GOOD

ROUND = (
    GOOD.replace("extends: qianren-2-1-0", "extends: scheme.yaml").split("units:")[0] + "units: units.csv\n"
)
SCHEME = "scheme: ours\nextends: qianren-2-1-0\n"
UNITS = "id,name,category\na,甲,local\nb,乙,local\nc,丙,vertical\n"


@pytest.fixture
def round_dir(tmp_path):
    (tmp_path / "round.yaml").write_text(ROUND, encoding="utf-8")
    (tmp_path / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    return tmp_path


def _simulate(round_dir, *extra: str):
    args = ["simulate", str(round_dir / "round.yaml"), "--sheets", "20", "--seed", "3", *extra]
    return CliRunner().invoke(cli, args)


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("name", ["round.yaml", "scheme.yaml", "units.csv"])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_never_overwrites_an_input(round_dir, name, force):
    before = _snapshot(round_dir)
    result = _simulate(round_dir, "-o", str(round_dir / name), *force)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {round_dir / name}: is an input of this run; it is never overwritten [output_refused]"
    ]
    assert _snapshot(round_dir) == before


def test_never_overwrites_an_input_through_another_path(round_dir):
    (round_dir / "sub").mkdir()
    result = _simulate(round_dir, "-o", str(round_dir / "sub" / ".." / "units.csv"), "--force")
    assert result.exit_code == 2
    assert (round_dir / "units.csv").read_text(encoding="utf-8") == UNITS


def test_refuses_an_existing_file_without_force(round_dir):
    (round_dir / "ballots.csv").write_text("keep", encoding="utf-8")
    result = _simulate(round_dir, "-o", str(round_dir / "ballots.csv"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {round_dir / 'ballots.csv'}: exists; give --force to replace it [output_refused]"
    ]
    assert (round_dir / "ballots.csv").read_text(encoding="utf-8") == "keep"


def test_replaces_an_existing_file_with_force(round_dir):
    (round_dir / "ballots.csv").write_text("keep", encoding="utf-8")
    result = _simulate(round_dir, "-o", str(round_dir / "ballots.csv"), "--force")
    assert result.exit_code == 0, result.output
    lines = (round_dir / "ballots.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "sheet,stratum,a,b,c"
    assert len(lines) == 1 + 20


def test_missing_folder_is_one_line(round_dir):
    result = _simulate(round_dir, "-o", str(round_dir / "nope" / "b.csv"))
    assert result.exit_code == 2
    folder = round_dir / "nope"
    assert result.stderr.splitlines() == [
        f"error: {folder / 'b.csv'}: the folder {folder} does not exist [output_refused]"
    ]


@pytest.mark.parametrize("seed", ["-1", "-5", "x"])
def test_negative_seed_is_a_usage_error(round_dir, seed):
    args = ["simulate", str(round_dir / "round.yaml"), "--sheets", "5", "--seed", seed, "-o", "b.csv"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Invalid value for '--seed'" in result.stderr


def test_large_seed_is_fine(round_dir):
    result = _simulate(round_dir, "-o", str(round_dir / "b.csv"), "--seed", str(2**70))
    assert result.exit_code == 0, result.output


def test_a_failed_write_leaves_the_old_file_and_no_temporary(round_dir, monkeypatch):
    import pingyi.simulate

    (round_dir / "ballots.csv").write_text("keep", encoding="utf-8")
    before = _snapshot(round_dir)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pingyi.simulate, "_chunk", full)
    result = _simulate(round_dir, "-o", str(round_dir / "ballots.csv"), "--force")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {round_dir / 'ballots.csv'}: cannot write (No space left on device) [cannot_write]"
    ]
    assert _snapshot(round_dir) == before


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_written_whole_with_no_temporary_left(round_dir, encoding):
    result = _simulate(round_dir, "-o", str(round_dir / "b.csv"), "--encoding", encoding)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in round_dir.iterdir()) == ["b.csv", "round.yaml", "scheme.yaml", "units.csv"]
    text = (round_dir / "b.csv").read_bytes().decode(encoding)
    assert text.splitlines()[0] == "sheet,stratum,a,b,c"


def test_gb18030_is_the_utf8_text_reencoded(round_dir):
    (round_dir / "round.yaml").write_text(ROUND.replace("id: service", "id: 服务"), encoding="utf-8")
    assert _simulate(round_dir, "-o", str(round_dir / "u.csv")).exit_code == 0
    assert _simulate(round_dir, "-o", str(round_dir / "g.csv"), "--encoding", "gb18030").exit_code == 0
    utf8 = (round_dir / "u.csv").read_text(encoding="utf-8")
    assert "服务" in utf8
    assert (round_dir / "g.csv").read_bytes() == utf8.encode("gb18030")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_dash_writes_the_same_bytes_to_stdout_and_no_file(round_dir, monkeypatch, encoding):
    """Defect: ``-o -`` wrote a file named ``-`` instead of standard output."""
    assert _simulate(round_dir, "-o", str(round_dir / "b.csv"), "--encoding", encoding).exit_code == 0
    monkeypatch.chdir(round_dir)
    result = _simulate(round_dir, "-o", "-", "--encoding", encoding)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (round_dir / "b.csv").read_bytes()
    assert result.stderr.startswith("wrote stdout: 20 rows")
    assert sorted(p.name for p in round_dir.iterdir()) == ["b.csv", "round.yaml", "scheme.yaml", "units.csv"]
