"""Trust in the results directory (issue 10): nothing lost, nothing forged.

Each test reproduces a defect a hostile tester found: a folder that is not ours replaced,
a user's files deleted, a tampered previous round used, a forged output "verified",
tracebacks on malformed results and manifests."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import pingyi
from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.results.write import remove_stale, write_directory

from .conftest import EXAMPLES

SIWEI = [str(EXAMPLES / "siwei" / "round.yaml"), str(EXAMPLES / "siwei" / "ballots.csv")]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def siwei() -> pingyi.Tally:
    return pingyi.tally(*SIWEI)


def codes(error: pytest.ExceptionInfo[PingyiError]) -> list[str]:
    return [p.code for p in error.value.problems]


def test_a_folder_with_a_foreign_manifest_json_is_not_replaced(siwei, tmp_path):
    """Defect: any folder holding a file named manifest.json was deleted and replaced."""
    other = tmp_path / "extension"
    other.mkdir()
    (other / "manifest.json").write_text('{"manifest_version": 3, "name": "tool"}', encoding="utf-8")
    (other / "background.js").write_text("x", encoding="utf-8")
    with pytest.raises(PingyiError) as caught:
        pingyi.write_results(siwei, other)
    assert codes(caught) == ["not_a_results_dir"]
    assert sorted(p.name for p in other.iterdir()) == ["background.js", "manifest.json"]


def test_files_a_user_added_to_a_results_directory_are_not_deleted(siwei, tmp_path):
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    (out / "my-notes.docx").write_bytes(b"notes")
    with pytest.raises(PingyiError) as caught:
        pingyi.write_results(siwei, out)
    assert codes(caught) == ["not_a_results_dir"]
    assert "my-notes.docx" in caught.value.problems[0].message
    assert (out / "my-notes.docx").read_bytes() == b"notes"


def test_a_results_directory_pingyi_wrote_is_replaced_and_nothing_is_left_beside_it(siwei, tmp_path):
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    pingyi.write_results(siwei, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
    assert invoke("verify", str(out)).exit_code == 0


def test_stale_staging_folders_of_dead_runs_are_removed(siwei, tmp_path):
    """A run killed between writing and swapping leaves .r.new-PID-*; the next run removes
    it once that process is gone, and never a live one's or a stranger's folder."""
    dead = tmp_path / ".r.new-999999999-abc"
    live = tmp_path / f".r.old-{os.getpid()}-xyz"
    stranger = tmp_path / ".r.new-keep"
    for folder in (dead, live, stranger):
        folder.mkdir()
    pingyi.write_results(siwei, tmp_path / "r")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r", live.name, stranger.name])
    assert remove_stale(tmp_path / "r") == []


def test_the_current_folder_is_never_a_results_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    result = invoke("tally", *SIWEI, "-o", ".")
    assert result.exit_code == 2 and "[not_a_results_dir]" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_one_line_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = invoke("tally", *SIWEI, "-o", str(locked / "r"))
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2 and "[write_failed]" in result.stderr


def test_a_failed_write_is_a_one_line_error_and_leaves_the_old_results(siwei, tmp_path, monkeypatch):
    """A full disk (ENOSPC while writing a file) is reported as one located error, and the
    old results stay as they were."""
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import pingyi.results.write as write

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "_write_file", full)
    with pytest.raises(PingyiError) as caught:
        write_directory(out, {"results.json": b"{}"})
    assert codes(caught) == ["write_failed"] and "No space left" in caught.value.problems[0].message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def _copy_round(tmp_path: Path) -> tuple[Path, Path]:
    """Ningbo round 1 (with its shipped results) and round 2, copied to tmp_path."""
    shutil.copytree(EXAMPLES / "ningbo", tmp_path / "ningbo")
    return tmp_path / "ningbo" / "round1" / "results", tmp_path / "ningbo" / "round2"


def test_a_tampered_previous_round_is_refused(tmp_path):
    """Defect: a rank edited from 10 to 30 in the previous results gave +10 instead of +3."""
    previous, round2 = _copy_round(tmp_path)
    path = previous / "results.json"
    document = json.loads(path.read_bytes())
    document["units"][0]["rank"] = 30
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(round2 / "round.yaml", round2 / "ballots.csv")
    assert codes(caught) == ["previous_changed"]
    assert "results.json has changed since it was written" in caught.value.problems[0].message


def test_verify_of_a_round_fails_when_its_previous_round_changes_after_it(tmp_path):
    previous, round2 = _copy_round(tmp_path)
    t = pingyi.tally(round2 / "round.yaml", round2 / "ballots.csv")
    pingyi.write_results(t, round2 / "results")
    assert invoke("verify", str(round2 / "results")).exit_code == 0
    (previous / "scores.csv").write_bytes((previous / "scores.csv").read_bytes() + b"\n")
    result = invoke("verify", str(round2 / "results"))
    assert result.exit_code == 1
    assert (
        "previous results ../../round1/results/results.json: output scores.csv has changed" in result.stderr
    )


def _forge(out: Path, edit) -> None:
    record = json.loads((out / "manifest.json").read_bytes())
    edit(record)
    (out / "manifest.json").write_text(json.dumps(record), encoding="utf-8")


def test_verify_decides_the_outputs_itself(siwei, tmp_path):
    """Defect: removing an output's manifest entry (or "outputs": []) let a forged output
    verify. Now the fresh tally says what the outputs are."""
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    (out / "scores.csv").write_bytes(b"forged\n")
    _forge(out, lambda r: r.update(outputs=[o for o in r["outputs"] if o["path"] != "scores.csv"]))
    result = invoke("verify", str(out))
    assert result.exit_code == 1
    assert "differs: scores.csv: a fresh tally gives different bytes" in result.stderr
    assert "differs: output scores.csv is not listed in the manifest" in result.stderr
    _forge(out, lambda r: r.update(outputs=[]))
    assert invoke("verify", str(out)).exit_code == 1


def test_verify_names_files_the_tally_does_not_write(siwei, tmp_path):
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    (out / "extra.csv").write_text("x", encoding="utf-8")
    result = invoke("verify", str(out))
    assert result.exit_code == 1
    assert "differs: extra.csv is in the directory, but the tally does not write it" in result.stderr


def test_a_version_bump_alone_does_not_fail_verify(siwei, tmp_path, monkeypatch):
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    import pingyi.results.verify as verify

    monkeypatch.setattr(verify, "__version__", "9.9.9")
    result = invoke("verify", str(out))
    assert result.exit_code == 0, result.stderr
    assert "note: written by pingyi 0.1.0, verified with 9.9.9" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "{",
        '{"tool": "pingyi", "format_version": 1, "inputs": {}, "outputs": []}',
        "null",
        "[" * 5000,
    ],
)
def test_a_malformed_manifest_is_a_one_line_error(siwei, tmp_path, text):
    out = tmp_path / "r"
    pingyi.write_results(siwei, out)
    (out / "manifest.json").write_text(text, encoding="utf-8")
    result = invoke("verify", str(out))
    assert result.exit_code == 2 and "[bad_manifest]" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"format_version": 1, "units": 3, "categories": []}', "units"),
        ('{"format_version": 1, "units": [{"id": 1}], "categories": []}', "units[0].id"),
        ('{"format_version": 1, "units": [], "categories": [{"id": "c"}]}', "categories[0].name"),
        ("[1, 2]", ""),
        ('{"format_version": 1', ""),
    ],
)
@pytest.mark.parametrize("command", ["rank", "feedback"])
def test_malformed_results_json_is_a_located_error(tmp_path, text, field, command):
    out = tmp_path / "r"
    out.mkdir()
    (out / "results.json").write_text(text, encoding="utf-8")
    args = ["rank", "-c", "c"] if command == "rank" else ["feedback", "-o", str(tmp_path / "fb")]
    result = invoke(*args, "--results", str(out))
    assert result.exit_code == 2 and "[bad_results]" in result.stderr
    assert f"results.json: {field}:" in result.stderr if field else "results.json:" in result.stderr


def test_check_rejects_never_overwrites_an_input_or_an_existing_file(tmp_path):
    ballots = tmp_path / "ballots.csv"
    shutil.copy(EXAMPLES / "siwei" / "ballots.csv", ballots)
    original = ballots.read_bytes()
    result = invoke("check", SIWEI[0], str(ballots), "--rejects", str(ballots), "--force")
    assert result.exit_code == 2 and "is an input of this run" in result.stderr
    assert ballots.read_bytes() == original
    existing = tmp_path / "rejects.csv"
    existing.write_text("mine", encoding="utf-8")
    result = invoke("check", SIWEI[0], str(ballots), "--rejects", str(existing))
    assert result.exit_code == 2 and "exists; give --force" in result.stderr
    assert existing.read_text(encoding="utf-8") == "mine"
    assert invoke("check", SIWEI[0], str(ballots), "--rejects", str(existing), "--force").exit_code == 0
    assert existing.read_text(encoding="utf-8").startswith("file,line,sheet,reason,detail\n")
    missing = invoke("check", SIWEI[0], str(ballots), "--rejects", str(tmp_path / "no" / "r.csv"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
