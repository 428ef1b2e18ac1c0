"""A ballot file that cannot be read is a one-line error and exit 2 (issue 10 d): a missing
file, a directory given as a file, a file without read permission. Every such file of a
run is named at once."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from pingyi.ballots import sniff
from pingyi.ballots.count import read_ballots
from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_ballots import ROUND, SHEETS


def _check(tmp_path, *ballots: str):
    (tmp_path / "round.yaml").write_text(ROUND, encoding="utf-8")
    return CliRunner().invoke(cli, ["check", str(tmp_path / "round.yaml"), *ballots])


def test_a_missing_file_is_one_line_and_exit_2(tmp_path):
    result = _check(tmp_path, str(tmp_path / "missing.csv"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing.csv'}: file not found [file_not_found]\n"


def test_a_directory_given_as_a_file_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "district").mkdir()
    result = _check(tmp_path, str(tmp_path / "district"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'district'}: is a directory, not a ballot file "
        f"(name the files in it, e.g. {tmp_path / 'district'}/*.csv) [not_a_file]\n"
    )


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(SHEETS, encoding="utf-8")
    path.chmod(0)
    try:
        result = _check(tmp_path, str(path))
    finally:
        path.chmod(0o644)
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: cannot be read: permission denied [unreadable]\n"


def test_an_unreadable_file_is_a_located_error_not_a_traceback(write, monkeypatch):
    """Like chmod 000 for a user who is not root: opening the file fails."""
    path = write("b.csv", SHEETS)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(sniff, "open", refuse, raising=False)
    with pytest.raises(PingyiError) as caught:
        read_ballots(load_round(write("round.yaml", ROUND)), [path])
    assert [p.as_tuple() for p in caught.value.problems] == [(str(path), None, "", "unreadable")]
    assert caught.value.problems[0].message == "cannot be read: permission denied"


def test_every_unusable_file_is_named_in_one_run(tmp_path, write):
    (tmp_path / "district").mkdir()
    good = write("b.csv", SHEETS)
    with pytest.raises(PingyiError) as caught:
        read_ballots(
            load_round(write("round.yaml", ROUND)), [good, tmp_path / "missing.csv", tmp_path / "district"]
        )
    assert [(p.file, p.code) for p in caught.value.problems] == [
        (str(tmp_path / "district"), "not_a_file"),
        (str(tmp_path / "missing.csv"), "file_not_found"),
    ]
