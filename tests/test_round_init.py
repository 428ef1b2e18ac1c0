"""``pingyi init --units``: what it writes loads back with the exact names (issue 10 g)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli
from pingyi.round.load import load_round
from pingyi.round.tablefile import read_rows

# Texts YAML would read as something else, or not at all, if written bare.
NASTY = [
    "a, b",
    "on",
    "yes",
    "No",
    "null",
    "~",
    "*star",
    "&amp",
    "!bang",
    "-dash",
    "- item",
    "#hash",
    "key: value",
    "a #b",
    "[list]",
    "{map}",
    "%pct",
    "@at",
    "`tick",
    "|pipe",
    ">fold",
    "?q",
    "'single'",
    '"double"',
    "007",
    "0x10",
    "1e3",
    "1.5",
    ".inf",
    "2007-05-01",
    "<<",
    "=",
    "单位, 一",
]


def _units_csv(rows: list[tuple[str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "category"])
    writer.writerows(rows)
    return out.getvalue()


def _init(tmp_path, scheme: str) -> CliRunner:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "init",
            "--scheme",
            scheme,
            "--units",
            str(tmp_path / "units.csv"),
            "-o",
            str(tmp_path / "round.yaml"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["check", str(tmp_path / "round.yaml")])
    assert result.exit_code == 0, result.output
    return runner


def test_nasty_category_and_unit_texts_round_trip(tmp_path):
    # two units a category, so each may have a winner and a last place
    rows = [(f"{text}#{i}", f"{text}单位{i}", text) for text in NASTY for i in (1, 2)]
    (tmp_path / "units.csv").write_text(_units_csv(rows), encoding="utf-8")
    _init(tmp_path, "qianren-2-1-0")
    r = load_round(tmp_path / "round.yaml")
    assert [c.id for c in r.categories] == NASTY
    assert [c.name for c in r.categories] == NASTY
    assert [(u.id, u.name, u.category) for u in r.units] == rows


def test_nasty_units_path_round_trips(tmp_path):
    folder = tmp_path / "#a: b, [c]"
    folder.mkdir()
    (folder / "units.csv").write_text(_units_csv([("x", "甲", "local"), ("y", "乙", "local")]), "utf-8")
    runner = CliRunner()
    out = tmp_path / "round.yaml"
    args = ["init", "--scheme", "qianren-2-1-0", "--units", str(folder / "units.csv"), "-o", str(out)]
    assert runner.invoke(cli, args, catch_exceptions=False).exit_code == 0
    assert [u.id for u in load_round(out).units] == ["x", "y"]


def test_nasty_unit_ids_in_the_adjustments_template(tmp_path):
    rows = [("a, b", "甲", "local"), ('say "hi"', "乙", "local"), ("=1+1", "丙", "local")]
    (tmp_path / "units.csv").write_text(_units_csv(rows), encoding="utf-8")
    _init(tmp_path, "siwei-yiti")
    adjustments = read_rows(tmp_path / "adjustments.csv", "adjustments.csv", ("unit",))
    assert [cells["unit"] for _, cells in adjustments] == ["a, b", 'say "hi"', "=1+1"]


@pytest.mark.parametrize("units", [1, 2, 3])
def test_small_categories_get_no_more_winners_than_fit(tmp_path, units):
    rows = [(f"u{i}", f"单位{i}", "local") for i in range(units)]
    (tmp_path / "units.csv").write_text(_units_csv(rows), encoding="utf-8")
    _init(tmp_path, "qianren-2-1-0")
    assert load_round(tmp_path / "round.yaml").categories[0].winners == (1 if units >= 2 else 0)
