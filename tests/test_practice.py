"""Rules from practice, tallied end to end and worked by hand (SPEC "Contracts added from
practice"): proportional winners, requirements, last places drawn under a line,
rectification by grade, verdicts by a majority of all members, per-option shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from pingyi.errors import PingyiError

from .test_tally import HEADER_2_1_0, ballots_file, category, round_file, sheets, tally, units

SEVEN = [f"u{i}" for i in range(7)]
#: Seven sheets; unit u{i} gets 满意 on the first 7 - i sheets and 不满意 on the rest:
#: scores (2:1:0, sum) 14, 12, 10, 8, 6, 4, 2; ranks 1 … 7.
SEVEN_ROWS = ["".join("A" if s < 7 - i else "C" for i in range(7)) for s in range(7)]


def seven(tmp_path, category_line: str, extra: str = "") -> dict:
    return tally(
        tmp_path,
        round_file(HEADER_2_1_0 + extra, category_line, SEVEN),
        ballots_file(SEVEN, sheets(SEVEN, SEVEN_ROWS)),
    )


@pytest.mark.parametrize(("rounding", "winners"), [("down", 2), ("half_up", 2), ("up", 3)])
def test_thirty_percent_of_seven_units_rounds_as_declared(tmp_path, rounding, winners):
    """30 % of 7 ranked units is 2.1: down 2, half_up 2, up 3 (沈阳: top 30 %)."""
    doc = seven(tmp_path, f"  - {{id: c, name: 类, winners: 30%, winners_rounding: {rounding}}}\n")
    c = category(doc, "c")
    assert c["winners"] == SEVEN[:winners] and c["winners_allowed"] == winners
    assert units(doc)["u0"]["reasons"]["winner"] == f"第1名，优胜名额前30%（7个单位中{winners}名）"


def test_winners_must_meet_a_line(tmp_path):
    """Five places, but winners need a score of at least 10: only u0, u1, u2 (14, 12, 10)."""
    line = "  - {id: c, name: 类, winners: 5, winners_require: {measure: score, at_least: 10}}\n"
    doc = seven(tmp_path, line)
    assert category(doc, "c")["winners"] == ["u0", "u1", "u2"]
    assert units(doc)["u2"]["reasons"]["winner"] == "第3名，得分 10.00 ≥ 10，优胜名额前5名"


def test_last_place_is_drawn_only_from_units_under_the_line(tmp_path):
    """万众评公务: last places come from the units under the line. Under 5 only u6 (2) and
    u5 (4); two last places by 30 % of 7 (2.1, down) → u5 and u6. Under 1: none."""
    line = "  - {id: c, name: 类, last_place: 30%, last_place_among: {measure: score, below: 5}}\n"
    doc = seven(tmp_path, line)
    assert category(doc, "c")["last_place"] == ["u5", "u6"]
    assert units(doc)["u5"]["reasons"]["last_place"] == "类得分低于5的单位中后2名（第6名，共7个）"
    none = seven(tmp_path / "none", line.replace("below: 5", "below: 1"))
    assert category(none, "c")["last_place"] == []


GRADED = """\
grades:
  - id: level
    name: 等次
    bands:
      - {grade: 合格, measure: score, at_least: 10}
      - {grade: 不合格}
awards:
  rectification: {below: null, grade: {level: 不合格}}
