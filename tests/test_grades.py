"""Grades and verdicts worked by hand (SPEC "Grades and verdicts")."""

from __future__ import annotations

from fractions import Fraction

import pytest
from pydantic import ValidationError

from pingyi.engine.grades import Facts, grade
from pingyi.round.grading import Grading

LABELS = {"A": "满意", "B": "基本满意", "C": "不满意"}
VERDICT = Grading.model_validate(
    {
        "id": "verdict",
        "name": "测评结果",
        "bands": [
            {"grade": "满意", "options": ["A"], "over": "1/2", "of": "members"},
            {"grade": "基本满意", "options": ["A", "B"], "over": "1/2", "of": "members"},
            {"grade": "不满意"},
        ],
    }
)
LEVEL = Grading.model_validate(
    {
        "id": "level",
        "name": "等次",
        "bands": [
            {"grade": "优秀", "measure": "score", "at_least": 85},
            {"grade": "良好", "measure": "score", "at_least": 75},
            {"grade": "合格", "measure": "score", "at_least": 60},
            {"grade": "不合格"},
        ],
    }
)
SHUZHI = Grading.model_validate(
    {
        "id": "competent",
        "name": "述职测评",
        "bands": [
            {"grade": "称职", "options": ["A"], "at_least": "80%"},
            {"grade": "基本称职", "options": ["A"], "at_least": "50%"},
            {"grade": "不称职"},
        ],
    }
)


def facts(a: int, b: int, c: int, score: Fraction | None = None) -> Facts:
    return Facts({"A": a, "B": b, "C": c, "blank": 0, "invalid": 0}, a + b + c, a + b + c, score, None, None)


def test_a_majority_of_the_ballots_returned_is_not_a_majority_of_all_members():
    """40 members, 29 present: 19 满意 is over half of 29 but not of 40 (19/40 < 1/2), so
    the verdict falls to the next band: 满意 + 基本满意 = 27 > 20 → 基本满意."""
    present = facts(19, 8, 2)
    verdict = grade(VERDICT, present, {"members": 40}, LABELS)
    assert verdict.grade == "基本满意"
    assert verdict.reason == "满意票19张，未超过全体组成人员40人的半数"
    assert grade(VERDICT, present, {"members": 29}, LABELS).grade == "满意"


def test_exactly_half_of_the_members_is_not_a_majority():
    """20 of 40 is exactly half: not over half. 20 + 0 B is not over half either → 不满意."""
    verdict = grade(VERDICT, facts(20, 0, 9), {"members": 40}, LABELS)
    assert verdict.grade == "不满意"
    assert verdict.reason == "满意和基本满意票20张，未超过全体组成人员40人的半数"
    assert (
        grade(VERDICT, facts(21, 0, 8), {"members": 40}, LABELS).reason
        == "满意票21张，超过全体组成人员40人的半数"
    )


def test_exactly_80_percent_is_competent_and_a_vote_less_is_not():
    assert grade(SHUZHI, facts(16, 4, 0), {}, LABELS).grade == "称职"
    assert grade(SHUZHI, facts(15, 5, 0), {}, LABELS).grade == "基本称职"
    assert grade(SHUZHI, facts(10, 10, 0), {}, LABELS).grade == "基本称职"
    assert grade(SHUZHI, facts(9, 11, 0), {}, LABELS).grade == "不称职"


def test_score_bands_of_wanzhong_pinggongwu():
    """85 优秀, 75 良好, 60 合格, else 不合格; 84.99… is not 85."""
    assert [grade(LEVEL, facts(1, 0, 0, Fraction(s)), {}, LABELS).grade for s in (85, 75, 60, 0)] == [
        "优秀",
        "良好",
        "合格",
        "不合格",
    ]
    below = grade(LEVEL, facts(1, 0, 0, Fraction(8499, 100)), {}, LABELS)
    assert (below.grade, below.reason) == ("良好", "得分 84.99，未达到85")


def test_without_a_score_no_measure_band_holds_and_the_catch_all_takes_it():
    assert grade(LEVEL, facts(0, 0, 0, None), {}, LABELS).grade == "不合格"


@pytest.mark.parametrize(
    "bands",
    [
        [{"grade": "x"}, {"grade": "y", "measure": "score", "at_least": 1}],
        [{"grade": "x", "options": ["A"], "measure": "score", "over": 1}],
        [{"grade": "x", "options": ["A"]}],
        [{"grade": "x", "at_least": 1}],
        [{"grade": "x", "options": ["A"], "over": "150%"}],
        [{"grade": "x", "of": "members"}],
    ],
)
def test_bands_that_cannot_work_are_refused(bands):
    with pytest.raises(ValidationError):
        Grading.model_validate({"id": "g", "name": "g", "bands": bands})
