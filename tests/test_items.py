"""Items (SPEC "Items and numeric marks"), worked by hand: each item scored like a unit by
the scheme, a unit the weighted mean of its items, forms that list single items, the long
layout's item column, and the item columns of scores.csv and strata.csv."""

from __future__ import annotations

from pathlib import Path

from pingyi.results.build import build
from pingyi.results.bundle import Tally

ITEMS_4321 = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: c, name: 类, winners: 1}
strata:
  - {id: s1, name: 层面一}
units:
  - {id: u1, name: 甲, category: c}
  - {id: u2, name: 乙, category: c}
items:
  - {id: law,  name: 比依法行政, weight: 4}
  - {id: eff,  name: 比行政效能, weight: 3}
  - {id: work, name: 比工作实绩, weight: 2}
  - {id: mech, name: 比工作机制, weight: 1}
"""
CELLS = [f"{u}.{i}" for u in ("u1", "u2") for i in ("law", "eff", "work", "mech")]


def _tally(tmp_path: Path, round_text: str, ballots: str, name: str = "ballots.csv") -> Tally:
    (tmp_path / "round.yaml").write_text(round_text, encoding="utf-8")
    (tmp_path / name).write_text(ballots, encoding="utf-8")
    return build(str(tmp_path / "round.yaml"), [(tmp_path / name, name)], report=False)


def _sheets(rows: list[str], columns: list[str] = CELLS) -> str:
    """One string per sheet, one letter per cell (``.`` a blank)."""
    lines = [",".join(["sheet", "stratum", *columns])]
    for i, row in enumerate(rows, start=1):
        lines.append(",".join([f"S{i}", "s1", *("" if m == "." else m for m in row)]))
    return "\n".join(lines) + "\n"


def test_weighted_items_4_3_2_1_on_the_2_1_0_scale(tmp_path):
    """Seed 002's four items, weighted 4:3:2:1; each item is the sum of its 2:1:0 points
    (弃权 0.5), the unit the weighted mean of its items.

    Sheets (law eff work mech of u1 | of u2):  AABC|BBA. / ABB.|CAAA / BACC|B.CA
    u1: law 2+2+1 = 5 (满意率 3/3), eff 2+1+2 = 5 (3/3), work 1+1+0 = 2 (2/3),
        mech 0+0.5+0 = 1/2 (0/3);
        score (4×5 + 3×5 + 2×2 + 1×½)/10 = 39.5/10 = 79/20;
        rate (4×1 + 3×1 + 2×⅔ + 1×0)/10 = (25/3)/10 = 5/6.
    u2: law 1+0+1 = 2, eff 1+2+0.5 = 7/2, work 2+2+0 = 4, mech 0.5+2+2 = 9/2 (each 2/3);
        score (8 + 21/2 + 8 + 9/2)/10 = 31/10; rate 2/3.
    Counts add up over items: u1 A 4, B 4, C 3, 弃权 1 (12 valid marks).
    u1 ranks first and wins; u2 is last; u1 is ordered to rectify (5/6 < 90 %).
    The category's pooled rate pools each item over both units, then weights the items:
    law 5/6, eff 5/6, work 4/6, mech 2/6 → (20/6 + 15/6 + 8/6 + 2/6)/10 = 3/4.
    """
    t = _tally(tmp_path, ITEMS_4321, _sheets(["AABCBBA.", "ABB.CAAA", "BACCB.CA"]))
    u1, u2 = t.document["units"]
    assert (u1["score_exact"], u1["satisfaction_rate_exact"], u1["valid"]) == ("79/20", "5/6", 12)
    assert u1["counts"] == {"A": 4, "B": 4, "C": 3, "blank": 1, "invalid": 0}
    assert {i: (f["score_exact"], f["satisfaction_rate_exact"]) for i, f in u1["items"].items()} == {
        "law": ("5", "1"),
        "eff": ("5", "1"),
        "work": ("2", "2/3"),
        "mech": ("1/2", "0"),
    }
    assert (u2["score_exact"], u2["satisfaction_rate_exact"], u2["valid"]) == ("31/10", "2/3", 12)
    assert [u2["items"][i]["score_exact"] for i in ("law", "eff", "work", "mech")] == ["2", "7/2", "4", "9/2"]
    assert (u1["rank"], u1["flags"], u2["rank"], u2["flags"]) == (
        1,
        ["winner", "rectification"],
        2,
        ["last_place"],
    )
    (category,) = t.document["categories"]
    assert category["satisfaction_rate_exact"] == "3/4"
    assert t.document["items"] == [
        {"id": "law", "name": "比依法行政", "weight": "4"},
        {"id": "eff", "name": "比行政效能", "weight": "3"},
        {"id": "work", "name": "比工作实绩", "weight": "2"},
        {"id": "mech", "name": "比工作机制", "weight": "1"},
    ]


def test_scores_csv_adds_item_columns_and_strata_csv_has_a_row_per_item(tmp_path):
    """scores.csv keeps its columns and appends item_<id> (shown scores, 2 places);
    strata.csv has one row per unit × item × stratum (same sheets as above)."""
    t = _tally(tmp_path, ITEMS_4321, _sheets(["AABCBBA.", "ABB.CAAA", "BACCB.CA"]))
    header, first, _ = t.files["scores.csv"].decode().splitlines()
    assert header.endswith(",flags,last_place_streak,escalated,item_law,item_eff,item_work,item_mech")
    assert first.startswith("c,1,u1,甲,3.95,79/20,0.8333,5/6,4,4,3,1,0,12,")
    assert first.endswith(",winner;rectification,0,false,5.00,5.00,2.00,0.50")
    assert t.files["strata.csv"].decode().splitlines() == [
        "unit,item,stratum,A,B,C,blank,invalid,valid,score,score_exact,satisfaction_rate,satisfaction_rate_exact",
        "u1,law,s1,2,1,0,0,0,3,5.00,5,1.0000,1",
        "u1,eff,s1,2,1,0,0,0,3,5.00,5,1.0000,1",
        "u1,work,s1,0,2,1,0,0,3,2.00,2,0.6667,2/3",
        "u1,mech,s1,0,0,2,1,0,3,0.50,1/2,0.0000,0",
        "u2,law,s1,0,2,1,0,0,3,2.00,2,0.6667,2/3",
        "u2,eff,s1,1,1,0,1,0,3,3.50,7/2,0.6667,2/3",
        "u2,work,s1,2,0,1,0,0,3,4.00,4,0.6667,2/3",
        "u2,mech,s1,2,0,0,1,0,3,4.50,9/2,0.6667,2/3",
    ]


FORMS = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: c, name: 类}
strata:
  - {id: s1, name: 层面一}
units:
  - {id: u1, name: 甲, category: c}
  - {id: u2, name: 乙, category: c}
  - {id: u3, name: 丙, category: c}
items:
  - {id: law, name: 依法行政}
  - {id: eff, name: 行政效能}
forms:
  表一: [u1, u2, u3.law]
  表二: [u1.law, u2, u3.law]
ballots: {form: form}
"""