"""


def test_rectification_by_grade_apart_from_last_place(tmp_path):
    """Scores under 10 grade 不合格: u3 (8), u4 (6), u5 (4), u6 (2). u6 is last place and
    excluded (seed 002's rule), so u3, u4, u5 are ordered to rectify."""
    doc = seven(tmp_path, "  - {id: c, name: 类, winners: 1}\n", GRADED)
    u, c = units(doc), category(doc, "c")
    assert [u[i]["grades"]["level"] for i in SEVEN] == ["合格"] * 3 + ["不合格"] * 4
    assert c["rectification"] == ["u3", "u4", "u5"] and c["last_place"] == ["u6"]
    assert c["grades"] == {"level": {"合格": ["u0", "u1", "u2"], "不合格": ["u3", "u4", "u5", "u6"]}}
    assert u["u3"]["reasons"]["rectification"] == "等次为不合格"
    assert u["u3"]["grade_reasons"]["level"] == "得分 8.00，未达到10"


VERDICT = """\
members: 40
grades:
  - id: verdict
    name: 测评结果
    bands:
      - {grade: 满意, options: [A], over: 1/2, of: members}
      - {grade: 基本满意, options: [A, B], over: 1/2, of: members}
      - {grade: 不满意}
"""


def test_verdict_by_a_majority_of_all_forty_members(tmp_path):
    """29 members present: unit x gets 19 满意, 8 基本满意, 2 不满意. 19 is a majority of
    the 29 ballots but not of the 40 members → 基本满意 (27 > 20). Unit y gets 21 满意 → 满意."""
    ids = ["x", "y"]
    rows = [("A" if s < 19 else "B" if s < 27 else "C") + ("A" if s < 21 else "C") for s in range(29)]
    doc = tally(
        tmp_path,
        round_file(HEADER_2_1_0 + VERDICT, "  - {id: c, name: 常委会组成部门}\n", ids),
        ballots_file(ids, sheets(ids, rows)),
    )
    u = units(doc)
    assert (u["x"]["grades"], u["y"]["grades"]) == ({"verdict": "基本满意"}, {"verdict": "满意"})
    assert u["x"]["grade_reasons"]["verdict"] == "满意票19张，未超过全体组成人员40人的半数"
    assert doc["gradings"] == [
        {"id": "verdict", "name": "测评结果", "grades": ["满意", "基本满意", "不满意"]}
    ]


def test_shares_of_a_unit_add_up_by_largest_remainder(tmp_path):
    """93 sheets on unit z: 54 满意, 33 基本满意, 2 不满意, 4 弃权 (valid under 2:1:0):
    half-up 58.06 / 35.48 / 2.15 / 4.30 (99.99 %); largest remainder 58.07 (100 %).
    (Unit w is marked on every sheet, so no sheet is all blank.)"""
    rows = [m + "A" for m in ["A"] * 54 + ["B"] * 33 + ["C"] * 2 + ["."] * 4]
    for rounding, first in (("half_up", 0.5806), ("largest_remainder", 0.5807)):
        header = HEADER_2_1_0 + f"satisfaction: {{shares_rounding: {rounding}}}\n"
        doc = tally(
            tmp_path / rounding,
            round_file(header, "  - {id: c, name: 类}\n", ["z", "w"]),
            ballots_file(["z", "w"], sheets(["z", "w"], rows)),
        )
        z = units(doc)["z"]
        assert z["shares"] == {"A": first, "B": 0.3548, "C": 0.0215, "blank": 0.043}
        assert z["shares_exact"] == {"A": "18/31", "B": "11/31", "C": "2/93", "blank": "4/93"}


GRADING = "grades:\n  - id: v\n    name: v\n    bands:\n"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            GRADING + "      - {grade: a, options: [A], over: 1/2, of: members}\n      - {grade: b}\n",
            ("round.yaml", 14, "grades[0].bands[0].of", "missing_members"),
        ),
        (
            GRADING + "      - {grade: a, options: [Z], over: 1/2}\n      - {grade: b}\n",
            ("round.yaml", 14, "grades[0].bands[0].options[0]", "unknown_reference"),
        ),
        (
            GRADING + "      - {grade: b}\n      - {grade: a, options: [A], over: 1/2}\n",
            ("round.yaml", 11, "grades[0]", "bad_value"),
        ),
        (
            GRADING + "      - {grade: a, options: [A], at_least: 120%}\n",
            ("round.yaml", 14, "grades[0].bands[0]", "bad_value"),
        ),
        ("sheets: {max_share: {E: 1/3}}\n", ("round.yaml", 10, "sheets.max_share.E", "unknown_reference")),
    ],
)
def test_practice_keys_are_validated_with_their_line(tmp_path, extra, expected):
    header = "round: t\nextends: qianren-2-1-0\nstrata:\n  - {id: s1, name: 层面一}\n"
    text = round_file(header, "  - {id: c, name: 类}\n", ["z", "y"]) + extra
    with pytest.raises(PingyiError) as caught:
        tally(tmp_path, text, ballots_file(["z", "y"], sheets(["z", "y"], ["AA"])))
    assert [(Path(p.file).name, *p.as_tuple()[1:]) for p in caught.value.problems] == [expected]


