"""The CLI contract of tally, rank and verify on every shipped example: exit codes, the
results directory, golden bytes. Most run in process (CliRunner); a few run the installed
``pingyi`` command as a user would (``spawn``), STYLE 12."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli
from tests.conftest import EXAMPLES, ROOT

PINGYI = str(Path(sys.executable).with_name("pingyi"))
GOLDEN = Path(__file__).parent / "golden"
OUTPUTS = {"results.json", "scores.csv", "strata.csv", "rejects.csv", "report.xlsx", "manifest.json"}
MACHINE = ("results.json", "scores.csv", "strata.csv", "rejects.csv")


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path = ROOT) -> Ran:
    """The command in process, from ``cwd``."""
    before = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(before)
    return Ran(result.exit_code, result.stdout, result.stderr)


def spawn(*args: str, cwd: Path = ROOT) -> Ran:
    """The installed ``pingyi`` command in its own process, as a user runs it."""
    done = subprocess.run([PINGYI, *args], cwd=cwd, capture_output=True, text=True, check=False)
    return Ran(done.returncode, done.stdout, done.stderr)


EXAMPLE_RUNS = {
    "yixing": ("examples/yixing/round.yaml", "examples/yixing/ballots.csv"),
    "ningbo-round1": ("examples/ningbo/round1/round.yaml", "examples/ningbo/round1/ballots.csv"),
    "ningbo-round2": ("examples/ningbo/round2/round.yaml", "examples/ningbo/round2/ballots.csv"),
    "siwei": ("examples/siwei/round.yaml", "examples/siwei/ballots.csv"),
    "wenguang-lower": ("examples/wenguang/lower/round.yaml", "examples/wenguang/lower/ballots.csv"),
    "wenguang-upper": ("examples/wenguang/upper/round.yaml", "examples/wenguang/upper/ballots.csv"),
}


@pytest.fixture(scope="module")
def tallied(tmp_path_factory):
    """Each example tallied once by ``pingyi tally`` (in process), for the tests that only
    read its results directory."""
    done: dict[str, Path] = {}

    def results_of(name: str) -> Path:
        if name not in done:
            out = tmp_path_factory.mktemp(name) / "results"
            ran = run("tally", *EXAMPLE_RUNS[name], "-o", str(out), "-q")
            assert ran.returncode == 0, ran.stderr
            done[name] = out
        return done[name]

    return results_of


@pytest.mark.parametrize("name", list(EXAMPLE_RUNS))
def test_every_example_tallies_and_verifies(name, tallied):
    out = tallied(name)
    assert {p.name for p in out.iterdir()} == OUTPUTS
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert document["format_version"] == 1
    sheets = document["sheets"]
    assert sheets["read"] == sheets["counted"] + sheets["rejected"]
    for category in document["categories"]:
        assert category["winners"] and category["last_place"]
    if name in SHIPPED:
        return  # its shipped results, which equal these, are verified below
    verified = run("verify", str(out))
    assert verified.returncode == 0, verified.stderr
    assert "verified" in verified.stdout


def test_yixing_outputs_match_the_golden_files(tmp_path):
    """Pinned bytes of the quick-start example. Rebuild only on purpose, with
    ``pingyi tally examples/yixing/round.yaml examples/yixing/ballots.csv -o /tmp/y`` and a
    copy of every file but manifest.json into tests/golden/yixing/."""
    done = spawn("tally", *EXAMPLE_RUNS["yixing"], "-o", str(tmp_path / "r"), "--format", "csv")
    assert done.returncode == 0, done.stderr
    for name in MACHINE:
        assert (tmp_path / "r" / name).read_bytes() == (GOLDEN / "yixing" / name).read_bytes(), name
    assert done.stdout.encode("utf-8") == (GOLDEN / "yixing" / "scores.csv").read_bytes()


def test_yixing_known_standings():
    """A few figures of the golden result read back: ranks, winners and reasons."""
    document = json.loads((GOLDEN / "yixing" / "results.json").read_text(encoding="utf-8"))
    units = {u["id"]: u for u in document["units"]}
    local = next(c for c in document["categories"] if c["id"] == "local")
    assert local["winners"] == ["tb", "jcj", "zfw", "jyj", "lsj"]
    assert local["last_place"] == ["nb"]
    assert units["tb"]["score_exact"] == "2207" and units["tb"]["rank"] == 1
    assert units["cgzfj"]["reasons"]["rectification"] == "满意率 89.34% < 90%"
    assert document["sheets"] == {
        "read": 1206,
        "counted": 1194,
        "rejected": 12,
        "rejected_by_reason": {"all_blank": 6, "duplicate": 6},
    }


SHIPPED = {"ningbo-round1": "ningbo/round1", "wenguang-lower": "wenguang/lower"}


@pytest.mark.parametrize(("name", "folder"), list(SHIPPED.items()))
def test_shipped_results_are_what_tally_makes(tallied, name, folder):
    """Results directories shipped because a later round reads them (previous, component)."""
    out = tallied(name)
    shipped = EXAMPLES / folder / "results"
    for name in OUTPUTS - {"manifest.json"}:  # report.xlsx too: its bytes depend on content only
        assert (out / name).read_bytes() == (shipped / name).read_bytes(), name
    assert run("verify", str(shipped)).returncode == 0


def test_ningbo_round2_reports_movement_and_bonuses(tallied):
    out = tallied("ningbo-round2")
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert document["previous"] == {"round": "ningbo-round1", "new": [], "gone": []}
    for unit in document["units"]:
        assert unit["rank_change"] == unit["previous_rank"] - unit["rank"]
        if "winner" in unit["flags"]:
            assert unit["bonus"] == 10
        elif 1 <= unit["rank_change"] <= 4:
            assert unit["bonus"] == 3


def test_verify_fails_after_a_ballot_file_is_edited(tmp_path):
    shutil.copytree(EXAMPLES / "yixing", tmp_path / "yixing")
    assert run("tally", "round.yaml", "ballots.csv", "-o", "out", cwd=tmp_path / "yixing").returncode == 0
    ballots = tmp_path / "yixing" / "ballots.csv"
    lines = ballots.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",A,", ",C,", 1)
    ballots.write_text("".join(lines), encoding="utf-8")
    done = spawn("verify", str(tmp_path / "yixing" / "out"))
    assert done.returncode == 1
    assert "input ../ballots.csv (ballots) has changed" in done.stderr
    assert "results.json: a fresh tally gives different bytes" in done.stderr


def test_verify_fails_when_an_output_is_touched(tmp_path):
    out = tmp_path / "r"
    assert run("tally", *EXAMPLE_RUNS["siwei"], "-o", str(out), "-q").returncode == 0
    (out / "scores.csv").write_bytes((out / "scores.csv").read_bytes().replace(b"gsj2", b"gsj3"))
    done = run("verify", str(out))
    assert done.returncode == 1 and "output scores.csv has changed" in done.stderr


def test_a_failed_run_leaves_the_older_result_untouched(tmp_path, write):
    out = tmp_path / "r"
    assert run("tally", *EXAMPLE_RUNS["yixing"], "-o", str(out), "-q").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = write("broken.yaml", "round: x\nextends: qianren-2-1-0\ncategories: []\n")
    assert run("tally", str(broken), "examples/yixing/ballots.csv", "-o", str(out)).returncode == 2
    strict = write(
        "strict.yaml",
        (EXAMPLES / "yixing" / "round.yaml")
        .read_text(encoding="utf-8")
        .replace("min_share: 0.60", "min_share: 0.70"),
    )
    done = spawn("tally", str(strict), "examples/yixing/ballots.csv", "-o", str(out), "--strict")
    assert done.returncode == 1 and "quota missed" in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.")] == []


def test_a_folder_pingyi_did_not_write_is_never_replaced(tmp_path):
    keep = tmp_path / "work"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine", encoding="utf-8")
    done = run("tally", *EXAMPLE_RUNS["siwei"], "-o", str(keep))
    assert done.returncode == 2 and "not_a_results_dir" in done.stderr
    assert [p.name for p in keep.iterdir()] == ["notes.txt"]


def test_rank_prints_one_category_and_names_the_known_ones(tmp_path, tallied):
    out = tallied("yixing")
    done = run("rank", "--category", "financial", "--results", str(out), "--format", "csv")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "category,rank,unit,name,score,satisfaction_rate,valid,flags"
    assert lines[1] == "financial,1,nfh,农发行,2163.00,0.9454,1190,winner"
    assert len(lines) == 10
    missing = run("rank", "--category", "banks", "--results", str(out))
    assert missing.returncode == 2
    assert "no category 'banks'; known: local (地方管理部门), vertical (垂直管理部门)" in missing.stderr
    table = run("rank", "-c", "local", "--results", str(out))
    assert "优胜单位: 台办、监察局、政法委、教育局、粮食局" in table.stdout
    assert run("rank", "-c", "local", "--results", str(tmp_path / "none")).returncode == 2


def test_json_format_prints_results_json_and_a_quoted_glob_reads_every_file(tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    lines = (EXAMPLES / "yixing" / "ballots.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for i in range(3):
        (parts / f"d{i}.csv").write_text(lines[0] + "".join(lines[1 + i :: 3]), encoding="utf-8")
    out = tmp_path / "r"
    done = run(
        "tally", "examples/yixing/round.yaml", str(parts / "*.csv"), "-o", str(out), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.encode("utf-8") == (out / "results.json").read_bytes()
    assert (out / "results.json").read_bytes() == (GOLDEN / "yixing" / "results.json").read_bytes()
    assert run("tally", "examples/yixing/round.yaml", str(tmp_path / "no*.csv")).returncode == 2
