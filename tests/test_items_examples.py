"""The item and numeric examples: their ballots rebuild from the command in their round
file, and their figures hold the rules (a unit is the weighted mean of its items)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli
from pingyi.results.build import build

from .conftest import EXAMPLES, ROOT


def _command(example: str) -> list[str]:
    text = (EXAMPLES / example / "round.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "pingyi simulate" in line)
    return line.split("pingyi ", 1)[1].split()


@pytest.mark.parametrize("example", ["wanzhong", "yixing-items"])
def test_shipped_ballots_rebuild_byte_for_byte(tmp_path, example):
    args = _command(example)
    args[args.index("-o") + 1] = str(tmp_path / "ballots.csv")
    args[1] = str(ROOT / args[1])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ballots.csv").read_bytes() == (EXAMPLES / example / "ballots.csv").read_bytes()


@pytest.fixture(scope="module")
def wanzhong():
    folder = EXAMPLES / "wanzhong"
    return build(str(folder / "round.yaml"), [(folder / "ballots.csv", "ballots.csv")], report=False).document


def test_wanzhong_units_are_the_mean_of_five_items_and_graded(wanzhong):
    """万众评公务: five items of 100 points, each the mean of its marks; a unit the plain
    mean of its five items, graded 85 / 75 / 60; last place only under 75."""
    for unit in wanzhong["units"]:
        items = [Fraction(unit["items"][i["id"]]["score_exact"]) for i in wanzhong["items"]]
        score = Fraction(unit["score_exact"])
        assert score == sum(items) / 5
        expected = "优秀" if score >= 85 else "良好" if score >= 75 else "合格" if score >= 60 else "不合格"
        assert unit["grades"]["level"] == expected
        if "last_place" in unit["flags"]:
            assert score < 75
    assert wanzhong["scale"]["numeric"]["satisfied_at_least"] == "60"


def test_yixing_items_weighs_the_four_items_4_3_2_1():
    folder = EXAMPLES / "yixing-items"
    document = build(
        str(folder / "round.yaml"), [(folder / "ballots.csv", "ballots.csv")], report=False
    ).document
    weights = {"law": 4, "eff": 3, "work": 2, "mech": 1}
    for unit in document["units"]:
        items = {i: Fraction(unit["items"][i]["score_exact"]) for i in weights}
        assert Fraction(unit["score_exact"]) == sum(weights[i] * items[i] for i in weights) / 10
        assert unit["counts"]["A"] == sum(unit["items"][i]["counts"]["A"] for i in weights)
    assert [c["winners"][:1] for c in document["categories"]] == [["ldsbj"], ["gtj"], ["nfh"]]
