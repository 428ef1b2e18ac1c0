"""A value against a line, in words, never contradicts itself (engine/against.py).

The decisions are exact; only the figure in the words is rounded. The rule, worked by
hand below: show the scheme's precision where the rounded figure keeps the stated
comparison true (the ordinary case, unchanged); otherwise one decimal more, rounded
away from the line (down for a value below it, up for one above it), which always holds.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingyi.engine.against import percent_against, shown_against
from pingyi.engine.grades import Facts, grade
from pingyi.report.feedback import _rectification_grounds
from pingyi.results.build import build
from pingyi.round.grading import Grading

#: 2009 sheets; ``w`` is 满意 on 1808 of them: 满意率 1808/2009 = 0.8999502…, i.e.
#: 89.99502…%, which rounds half-up to 90.00 at two decimals.
SHEETS = 2009
SATISFIED = 1808


def _document(tmp_path: Path, units: list[tuple[str, str]], extra: str = "", category: str = "") -> dict:
    """Tally one category of ``units`` (id, marks as a function of the sheet index: ``A``
    everywhere, ``w`` 满意 on the first 1808 sheets, ``C`` everywhere)."""
    body = "".join(f"  - {{id: {u}, name: {u}名, category: c1}}\n" for u, _ in units)
    (tmp_path / "r.yaml").write_text(
        "round: exact\nextends: qianren-2-1-0\n"
        f"categories:\n  - {{id: c1, name: 一类{category}}}\n"
        f"strata:\n  - {{id: s1, name: 层面一}}\n{extra}units:\n{body}",
        encoding="utf-8",
    )

    def mark(kind: str, i: int) -> str:
        return "A" if kind == "A" or (kind == "w" and i < SATISFIED) else "C"

    rows = ["sheet,stratum," + ",".join(u for u, _ in units)]
    rows += [f"S{i:05d},s1," + ",".join(mark(k, i) for _, k in units) for i in range(SHEETS)]
    (tmp_path / "b.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    outcome = build(str(tmp_path / "r.yaml"), [(tmp_path / "b.csv", "b.csv")])
    return outcome.document


def _unit(document: dict, unit_id: str) -> dict:
    return next(u for u in document["units"] if u["id"] == unit_id)


def test_a_rate_that_rounds_onto_the_line_is_shown_below_it(tmp_path):
    """1808/2009 = 89.99502…% < 90 %: rectification, rightly. At two decimals it shows
    90.00, which is not below 90, so one decimal more, rounded down: 89.995 (89.99502…
    cut after three decimals). Before: "满意率 90.00% < 90%"."""
    doc = _document(tmp_path, [("top", "A"), ("w", "w"), ("low", "C")])
    w = _unit(doc, "w")
    assert (w["satisfaction_rate_exact"], w["flags"]) == ("1808/2009", ["rectification"])
    assert w["reasons"]["rectification"] == "满意率 89.995% < 90%"
    assert w["satisfaction_rate"] == 0.9  # the figures keep the scheme's precision (90.00 %)


def test_a_last_place_unit_on_the_line_is_told_the_same_in_its_feedback(tmp_path):
    """Two units: ``w`` (1808/2009) is last of two, so not listed to rectify (seed 002);
    the feedback workbook builds its own words for it: 89.995 as above, not 90.00."""
    doc = _document(tmp_path, [("top", "A"), ("w", "w")])
    w = _unit(doc, "w")
    assert w["flags"] == ["last_place"]
    assert _rectification_grounds(doc, w, "zh") == "满意率 89.995% < 90%，但末位单位不列入重点整改单位"


def test_a_rate_exactly_at_an_at_least_line_reads_as_it_stands(tmp_path):
    """winners_require 满意率 at least 1808/2009 exactly: ``w`` is exactly on the line, so it
    qualifies, and "89.99502…% ≥ 1808/2009" holds as 90.00 ≥ 180800/2009 (= 89.99502…):
    the scheme's two decimals rounded half up are already true, nothing is added."""
    require = ", winners: 2, winners_require: {measure: satisfaction_rate, at_least: 1808/2009}"
    doc = _document(tmp_path, [("top", "A"), ("w", "w"), ("low", "C")], category=require)
    w = _unit(doc, "w")
    assert w["flags"] == ["winner", "rectification"]
    assert w["reasons"]["winner"] == "第2名，满意率 90.00% ≥ 180800/2009%，优胜名额前2名"


def test_a_rate_just_under_a_below_requirement_is_shown_under_it(tmp_path):
    """winners_require 满意率 below 90 % (one place): ``top`` (100 %) is not eligible, ``w``
    (89.99502…%) is the first eligible unit; its winner words show 89.995 < 90, not 90.00."""
    require = ", winners: 1, winners_require: {measure: satisfaction_rate, below: 90%}"
    doc = _document(tmp_path, [("top", "A"), ("w", "w"), ("low", "C")], category=require)
    assert _unit(doc, "w")["reasons"]["winner"] == (
        "第2名，符合条件的单位中第1名，满意率 89.995% < 90%，优胜名额前1名"
    )


