"""Numeric marks (SPEC "Items and numeric marks"), worked by hand: decimals read exactly,
blanks and invalid cells, the satisfied line, items of 100 points averaged (万众评公务)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from pingyi.ballots.marks import mark_codes
from pingyi.results.build import build
from pingyi.results.bundle import Tally
from pingyi.round.load import load_round

NUMERIC = """\
round: t
scale:
  numeric: {min: 0, max: 100}
scoring: {method: mean, precision: 2}
satisfaction: {satisfied_at_least: 60}
categories:
  - {id: c, name: 类}
strata:
  - {id: s1, name: 层面一}
units:
  - {id: u1, name: 甲, category: c}
  - {id: u2, name: 乙, category: c}
"""


def _tally(tmp_path: Path, round_text: str, ballots: str | bytes, name: str = "ballots.csv") -> Tally:
    (tmp_path / "round.yaml").write_text(round_text, encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(ballots if isinstance(ballots, bytes) else ballots.encode("utf-8"))
    return build(str(tmp_path / "round.yaml"), [(path, name)], report=False)


@pytest.mark.parametrize(
    "text,code,value",
    [
        ("87.5", "satisfied", 875000),
        (" 60 ", "satisfied", 600000),  # exactly the line is satisfied; spaces around ignored
        ("59.9999", "unsatisfied", 599999),
        ("70.50000", "satisfied", 705000),  # decimals beyond 4 only as trailing zeros
        (".5", "unsatisfied", 5000),
        ("+100", "satisfied", 1000000),
        ("0", "unsatisfied", 0),
        ("", "blank", 0),
        ("59.99999", "invalid", 0),  # 5 decimals
        ("100.5", "invalid", 0),  # out of range
        ("-1", "invalid", 0),
        ("80 90", "invalid", 0),  # two numbers
        ("80,90", "invalid", 0),
        ("八十", "invalid", 0),  # text
        ("85分", "invalid", 0),
        ("８５", "invalid", 0),  # full-width digits are text
        ("1e2", "invalid", 0),
        ("nan", "invalid", 0),
    ],
)
def test_a_cell_is_read_as_an_exact_decimal_or_is_invalid(tmp_path, text, code, value):
    (tmp_path / "round.yaml").write_text(NUMERIC, encoding="utf-8")
    codes = mark_codes(load_round(tmp_path / "round.yaml"))
    assert codes.numeric is not None
    found, number = codes.numeric.parse(text)
    assert (codes.names[found], number) == (code, value)


def test_numeric_marks_with_halves_blanks_and_invalid_cells(tmp_path):
    """Mean of the valid marks; 满意率 = marks ≥ 60 over valid marks (blanks are no marks).

    Sheets (u1, u2): 87.5, 60 / 60, 八十 / " 92.25 ", 101 / blank, "80 90" /
    59.99999, 70.50000 / 0.5, 100.
    u1: 87.5 + 60 + 92.25 + 0.5 = 240.25 over 4 marks = 961/16 (60.0625 → 60.06);
        3 of 4 at least 60: 3/4; one blank, one invalid (five decimals).
    u2: 60 + 70.5 + 100 = 230.5 over 3 = 461/6 (76.83); 3/3; three invalid (text, out of
        range, two numbers). u2 ranks first.
    """
    body = (
        "sheet,stratum,u1,u2\n"
        "S1,s1,87.5,60\nS2,s1,60,八十\nS3,s1, 92.25 ,101\nS4,s1,,80 90\n"
        "S5,s1,59.99999,70.50000\nS6,s1,0.5,100\n"
    )
    t = _tally(tmp_path, NUMERIC, body)
    u1, u2 = t.document["units"]
    assert (u1["score_exact"], u1["score"], u1["satisfaction_rate_exact"], u1["valid"]) == (
        "961/16",
        60.06,
        "3/4",
        4,
    )
    assert u1["counts"] == {"satisfied": 3, "unsatisfied": 1, "blank": 1, "invalid": 1}
    assert (u2["score_exact"], u2["score"], u2["satisfaction_rate_exact"]) == ("461/6", 76.83, "1")
    assert u2["counts"] == {"satisfied": 3, "unsatisfied": 0, "blank": 0, "invalid": 3}
    assert (u1["rank"], u2["rank"]) == (2, 1)
    assert u1["shares_exact"] == {"satisfied": "3/4", "unsatisfied": "1/4"}
    assert t.document["scale"]["numeric"] == {
        "min": "0",
        "max": "100",
        "satisfied_at_least": "60",
        "decimals": 4,
    }


def test_without_a_satisfied_line_numbers_have_no_rate(tmp_path):
    """No ``satisfied_at_least``: the marks count as ``number``, the score is the mean
    (87.5 + 92.5)/2 = 90, and there is no 满意率 (null), nor shares."""
    text = NUMERIC.replace("satisfaction: {satisfied_at_least: 60}\n", "")
    t = _tally(tmp_path, text, "sheet,stratum,u1,u2\nS1,s1,87.5,1\nS2,s1,92.5,\n")
    u1 = t.document["units"][0]
    assert (u1["score_exact"], u1["satisfaction_rate"], u1["counts"]) == (
        "90",
        None,
        {"number": 2, "blank": 0, "invalid": 0},
    )
    assert (u1["shares"], t.document["scale"]["options"]) == ({}, [])


WANZHONG = """\
round: w
scale:
  numeric: {min: 0, max: 100}