def test_the_renda_example_reproduces_its_published_verdicts():
    """examples/renda: 40 members, 29 present. 区住建局 has 19 满意 — a majority of the 29
    present but not of the 40 members — so 基本满意; 区人力社保局 has exactly 20 (half, not
    over half); 区生态环境分局 has 12 + 8 = 20 满意 and 基本满意 → 不满意 and 整改."""
    import pingyi

    from .conftest import EXAMPLES

    t = pingyi.tally(EXAMPLES / "renda" / "round.yaml", EXAMPLES / "renda" / "ballots.csv")
    doc = t.to_dict()
    assert category(doc, "gov")["grades"] == {
        "verdict": {
            "满意": ["fgj", "jyj", "mzj"],
            "基本满意": ["rsj", "zjj", "scj", "jtj"],
            "不满意": ["sthj"],
        }
    }
    assert category(doc, "gov")["rectification"] == ["sthj"]
    zjj = units(doc)["zjj"]
    assert (zjj["counts"]["A"], zjj["counts"]["B"], zjj["counts"]["C"]) == (19, 8, 2)
    assert zjj["shares"] == {"A": 0.6552, "B": 0.2758, "C": 0.069}
    assert sum(round(v * 10000) for v in zjj["shares"].values()) == 10000


def test_the_shuzhi_example_grades_exactly_80_and_50_percent_as_the_higher_band():
    """examples/shuzhi: 140 valid sheets. p03 has 112 称职 = exactly 80 % → 称职; p04 has
    111 → 基本称职; p07 has 70 = exactly 50 % → 基本称职; p08 has 69 → 不称职."""
    import pingyi

    from .conftest import EXAMPLES

    t = pingyi.tally(EXAMPLES / "shuzhi" / "round.yaml", EXAMPLES / "shuzhi" / "ballots.csv")
    doc = t.to_dict()
    grades = {u["id"]: u["grades"]["competence"] for u in doc["units"]}
    assert [grades[f"p0{i}"] for i in (3, 4, 7, 8)] == ["称职", "基本称职", "基本称职", "不称职"]
    assert doc["sheets"] == {
        "read": 143,
        "counted": 140,
        "rejected": 3,
        "rejected_by_reason": {"all_blank": 2, "duplicate": 1},
    }
    assert category(doc, "heads")["rectification"] == ["p08", "p09"]
    assert units(doc)["p03"]["grade_reasons"]["competence"] == "称职票112张，达到有效票140张的80%"


def test_a_grading_id_that_is_a_scores_column_is_refused(tmp_path):
    """scores.csv gets one column per grading, headed by its id: 'valid' or an option code
    would give two columns of one name."""
    header = "round: t\nextends: qianren-2-1-0\nstrata:\n  - {id: s1, name: 层面一}\n"
    extra = (
        "grades:\n  - {id: valid, name: v, bands: [{grade: a}]}\n  - {id: A, name: w, bands: [{grade: a}]}\n"
    )
    text = round_file(header, "  - {id: c, name: 类}\n", ["z", "y"]) + extra
    with pytest.raises(PingyiError) as caught:
        tally(tmp_path, text, ballots_file(["z", "y"], sheets(["z", "y"], ["AA"])))
    assert [(p.line, p.field, p.code) for p in caught.value.problems] == [
        (11, "grades[0].id", "reserved_id"),
        (12, "grades[1].id", "reserved_id"),
    ]


def test_a_sheet_over_the_option_cap_is_void_and_exactly_at_it_counts(tmp_path):
    """比例制: a voter may give 满意 to at most a third of the units it rates. Six units:
    S1 gives A to 2 (exactly 1/3: counts); S2 to 3 (more than 1/3: void,
    over_option_cap); S3 to 0. The counts of unit a come from S1 and S3 only."""
    ids = ["a", "b", "c", "d", "e", "f"]
    header = HEADER_2_1_0 + "sheets: {max_share: {A: 1/3}}\n"
    doc = tally(
        tmp_path,
        round_file(header, "  - {id: c, name: 类}\n", ids),
        ballots_file(ids, sheets(ids, ["AABBBB", "AAABBB", "CCBBBB"])),
    )
    assert doc["sheets"]["rejected_by_reason"] == {"over_option_cap": 1}
    assert units(doc)["a"]["counts"]["A"] == 1 and units(doc)["a"]["counts"]["C"] == 1
    rejects = (tmp_path / "results" / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1] == "ballots.csv,3,S2,over_option_cap,gives A to 3 of 6 rated units (more than 1/3)"
