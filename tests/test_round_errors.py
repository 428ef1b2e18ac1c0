"""Broken round files: every problem reported at once, with file, line, field and code."""

from __future__ import annotations

import os
import textwrap

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

GOOD = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: local, name: 地方管理部门, winners: 1}
  - {id: vertical, name: 垂直管理部门, winners: 0}
strata:
  - {id: service, name: 服务对象, weight: 1}
  - {id: officials, name: 党政干部, weight: 2}
units:
  - {id: a, name: 甲, category: local}
  - {id: b, name: 乙, category: local}
  - {id: c, name: 丙, category: vertical}
"""

# (name, round.yaml text, expected [(file, line, field, code)])
CASES = [
    ("yaml syntax", "round: t\ncategories: [a, b\n", [("round.yaml", 3, "", "yaml_syntax")]),
    ("not a mapping", "- a\n- b\n", [("round.yaml", 1, "", "wrong_type")]),
    ("unknown key", GOOD + "vetoo: []\n", [("round.yaml", 13, "vetoo", "unknown_key")]),
    (
        "unknown nested key",
        GOOD + "scoring: {method: sum, precison: 3}\n",
        [("round.yaml", 13, "scoring.precison", "unknown_key")],
    ),
    (
        "wrong type",
        GOOD.replace("winners: 1}\n  - {id: vertical", "winners: 1, ranked: five}\n  - {id: vertical"),
        [("round.yaml", 4, "categories[0].ranked", "wrong_type")],
    ),
    ("bad literal", GOOD + "scoring:\n  method: summ\n", [("round.yaml", 14, "scoring.method", "bad_value")]),
    (
        "duplicate unit id",
        GOOD + "  - {id: a, name: 丁, category: vertical}\n",
        [("round.yaml", 13, "units[3].id", "duplicate_id")],
    ),
    (
        "unknown category",
        GOOD + "  - {id: d, name: 丁, category: finance}\n",
        [("round.yaml", 13, "units[3].category", "unknown_reference")],
    ),
    ("unknown veto", GOOD + "veto: [a, zz]\n", [("round.yaml", 13, "veto[1]", "unknown_reference")]),
    (
        "unknown quota stratum",
        GOOD + "quotas:\n  - {strata: [service, voters], min_share: 0.6}\n",
        [("round.yaml", 14, "quotas[0].strata[1]", "unknown_reference")],
    ),
    (
        "quota without bound",
        GOOD + "quotas:\n  - {strata: [service]}\n",
        [("round.yaml", 14, "quotas[0]", "bad_value")],
    ),
    (
        "zero weight",
        GOOD.replace("weight: 2", "weight: 0"),
        [("round.yaml", 8, "strata[1].weight", "bad_value")],
    ),
    (
        "negative winners",
        GOOD.replace("winners: 1}\n  - {id: vertical", "winners: -1}\n  - {id: vertical"),
        [("round.yaml", 4, "categories[0].winners", "bad_value")],
    ),
    (
        "bad tie-break key",
        GOOD + "scoring:\n  tie_break: [satisfaction_rate, most_A]\n",
        [("round.yaml", 14, "scoring.tie_break", "bad_value")],
    ),
    (
        "tie-break unknown code",
        GOOD + 'scoring:\n  tie_break: ["count:Z"]\n',
        [("round.yaml", 14, "scoring.tie_break[0]", "unknown_reference")],
    ),
    (
        "form lists unknown unit",
        GOOD + "forms:\n  表一: [a, b]\n  表二: [c, x]\n",
        [("round.yaml", 15, "forms.表二[1]", "unknown_reference")],
    ),
    (
        "duplicate option code",
        GOOD
        + textwrap.dedent("""\
        scale:
          options:
            - {code: A, label: 满意, value: 2, satisfied: true}
            - {code: A, label: 不满意, value: 0}
        """),
        [("round.yaml", 14, "scale.options", "bad_value")],
    ),
    ("duplicate key", GOOD + "veto: []\nveto: [a]\n", [("round.yaml", 14, "veto", "duplicate_key")]),
    (
        "missing scheme",
        GOOD.replace("qianren-2-1-0", "qianren-2-1"),
        [("round.yaml", 2, "extends", "scheme_not_found")],
    ),
    ("missing required key", GOOD.replace("round: t\n", ""), [("round.yaml", None, "round", "missing_key")]),
    (
        "yes/no read as boolean",
        GOOD + "  - {id: no, name: 丁, category: local}\n",
        [("round.yaml", 13, "units[3].id", "wrong_type")],
    ),
    ("scheme key in a round", "scheme: x\n" + GOOD, [("round.yaml", 1, "scheme", "unknown_key")]),
    (
        "share over one",
        GOOD + "sheets: {invalid_if_invalid_marks_over: 1.5}\n",
        [("round.yaml", 13, "sheets.invalid_if_invalid_marks_over", "bad_value")],
    ),
    (
        "adjustments file missing",
        GOOD + "adjustments: adj.csv\n",
        [("round.yaml", 13, "adjustments", "file_not_found")],
    ),
    (
        "unit column clashes with stratum column",
        GOOD + "ballots: {columns: {a: stratum}}\n",
        [("round.yaml", 13, "ballots.columns.a", "bad_value")],
    ),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_broken_round_file(tmp_path, name, text, expected):
    (tmp_path / "round.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PingyiError) as info:
        load_round(tmp_path / "round.yaml")
    got = [(os.path.basename(p.file), p.line, p.field, p.code) for p in info.value.problems]
    assert got == expected


def test_every_problem_reported_at_once(write):
    path = write(
        "round.yaml",
        GOOD.replace("weight: 2", "weight: -2")
        + "  - {id: a, name: 丁, category: finance}\nveto: [zz]\nscoring: {method: avg}\n",
    )
    with pytest.raises(PingyiError) as info:
        load_round(path)
    got = [(p.line, p.field, p.code) for p in info.value.problems]
    assert got == [
        (8, "strata[1].weight", "bad_value"),
        (13, "units[3].category", "unknown_reference"),
        (13, "units[3].id", "duplicate_id"),
        (14, "veto[0]", "unknown_reference"),
        (15, "scoring.method", "bad_value"),
    ]


def test_unknown_key_suggests_the_near_one(write):
    path = write("round.yaml", GOOD + "categroies: []\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    (problem,) = info.value.problems
    assert "did you mean 'categories'?" in problem.message


def test_problem_in_scheme_points_at_the_scheme_file(write):
    write("base.yaml", "scheme: base\nextends: qianren-2-1-0\nscoring:\n  method: median\n")
    path = write("round.yaml", GOOD.replace("qianren-2-1-0", "base.yaml"))
    with pytest.raises(PingyiError) as info:
        load_round(path)
    got = [(os.path.basename(p.file), p.line, p.field, p.code) for p in info.value.problems]
    assert got == [("base.yaml", 4, "scoring.method", "bad_value")]


def test_extends_cycle(write):
    write("a.yaml", "scheme: a\nextends: b.yaml\n")
    write("b.yaml", "scheme: b\nextends: a.yaml\n")
    path = write("round.yaml", GOOD.replace("qianren-2-1-0", "a.yaml"))
    with pytest.raises(PingyiError) as info:
        load_round(path)
    got = [(os.path.basename(p.file), p.line, p.field, p.code) for p in info.value.problems]
    assert got == [("b.yaml", 2, "extends", "extends_cycle")]


def test_units_file_errors_point_at_csv_lines(write):
    write("units.csv", "id,name,category\na,甲,local\nb,乙,finance\na,丙,local\nc,丁,vertical\n")
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    got = [(os.path.basename(p.file), p.line, p.field, p.code) for p in info.value.problems]
    assert got == [
        ("units.csv", 3, "units[1].category", "unknown_reference"),
        ("units.csv", 4, "units[2].id", "duplicate_id"),
    ]


@pytest.mark.parametrize("name,text,expected", CASES[:16], ids=[c[0] for c in CASES[:16]])
def test_cli_check_exits_2_with_located_messages(tmp_path, name, text, expected):
    (tmp_path / "round.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "round.yaml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    file, line, field, code = expected[0]
    place = f"{tmp_path / file}:{line}:" if line else f"{tmp_path / file}:"
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {place}")
    assert first.endswith(f"[{code}]")
    if field:
        assert f" {field}: " in first