scoring: {method: mean}
satisfaction: {satisfied_at_least: 60}
categories:
  - {id: c, name: 类}
strata:
  - {id: s1, name: 服务对象, weight: 1}
  - {id: s2, name: 企业, weight: 3}
units:
  - {id: u1, name: 甲, category: c}
items:
  - {id: a, name: 工作作风}
  - {id: b, name: 服务质量}
grades:
  - id: level
    name: 等次
    bands:
      - {grade: 优秀, measure: score, at_least: 85}
      - {grade: 良好, measure: score, at_least: 75}
      - {grade: 合格, measure: score, at_least: 60}
      - {grade: 不合格}
"""


def test_items_of_100_points_averaged_and_graded(tmp_path):
    """万众评公务: each item the mean of its marks, the unit the mean of its items.

    u1.a: 90, 80.5, 85 → 255.5/3 = 511/6; u1.b: 70, 75 (one blank) → 145/2. S4's cells
    are invalid marks (text; five decimals), in no mean.
    Score (511/6 + 145/2)/2 = (511/6 + 435/6)/2 = 946/12 = 473/6 = 78.83 → 良好.
    满意率: a 3/3, b 2/2 → 1. Strata weights play no part under ``mean``.
    """
    body = "sheet,stratum,u1.a,u1.b\nS1,s1,90,70\nS2,s2,80.5,\nS3,s1,85,75\nS4,s1,九十,70.12345\n"
    t = _tally(tmp_path, WANZHONG, body)
    (u1,) = t.document["units"]
    assert [u1["items"][i]["score_exact"] for i in "ab"] == ["511/6", "145/2"]
    assert (u1["score_exact"], u1["satisfaction_rate_exact"], u1["grades"]) == (
        "473/6",
        "1",
        {"level": "良好"},
    )
    assert t.files["strata.csv"].decode().splitlines()[1:] == [
        "u1,a,s1,2,0,0,1,2,87.50,175/2,1.0000,1",
        "u1,a,s2,1,0,0,0,1,80.50,161/2,1.0000,1",
        "u1,b,s1,2,0,0,1,2,72.50,145/2,1.0000,1",
        "u1,b,s2,0,0,1,0,0,,,,",
    ]


def test_weighted_mean_of_numbers_per_sheet(tmp_path):
    """``weighted_mean`` per sheet: Σ w × marks / Σ w × n = (1×(90 + 85) + 3×80.5)/(1×2 + 3×1)
    = (175 + 241.5)/5 = 833/10."""
    text = WANZHONG.replace("scoring: {method: mean}", "scoring: {method: weighted_mean}")
    text = text.replace("  - {id: b, name: 服务质量}\n", "")
    t = _tally(tmp_path, text, "sheet,stratum,u1.a\nS1,s1,90\nS2,s2,80.5\nS3,s1,85\n")
    assert t.document["units"][0]["score_exact"] == "833/10"


def test_sheets_that_differ_only_in_a_number_conflict(tmp_path):
    """Re-scans of one sheet id: identical numbers are a duplicate, different numbers
    (87.5 against 87) conflict; both copies of S2 are rejected."""
    body = "sheet,stratum,u1,u2\nS1,s1,87.5,60\nS1,s1,87.5,60\nS2,s1,87.5,60\nS2,s1,87,60\n"
    t = _tally(tmp_path, NUMERIC, body)
    assert [(r[1], r[2], r[3]) for r in t.reject_rows] == [
        (3, "S1", "duplicate"),
        (4, "S2", "conflicting_duplicate"),
        (5, "S2", "conflicting_duplicate"),
    ]
    assert t.document["units"][0]["score_exact"] == "175/2"


def test_long_layout_and_xlsx_read_numbers_exactly(tmp_path):
    """A long file's marks and an XLSX cell holding the number 87.5 (not text) are read
    like CSV text: u1 (87.5 + 92)/2 = 359/4."""
    text = NUMERIC.replace("units:", "ballots: {layout: long}\nunits:")
    t = _tally(tmp_path, text, "sheet,stratum,unit,mark\nS1,s1,u1,87.5\nS2,s1,u1,92\nS2,s1,u2,50\n")
    assert t.document["units"][0]["score_exact"] == "359/4"
    wb = Workbook()
    ws = wb.active
    for row in (["sheet", "stratum", "u1", "u2"], ["S1", "s1", 87.5, 60], ["S2", "s1", 92, None]):
        ws.append(row)
    wb.save(tmp_path / "b.xlsx")
    (tmp_path / "round.yaml").write_text(NUMERIC, encoding="utf-8")
    t = build(str(tmp_path / "round.yaml"), [(tmp_path / "b.xlsx", "b.xlsx")], report=False)
    assert t.document["units"][0]["score_exact"] == "359/4"
