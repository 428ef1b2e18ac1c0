"""Rounds built on rounds (SPEC "Rounds built on rounds", seed 003 四、集中评议): a composite
takes components from other rounds' verified results, exactly; a tampered or later
changed component round is refused or fails verify; chains work, cycles are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import pingyi
from pingyi.cli.main import cli
from pingyi.errors import PingyiError

LOWER = """\
round: lower
extends: manyidu-4
strata:
  - {id: s, name: 服务对象}
categories:
  - {id: st, name: 文化站}
units:
  - {id: wh1, name: 一站, category: st}
  - {id: wh2, name: 二站, category: st}
  - {id: wh3, name: 三站, category: st}
"""
UPPER = """\
round: upper
extends: manyidu-4
strata:
  - {id: s, name: 服务对象}
categories:
  - {id: ju, name: 局科室}
units:
  - {id: wgxj, name: 文广新局, category: ju}
  - {id: wh3, name: 三站（直属）, category: ju}
composite:
  components:
    - {name: own, label: 本级满意度, source: score, weight: 0.4}
    - {name: lower, label: 下级满意度, source: results, path: ../lower/results, measure: score,
       units: {wgxj: [wh1, wh2]}, weight: 0.6}
"""
CITY = """\
round: city
extends: manyidu-4
strata:
  - {id: s, name: 服务对象}
categories:
  - {id: c, name: 市}
units:
  - {id: wgxj, name: 文广新局, category: c}
composite:
  components:
    - {name: upper, source: results, path: ../upper/results, measure: composite, weight: 1}
"""


def make(tmp_path: Path, name: str, text: str, header: str, rows: list[str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "round.yaml").write_text(text, encoding="utf-8")
    lines = [header] + [f"{name[0]}{i},s,{row}" for i, row in enumerate(rows)]
    (folder / "ballots.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(folder: Path) -> pingyi.Tally:
    t = pingyi.tally(folder / "round.yaml", folder / "ballots.csv")
    pingyi.write_results(t, folder / "results")
    return t


@pytest.fixture
def lower(tmp_path: Path) -> Path:
    """Degrees (满意 1 / 比较满意 0.8 / 一般 0.6 / 不满意 0, mean × 100): wh1 A A B → 280/3,
    wh2 C D A → 160/3, wh3 A A A → 100."""
    folder = make(tmp_path, "lower", LOWER, "sheet,stratum,wh1,wh2,wh3", ["A,C,A", "A,D,A", "B,A,A"])
    run(folder)
    return folder


def upper_folder(tmp_path: Path) -> Path:
    """Own degrees: wgxj A B → 90; wh3 B B → 80."""
    return make(tmp_path, "upper", UPPER, "sheet,stratum,wgxj,wh3", ["A,B", "B,B"])


def test_a_composite_of_a_verified_lower_round_is_exact(tmp_path, lower):
    """wgxj: 0.4 × 90 + 0.6 × mean(280/3, 160/3) = 36 + 0.6 × 220/3 = 36 + 44 = 80.
    wh3 (not mapped: its own id there): 0.4 × 80 + 0.6 × 100 = 92."""
    t = run(upper_folder(tmp_path))
    units = {u["id"]: u for u in t.to_dict()["units"]}
    assert units["wgxj"]["score_exact"] == "80"
    assert units["wgxj"]["components"]["lower"]["exact"] == "220/3"
    assert units["wh3"]["score_exact"] == "92"
    assert t.units.loc["wh3", "rank"] == 1
    record = json.loads((tmp_path / "upper" / "results" / "manifest.json").read_bytes())
    assert [i["path"] for i in record["inputs"] if i["role"] == "component"] == [
        "../../lower/results/results.json"
    ]


def test_a_tampered_component_round_is_refused_naming_the_file(tmp_path, lower):
    path = lower / "results" / "results.json"
    document = json.loads(path.read_bytes())
    document["units"][0]["score_exact"] = "100"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    folder = upper_folder(tmp_path)
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(folder / "round.yaml", folder / "ballots.csv")
    (problem,) = caught.value.problems
    assert (problem.file, problem.field, problem.code) == (
        "../lower/results",
        "composite.components[1].path",
        "component_changed",
    )
    assert "output results.json has changed since it was written" in problem.message


def test_verify_fails_when_a_component_round_changes_after(tmp_path, lower):
    folder = upper_folder(tmp_path)
    run(folder)
    assert CliRunner().invoke(cli, ["verify", str(folder / "results")]).exit_code == 0
    (lower / "ballots.csv").write_text(
        (lower / "ballots.csv").read_text(encoding="utf-8") + "l9,s,D,D,D\n", encoding="utf-8"
    )
    run(lower)  # the lower round is tallied again: its results change
    result = CliRunner().invoke(cli, ["verify", str(folder / "results")])
    assert result.exit_code == 1
    assert "input ../../lower/results/results.json (component) has changed" in result.stderr


def test_a_chain_lower_upper_city_works_and_a_cycle_is_refused(tmp_path, lower):
    run(upper_folder(tmp_path))
    city = make(tmp_path, "city", CITY, "sheet,stratum,wgxj", ["A"])
    t = run(city)
    assert t.to_dict()["units"][0]["score_exact"] == "80"
    with pytest.raises(PingyiError) as caught:
        pingyi.write_results(t, lower / "results")
    assert [p.code for p in caught.value.problems] == ["results_cycle"]


def test_a_mapped_unit_missing_in_the_other_round_is_named(tmp_path, lower):
    folder = upper_folder(tmp_path)
    text = (folder / "round.yaml").read_text(encoding="utf-8").replace("[wh1, wh2]", "[wh1, wh9]")
    (folder / "round.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(folder / "round.yaml", folder / "ballots.csv")
    assert [(p.field, p.code, p.message) for p in caught.value.problems] == [
        (
            "composite.components[1].units",
            "missing_unit",
            "unit 'wh9' (mapped from 'wgxj') is not a unit in round 'lower'",
        )
    ]
