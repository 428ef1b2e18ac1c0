"""Item and numeric keys that cannot work are located errors: file, line, field, code."""

from __future__ import annotations

import os

import pytest

from pingyi.errors import PingyiError
from pingyi.round.load import load_round

ROUND = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: c, name: 类}
strata:
  - {id: s1, name: 一}
units:
  - {id: u1, name: 甲, category: c}
  - {id: u2, name: 乙, category: c}
items:
  - {id: law, name: 依法行政, weight: 4}
  - {id: eff, name: 行政效能, weight: 3}
"""
NUMERIC = """\
round: t
scale:
  numeric: {min: 0, max: 100}
categories:
  - {id: c, name: 类}
strata:
  - {id: s1, name: 一}
units:
  - {id: u1, name: 甲, category: c}
"""

CASES = [
    ("item id clash", ROUND.replace("id: eff", "id: law"), [(12, "items[1].id", "duplicate_id")]),
    ("weight 0", ROUND.replace("weight: 3}", "weight: 0}"), [(12, "items[1].weight", "bad_value")]),
    ("weight below 0", ROUND.replace("weight: 4}", "weight: -1}"), [(11, "items[0].weight", "bad_value")]),
    (
        "form lists an unknown item",
        ROUND + "forms:\n  表一: [u1, u2.xyz]\n",
        [(14, "forms.表一[1]", "unknown_reference")],
    ),
    (
        "form lists an item twice",
        ROUND + "forms:\n  表一: [u1, u1.law]\n",
        [(14, "forms.表一[1]", "duplicate_id")],
    ),
    (
        "item column without {item}",
        ROUND + 'ballots: {item_column: "{unit}"}\n',
        [(13, "ballots.item_column", "bad_value")],
    ),
    (
        "an item reads the stratum column",
        ROUND + "ballots: {columns: {u1.law: stratum}}\n",
        [(13, "ballots.columns.u1.law", "bad_value")],
    ),
    (
        "item keys without items",
        NUMERIC + "ballots: {item_column: '{unit}-{item}'}\n",
        [(10, "ballots.item_column", "bad_value")],
    ),
    (
        "grading named like an item column",
        ROUND + "grades:\n  - {id: item_law, name: x, bands: [{grade: 好}]}\n",
        [(11, "items[0].id", "reserved_id")],
    ),
    ("min not below max", NUMERIC.replace("max: 100", "max: 0"), [(3, "scale.numeric", "bad_value")]),
    ("five decimals", NUMERIC.replace("max: 100", "max: 99.99999"), [(3, "scale.numeric", "bad_value")]),
    (
        "satisfied line outside the range",
        NUMERIC + "satisfaction: {satisfied_at_least: 101}\n",
        [(10, "satisfaction.satisfied_at_least", "bad_value")],
    ),
    (
        "satisfied line without numbers",
        ROUND + "satisfaction: {satisfied_at_least: 60}\n",
        [(13, "satisfaction.satisfied_at_least", "bad_value")],
    ),
    (
        "option aliases for numbers",
        NUMERIC + "ballots: {marks: {'1': A}}\n",
        [(10, "ballots.marks", "bad_value")],
    ),
    (
        "a 满意率 line without a satisfied line",
        NUMERIC + "awards: {rectification: {below: 0.9}}\n",
        [(10, "awards.rectification.below", "missing_key")],
    ),
    (
        "a winners requirement on a 满意率 without a satisfied line",
        NUMERIC.replace(
            "name: 类}", "name: 类, winners_require: {measure: satisfaction_rate, at_least: 0.9}}"
        ),
        [(5, "categories[0].winners_require.measure", "missing_key")],
    ),
    (
        "neither options nor numbers",
        NUMERIC.replace("  numeric: {min: 0, max: 100}\n", "  blank: {}\n"),
        [(2, "scale", "bad_value")],
    ),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_located_errors(write, name, text, expected):
    path = write("round.yaml", text)
    with pytest.raises(PingyiError) as info:
        load_round(path)
    got = [(p.line, p.field, p.code) for p in info.value.problems]
    assert got == expected
    assert all(os.path.basename(p.file) == "round.yaml" for p in info.value.problems)


def test_every_mistake_at_once(write):
    """A round with four item mistakes gets four messages in one run (STYLE 5)."""
    text = ROUND.replace("id: eff", "id: law") + (
        "forms:\n  表一: [u1, u3.law]\n"
        'ballots: {item_column: "{item}"}\n'
        "satisfaction: {satisfied_at_least: 60}\n"
    )
    with pytest.raises(PingyiError) as info:
        load_round(write("round.yaml", text))
    assert [(p.line, p.field, p.code) for p in info.value.problems] == [
        (12, "items[1].id", "duplicate_id"),
        (14, "forms.表一[1]", "unknown_reference"),
        (15, "ballots.item_column", "bad_value"),
        (16, "satisfaction.satisfied_at_least", "bad_value"),
    ]
    messages = [p.message for p in info.value.problems]
    assert messages[1] == "'u3.law' is not a unit or a unit.item (units: u1, u2; items: law)"