def test_an_ordinary_rate_keeps_the_schemes_precision(tmp_path):
    """``w`` shows 89.995 as above, while a rate far from the line keeps two decimals:
    0/2009 → "0.00% < 90%" (``low`` is rectified once ``last_place`` is off)."""
    doc = _document(tmp_path, [("top", "A"), ("low", "C"), ("w", "w")], category=", last_place: 0")
    assert _unit(doc, "w")["reasons"]["rectification"] == "满意率 89.995% < 90%"
    assert _unit(doc, "low")["reasons"]["rectification"] == "满意率 0.00% < 90%"
    assert _unit(doc, "top")["flags"] == []


AT_LEAST_75 = Grading.model_validate(
    {"id": "l", "name": "等次", "bands": [{"grade": "良好", "measure": "score", "at_least": 75}]}
)
LEVEL = Grading.model_validate(
    {
        "id": "level",
        "name": "等次",
        "bands": [
            {"grade": "优秀", "measure": "score", "over": 85},
            {"grade": "良好", "measure": "score", "at_least": 75},
            {"grade": "不合格"},
        ],
    }
)


def _score(score: Fraction) -> Facts:
    return Facts({"A": 1, "blank": 0, "invalid": 0}, 1, 1, score, None, None)


def test_a_score_just_over_an_over_line_is_shown_over_it():
    """85.0001 over 85: 优秀. At two decimals 85.00 is not over 85, so three decimals
    rounded up: 85.001 (85.0001 ≤ 85.001). Before: "得分 85.00，超过85"."""
    held = grade(LEVEL, _score(Fraction(850001, 10000)), {}, {})
    assert (held.grade, held.reason) == ("优秀", "得分 85.001，超过85")


def test_a_score_just_under_an_over_line_is_not_over_it_as_it_stands():
    """84.999 is not over 85; shown 85.00 "未超过85" holds (85.00 ≤ 85): unchanged. The
    next band: 84.999 ≥ 75 → 良好, with the first failure's words."""
    held = grade(LEVEL, _score(Fraction(84999, 1000)), {}, {})
    assert (held.grade, held.reason) == ("良好", "得分 85.00，未超过85")


def test_a_score_just_above_an_at_least_line_is_shown_rounded_onto_it():
    """75.001 ≥ 75: shown 75.00 ≥ 75 is true as it stands: unchanged."""
    assert grade(AT_LEAST_75, _score(Fraction(75001, 1000)), {}, {}).reason == "得分 75.00，达到75"


def test_a_score_just_under_an_at_least_line_is_shown_under_it():
    """74.996 < 75: at two decimals 75.00 "未达到75" would be false, so 74.996 (three
    decimals rounded down; exact here)."""
    assert grade(AT_LEAST_75, _score(Fraction(74996, 1000)), {}, {}).reason == "得分 74.996，未达到75"


def test_a_band_failing_on_its_second_comparison_says_so():
    """基本称职 is 50 % to 80 %: 90 % fails it on "below 80 %", not on "at least 50 %".
    Before, the words named the first comparison: "满意率 90.00%，未达到50%" (false)."""
    bands = Grading.model_validate(
        {
            "id": "c",
            "name": "述职",
            "bands": [
                {"grade": "基本称职", "measure": "satisfaction_rate", "at_least": "50%", "below": "80%"},
                {"grade": "称职", "measure": "satisfaction_rate", "at_least": "80%"},
            ],
        }
    )
    facts = Facts({"A": 9, "blank": 0, "invalid": 0}, 10, 10, None, Fraction(9, 10), None)
    held = grade(bands, facts, {}, {})
    assert (held.grade, held.reason) == ("称职", "满意率 90.00%，不低于80%")