def test_a_unit_rated_on_some_items_only_through_forms(tmp_path):
    """表一 rates u1 and u2 on both items, 表二 rates u1 on law only; no form rates u3's eff.

    S1 表一: u1 A B | u2 A A | u3 B ·     S2 表二: u1 C · | u2 B C | u3 A ·
    S3 表二 marks u1.eff, which its form leaves out: rejected (off_form_mark).
    u1: law A, C → 2 (rate 1/2); eff B → 1 (rate 1); score (2 + 1)/2 = 3/2, rate 3/4.
    u2: law A, B → 3 (1); eff A, C → 2 (1/2); score 5/2, rate 3/4.
    u3: law B, A → 3 (1); eff never rated → no score, left out: score 3, rate 1.
    """
    columns = ["form", "u1.law", "u1.eff", "u2.law", "u2.eff", "u3.law", "u3.eff"]
    body = "\n".join(
        [
            "sheet,stratum," + ",".join(columns),
            "S1,s1,表一,A,B,A,A,B,",
            "S2,s1,表二,C,,B,C,A,",
            "S3,s1,表二,A,B,A,A,A,",
        ]
    )
    t = _tally(tmp_path, FORMS, body + "\n")
    figures = {
        u["id"]: (u["score_exact"], u["satisfaction_rate_exact"], u["items"]["eff"]["score_exact"])
        for u in t.document["units"]
    }
    assert figures == {"u1": ("3/2", "3/4", "1"), "u2": ("5/2", "3/4", "2"), "u3": ("3", "1", None)}
    assert t.document["units"][2]["items"]["eff"]["valid"] == 0
    assert t.reject_rows == [("ballots.csv", 4, "S3", "off_form_mark", "marks units not on its form: u1.eff")]


LONG = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: c, name: 类}
strata:
  - {id: s1, name: 层面一}
units:
  - {id: u1, name: 甲, category: c}
items:
  - {id: law, name: 依法行政, weight: 2}
  - {id: eff, name: 行政效能, weight: 1}
ballots: {layout: long, item: 内容}
"""


def test_long_layout_reads_an_item_column(tmp_path):
    """One row per mark; ``ballots.item`` names the item column. S1: law A, eff B;
    S2: law A and law C (two marks for one cell: invalid), eff A; S3 names item 'x':
    rejected (unknown_item). u1: law 2 (one valid mark), eff 1 + 2 = 3;
    score (2×2 + 1×3)/3 = 7/3."""
    body = (
        "sheet,stratum,unit,内容,mark\n"
        "S1,s1,u1,law,A\nS1,s1,u1,eff,B\n"
        "S2,s1,u1,law,A\nS2,s1,u1,law,C\nS2,s1,u1,eff,A\n"
        "S3,s1,u1,x,A\n"
    )
    t = _tally(tmp_path, LONG, body)
    (u1,) = t.document["units"]
    assert (u1["score_exact"], u1["items"]["law"]["counts"]["invalid"]) == ("7/3", 1)
    assert [(r[1], r[3]) for r in t.reject_rows] == [(7, "unknown_item")]


def test_item_columns_follow_item_column_and_columns(tmp_path):
    """``item_column: "{unit}_{item}"`` with ``columns: {u1: 甲}`` reads 甲_law; a cell id
    in ``columns`` (``u1.eff: Q2``) names its column whole."""
    text = LONG.replace(
        "ballots: {layout: long, item: 内容}",
        'ballots: {item_column: "{unit}_{item}", columns: {u1: 甲, u1.eff: Q2}}',
    )
    t = _tally(tmp_path, text, "sheet,stratum,甲_law,Q2\nS1,s1,A,C\n")
    assert t.document["units"][0]["items"]["eff"]["counts"]["C"] == 1
    assert t.document["units"][0]["score_exact"] == "4/3"  # (2×2 + 1×0)/3


def test_a_file_without_an_item_column_is_a_located_error(tmp_path):
    from pingyi.errors import PingyiError

    try:
        _tally(tmp_path, ITEMS_4321, "sheet,stratum,u1.law\nS1,s1,A\n")
    except PingyiError as error:
        (problem,) = error.problems
        assert (problem.line, problem.field, problem.code) == (1, "u1.eff", "missing_column")
        assert problem.message.startswith("no column for unit item(s) u1.eff (u1.eff), u1.work (u1.work)")
    else:
        raise AssertionError("expected a missing column")
