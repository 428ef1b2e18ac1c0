"""Feedback workbooks (issue 10d, 10f): what each unit is told, in words that cannot be
misread, and files written whole or not at all."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from pingyi.report.feedback import feedback_workbooks
from pingyi.results.build import build
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def yixing():
    example = EXAMPLES / "yixing"
    return build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")])


def _decisions(data: bytes) -> list[tuple]:
    """The rows of the decisions table: from its header to the first empty row."""
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [tuple(c.value for c in row[:3]) for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] in ("评定事项", "Decision"))
    end = next(i for i in range(start, len(rows)) if rows[i][0] is None)
    return rows[start:end]


def test_a_unit_ordered_to_rectify_is_told_so_plainly(yixing):
    """城管执法局: rank 11 of 45, 满意率 89.34 %: not a winner, not last, ordered to rectify.
    The old table said 重点整改单位 | 未达到 here, which readers took for "not listed"."""
    books = feedback_workbooks(yixing.document, ["cgzfj"])
    assert _decisions(books["城管执法局.xlsx"]) == [
        ("评定事项", "结论", "依据"),
        ("评为优胜单位", "否", "第11名，优胜名额前5名"),
        ("列为末位单位", "否", "第11名（共45个单位）"),
        ("列入重点整改单位", "是", "满意率 89.34% < 90%"),
    ]


def test_a_winner_is_not_told_it_reached_rectification(yixing):
    """台办: rank 1, 满意率 95.37 %: the old table said 重点整改单位 | 达到."""
    books = feedback_workbooks(yixing.document, ["tb"])
    assert _decisions(books["台办.xlsx"]) == [
        ("评定事项", "结论", "依据"),
        ("评为优胜单位", "是", "第1名，优胜名额前5名"),
        ("列为末位单位", "否", "第1名（共45个单位）"),
        ("列入重点整改单位", "否", "满意率 95.37% ≥ 90%"),
    ]


def test_a_last_place_unit_below_the_line_is_told_why_it_is_not_listed_to_rectify(yixing):
    """农办: last of 45 at 65.04 %: below 90 %, but last-place units are not listed again."""
    books = feedback_workbooks(yixing.document, ["nb"])
    assert _decisions(books["农办.xlsx"]) == [
        ("评定事项", "结论", "依据"),
        ("评为优胜单位", "否", "第45名，优胜名额前5名"),
        ("列为末位单位", "是", "地方管理部门最后一名（第45名，共45个）"),
        ("列入重点整改单位", "否", "满意率 65.04% < 90%，但末位单位不列入重点整改单位"),
    ]


def test_decisions_in_english(yixing):
    books = feedback_workbooks(yixing.document, ["cgzfj"], lang="en")
    assert _decisions(books["城管执法局.xlsx"]) == [
        ("Decision", "Outcome", "Grounds"),
        ("Winner", "no", "rank 11; winners: the top 5"),
        ("Last place", "no", "rank 11 of 45 units"),
        ("Ordered to rectify", "yes", "满意率 89.34% < 90%"),
    ]
    last = feedback_workbooks(yixing.document, ["nb"], lang="en")["农办.xlsx"]
    assert _decisions(last)[3] == (
        "Ordered to rectify",
        "no",
        "Satisfaction 65.04% < 90%, but last place units are not listed",
    )