@pytest.mark.parametrize(
    ("value", "relation", "line", "places", "shown"),
    [
        (Fraction(180800, 2009), "<", Fraction(90), 2, "89.995"),  # 89.99502… cut
        (Fraction(1, 2) * 100, "<", Fraction(90), 2, "50.00"),  # ordinary
        (Fraction(90), "≥", Fraction(90), 2, "90.00"),  # on the line
        (Fraction(90001, 1000), "≥", Fraction(90), 2, "90.00"),  # just above, rounds onto it
        (Fraction(89999, 1000), "≤", Fraction(90), 2, "90.00"),  # ≤ holds of 90.00
        (Fraction(89999, 1000), "<", Fraction(90), 0, "89.9"),  # 90 at no decimals
        (Fraction(899999, 10000), "<", Fraction(90), 2, "89.999"),  # cut, not rounded to 90.000
        (Fraction(90001, 1000), ">", Fraction(90), 1, "90.01"),  # 90.0 is not over 90
        (Fraction(899951, 10000), "≥", Fraction(89995, 1000), 2, "90.00"),  # line of 3 decimals
        (Fraction(899944, 10000), "≥", Fraction(89994, 1000), 2, "89.995"),  # 89.99 < 89.994: up
        (Fraction(-1, 1000), "<", Fraction(0), 2, "-0.001"),  # -0.00 is not below 0: down, exact
    ],
)
def test_shown_against_by_hand(value, relation, line, places, shown):
    """Each case worked in its comment."""
    assert shown_against(value, relation, line, places) == shown


def test_truncating_schemes_keep_their_figure_where_it_holds():
    """Truncated, 89.999 shows 89.99, below 90 already: kept. 90.009 truncates to 90.00,
    not over 90: three decimals rounded up, 90.009 (exact)."""
    assert shown_against(Fraction(89999, 1000), "<", Fraction(90), 2, "truncate") == "89.99"
    assert shown_against(Fraction(90009, 1000), ">", Fraction(90), 2, "truncate") == "90.009"


def test_percent_against_and_a_false_comparison_refused():
    assert percent_against(Fraction(1808, 2009), "<", Fraction(9, 10), 2) == "89.995%"
    with pytest.raises(ValueError, match="does not hold"):
        shown_against(Fraction(90), "<", Fraction(90), 2)


@given(
    st.fractions(min_value=-1000, max_value=1000),
    st.fractions(min_value=-1000, max_value=1000),
    st.integers(0, 4),
    st.sampled_from(["half_up", "truncate"]),
)
def test_the_shown_figure_always_keeps_the_words_true(value, line, places, rounding):
    """Whatever the value and line, the figure shown (read back as a decimal) stands in
    the same relation to the line as the exact value, with at most one decimal more."""
    truths = {"<": value < line, "≤": value <= line, "≥": value >= line, ">": value > line}
    relations = [relation for relation, ok in truths.items() if ok]
    for relation in relations:
        text = shown_against(value, relation, line, places, rounding)
        figure = Fraction(text)
        assert {"<": figure < line, "≤": figure <= line, "≥": figure >= line, ">": figure > line}[relation]
        decimals = len(text.partition(".")[2])
        assert decimals in (places, places + 1)


def test_last_places_drawn_above_a_line_say_so(tmp_path):
    """``last_place_among: {measure: score, at_least: 5}``: scores 14, 12, 10, 8, 6, 4, 2
    (tests/test_practice.py's seven units); the units at least 5 are u0 … u4, and 30 % of 7
    (2.1, down) gives two last places, u3 (8) and u4 (6). Before, the words said 低于5."""
    from .test_practice import seven

    line = "  - {id: c, name: 类, last_place: 30%, last_place_among: {measure: score, at_least: 5}}\n"
    doc = seven(tmp_path, line)
    last = [u for u in doc["units"] if "last_place" in u["flags"]]
    assert [(u["id"], u["reasons"]["last_place"]) for u in last] == [
        ("u3", "类得分不低于5的单位中后2名（第4名，共7个）"),
        ("u4", "类得分不低于5的单位中后2名（第5名，共7个）"),
    ]


def test_the_rules_state_a_fractional_line_exactly(tmp_path):
    """A rectification line of 89.5 % and a void line of 12.5 % were written rounded to
    whole percents (90 %, 13 %): a unit at 89.6 % then read as under the stated line yet
    not listed. Whole percents read as before (quota ≥ 60%)."""
    from pingyi.report.rules import describe_rules
    from pingyi.round.load import load_round

    (tmp_path / "r.yaml").write_text(
        "round: r\nextends: qianren-2-1-0\n"
        "categories:\n  - {id: c1, name: 一类}\n"
        "strata:\n  - {id: s1, name: 层面一}\n  - {id: s2, name: 层面二}\n"
        "units:\n  - {id: u, name: 单位, category: c1}\n"
        "awards: {rectification: {below: 89.5%, excluding: [last_place]}}\n"
        "sheets: {invalid_if_all_blank: true, invalid_if_invalid_marks_over: 12.5%}\n"
        "quotas:\n  - {strata: [s1], min_share: 60%}\n",
        encoding="utf-8",
    )
    rules = describe_rules(load_round(tmp_path / "r.yaml"))
    assert "重点整改单位: 除末位单位外，满意率低于 89.5%" in rules
    assert "废票: 全部弃权、无效选项超过 12.5%" in rules
    assert "配额: 层面一 ≥ 60%" in rules
