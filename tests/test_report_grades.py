"""Reports of a round that orders rectification by a grade (SPEC "Grades and verdicts"),
not by a line: no line to draw or compare, the grade is the grounds."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from pingyi.report.feedback import feedback_workbooks
from pingyi.results.build import build

GRADED = """\
round: graded
extends: qianren-2-1-0
categories: [{id: c, name: 类, winners: 1}]
strata: [{id: s, name: 群众}]
units:
  - {id: a, name: 甲局, category: c}
  - {id: b, name: 乙局, category: c}
  - {id: d, name: 丙局, category: c}
  - {id: e, name: 丁局, category: c}
grades:
  - id: verdict
    name: 测评结果
    bands:
      - {grade: 满意, options: [A], over: 1/2}
      - {grade: 基本满意, options: [A, B], over: 1/2}
      - {grade: 不满意}
awards:
  rectification: {below: null, grade: {verdict: 不满意}}
"""
# 甲 A A B: 满意, first; 乙 A B B: 基本满意; 丙 C C C: 不满意, last place; 丁 C B C: 不满意, to rectify
BALLOTS = "sheet,stratum,a,b,d,e\n1,s,A,A,C,C\n2,s,A,B,C,B\n3,s,B,B,C,C\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graded")
    (folder / "round.yaml").write_text(GRADED, encoding="utf-8")
    (folder / "b.csv").write_text(BALLOTS, encoding="utf-8")
    return build(str(folder / "round.yaml"), [(folder / "b.csv", "b.csv")])


def test_rules_say_which_grade_is_ordered_to_rectify(graded):
    assert "重点整改单位: 除末位单位外，测评结果为不满意" in graded.document["rules"]


def test_report_has_no_line_to_draw(graded):
    book = load_workbook(io.BytesIO(graded.files["report.xlsx"]))
    headers = [c.value for c in book["类"][1]]
    assert headers[-1] == "说明"  # no 整改线 column: there is no line
    assert [row[2:7:4] for row in book["重点整改单位"].iter_rows(min_row=2, values_only=True)] == [
        ("丁局", "测评结果为不满意")
    ]


def test_feedback_gives_the_grade_as_grounds(graded):
    books = feedback_workbooks(graded.document, ["e", "a"])
    rows = {
        name: [
            tuple(c.value for c in row[:3])
            for row in load_workbook(io.BytesIO(data)).active.iter_rows()
            if row[0].value == "列入重点整改单位"
        ]
        for name, data in books.items()
    }
    assert rows["丁局.xlsx"] == [("列入重点整改单位", "是", "测评结果为不满意")]
    assert [r[:2] for r in rows["甲局.xlsx"]] == [("列入重点整改单位", "否")]
