"""The public API (docs/api.md): what a script or a notebook does with pingyi, and that it
agrees with the command line to the byte."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import pingyi
from pingyi.cli.main import cli
from pingyi.errors import EXIT_CHECK_FAILED, PingyiError

from .conftest import EXAMPLES

YIXING = (EXAMPLES / "yixing" / "round.yaml", EXAMPLES / "yixing" / "ballots.csv")


@pytest.fixture(scope="module")
def yixing() -> pingyi.Tally:
    return pingyi.tally(str(YIXING[0]), [str(YIXING[1])])


def test_tally_ranks_and_equals_what_the_command_writes(yixing, tmp_path):
    """The issue's own check: 农办 (nb) is 45th of 45 local units, and to_dict() is the
    results.json that ``pingyi tally`` writes for the same inputs."""
    assert yixing.units.loc["nb", "rank"] == 45
    assert yixing.units.loc["nb", "flags"] == ("last_place",)
    done = CliRunner().invoke(cli, ["tally", *map(str, YIXING), "-o", str(tmp_path / "r"), "-q"])
    assert done.exit_code == 0, done.output
    assert yixing.to_dict() == json.loads((tmp_path / "r" / "results.json").read_bytes())
    assert yixing.files["results.json"] == (tmp_path / "r" / "results.json").read_bytes()


def test_read_results_gives_back_equal_frames(yixing, tmp_path):
    pingyi.write_results(yixing, tmp_path / "r")
    again = pingyi.read_results(tmp_path / "r")
    pd.testing.assert_frame_equal(again.units, yixing.units)
    pd.testing.assert_frame_equal(again.counts, yixing.counts)
    pd.testing.assert_frame_equal(again.strata, yixing.strata)
    pd.testing.assert_frame_equal(again.rejects, yixing.rejects)
    assert again.to_dict() == yixing.to_dict()


def test_frames_hold_exact_values_and_integer_counts(yixing):
    units, counts = yixing.units, yixing.counts
    assert list(units.columns[:3]) == ["name", "category", "rank"]
    assert str(units["rank"].dtype) == "Int64" and counts["count"].dtype == "int64"
    tb = yixing.to_dict()["units"][[u["id"] for u in yixing.to_dict()["units"]].index("tb")]
    assert units.loc["tb", "score_exact"] == Fraction(tb["score_exact"])
    assert units.loc["tb", "satisfaction_rate_exact"] == Fraction(tb["satisfaction_rate_exact"])
    mine = counts[counts["unit"] == "tb"].groupby("mark")["count"].sum().to_dict()
    assert mine == tb["counts"]
    assert yixing.strata["counted"].sum() == yixing.to_dict()["sheets"]["counted"] == 1194
    assert sorted(yixing.rejects["reason"].value_counts().items()) == [("all_blank", 6), ("duplicate", 6)]


def test_check_reports_the_sheets_without_writing(tmp_path):
    report = pingyi.check(YIXING[0], YIXING[1])
    sheets = report.summary["ballots"]["sheets"]
    assert (sheets["read"], sheets["counted"], sheets["rejected"]) == (1206, 1194, 12)
    assert not report.void and not report.failed
    assert report.ballots is not None and report.ballots.counted == 1194


def test_a_void_round_is_never_written(write, tmp_path):
    """More sheets counted than issued voids the round (政协 rule): write_results refuses
    with exit code 1 and leaves no directory."""
    text = YIXING[0].read_text(encoding="utf-8").replace("weight: 1}", "weight: 1, issued: 10}", 1)
    round_file = write("round.yaml", text.replace("extends: qianren-2-1-0", "extends: qianren-2-1-0"))
    t = pingyi.tally(round_file, YIXING[1])
    assert [p.code for p in t.void] == ["over_issued"]
    with pytest.raises(PingyiError) as caught:
        pingyi.write_results(t, tmp_path / "out")
    assert caught.value.exit_code == EXIT_CHECK_FAILED
    assert [p.code for p in caught.value.problems] == ["not_written"]
    assert not (tmp_path / "out").exists()


def test_a_read_back_tally_cannot_be_written_again(yixing, tmp_path):
    pingyi.write_results(yixing, tmp_path / "r")
    with pytest.raises(ValueError):
        pingyi.write_results(pingyi.read_results(tmp_path / "r"), tmp_path / "s")


def test_the_engine_opens_no_file_and_layers_import_downwards():
    """STYLE 3: a pure core. No module under engine/ opens a file, and no layer imports
    one above it (round → ballots → engine → results → report → cli)."""
    import ast

    source = Path(pingyi.__file__).parent
    forbidden_calls = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "read_rows"}
    above = {
        "round": ("pingyi.ballots", "pingyi.engine", "pingyi.results", "pingyi.report", "pingyi.cli"),
        "ballots": ("pingyi.engine", "pingyi.results", "pingyi.report", "pingyi.cli"),
        "engine": ("pingyi.results", "pingyi.report", "pingyi.cli", "pingyi.sidefiles", "pingyi.api"),
        "results": ("pingyi.cli", "pingyi.api"),
        "report": ("pingyi.cli", "pingyi.api"),
    }
    found = []
    for path in sorted(source.rglob("*.py")):
        layer = path.relative_to(source).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith(above.get(layer, ())):
                    found.append((path.name, node.lineno, node.module))
            if layer == "engine" and isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in forbidden_calls:
                    found.append((path.name, node.lineno, name))
    assert found == []


def test_no_module_is_over_400_lines():
    source = Path(pingyi.__file__).parent
    long = {
        p.name: n
        for p in source.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_the_example_in_docs_api_runs(tmp_path, monkeypatch, capsys):
    """docs/api.md's first code block runs as is from the repository root."""
    from .conftest import ROOT

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code = text.split("```python", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(EXAMPLES)
    exec(compile(code, "docs/api.md", "exec"), {})
    out = capsys.readouterr().out
    assert "<Tally yixing-2007: 66 units, 1194 of 1206 sheets counted>" in out
    assert "\n45\n" in out and "2809/2" in out
    assert (tmp_path / "results" / "manifest.json").is_file()
