"""The practice figures in the files (SPEC "Per-option shares", "Grades and verdicts"):
scores.csv, report.xlsx and results.json's rectification rule, read back as written.

examples/renda: 40 members, 29 present, shares by largest remainder. 区住建局 has 19 / 8 / 2
of 29: exact 65.517…, 27.586…, 6.896… %; cut to 65.51 + 27.58 + 6.89 = 99.98, the two
missing hundredths go to the largest remainders (6.896… then 65.517…): 65.52 / 27.58 /
6.90 — half-up would give 27.59 and 100.01 %. 19 满意 is not over half of the 40
members: 基本满意. 区生态环境分局 has 12 + 8 = 20 满意 and 基本满意, exactly half: 不满意.
examples/shuzhi: shares half-up; 县发改局 局长 has 126 / 12 / 2 of 140 = 90.00 / 8.57 / 1.43 %.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from pingyi.results.build import build
from tests.conftest import EXAMPLES


def _example(name: str):
    folder = EXAMPLES / name
    return build(str(folder / "round.yaml"), [(folder / "ballots.csv", "ballots.csv")])


@pytest.fixture(scope="module")
def renda():
    return _example("renda")


@pytest.fixture(scope="module")
def shuzhi():
    return _example("shuzhi")


@pytest.fixture(scope="module")
def yixing():
    return _example("yixing")


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _row(sheet, unit_id: str, column: int = 3) -> list:
    return next([c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[column - 1].value == unit_id)


# --- results.json -------------------------------------------------------------------------


def test_rectification_by_grade_names_the_grade_and_no_line(renda):
    """It printed "below": "None" — a line nobody can read back as a number."""
    assert renda.document["rectification"] == {
        "below": None,
        "measure": "satisfaction_rate",
        "grade": {"verdict": "不满意"},
    }


def test_rectification_by_a_line_keeps_its_exact_line_and_no_grade(yixing):
    assert yixing.document["rectification"] == {
        "below": "9/10",
        "measure": "satisfaction_rate",
        "grade": None,
    }


def test_the_stored_shares_are_what_the_outputs_show(renda):
    zjj = next(u for u in renda.document["units"] if u["id"] == "zjj")
    assert zjj["shares"] == {"A": 0.6552, "B": 0.2758, "C": 0.069}


# --- scores.csv ---------------------------------------------------------------------------


def test_scores_csv_gives_shares_after_the_counts_and_a_grade_per_grading(renda):
    lines = renda.files["scores.csv"].decode("utf-8").splitlines()
    assert lines[0] == (
        "category,rank,unit,name,score,score_exact,satisfaction_rate,satisfaction_rate_exact,"
        "A,B,C,blank,invalid,valid,share_A,share_B,share_C,verdict,flags"
    )
    assert (
        lines[5]
        == "gov,5,zjj,区住建局,93.10,2700/29,0.9310,27/29,19,8,2,0,0,29,0.6552,0.2758,0.0690,基本满意,"
    )
    assert lines[8] == (
        "gov,8,sthj,区生态环境分局,68.97,2000/29,0.6897,20/29,12,8,9,0,0,29,0.4138,0.2759,0.3103,"
        "不满意,rectification"
    )


def test_largest_remainder_shares_add_up_to_one_in_every_row(renda):
    rows = [line.split(",") for line in renda.files["scores.csv"].decode("utf-8").splitlines()[1:]]
    assert {sum(round(float(cell) * 10000) for cell in row[14:17]) for row in rows} == {10000}


def test_scores_csv_with_a_blank_share_and_half_up_shares(shuzhi):
    header, first = shuzhi.files["scores.csv"].decode("utf-8").splitlines()[:2]
    assert header.split(",")[8:17] == [
        "A",
        "B",
        "C",
        "blank",
        "invalid",
        "valid",
        "share_A",
        "share_B",
        "share_C",
    ]
    assert header.split(",")[17:] == ["competence", "flags"]
    assert first.split(",")[2:] == [
        "p01",
        "县发改局 局长",
        *"94.29,660/7,0.9857,69/70,126,12,2,0,0,140".split(","),
        "0.9000",
        "0.0857",
        "0.0143",
        "称职",
        "",
    ]


def test_strata_csv_has_no_shares_or_grades(renda):
    header = renda.files["strata.csv"].decode("utf-8").splitlines()[0]
    assert header == (
        "unit,stratum,A,B,C,blank,invalid,valid,score,score_exact,satisfaction_rate,satisfaction_rate_exact"
    )


UNGRADED_ROUND = """\
round: t
extends: qianren-2-1-0
categories: [{id: c, name: 类, winners: 1}]
strata: [{id: s, name: 群众}]
units:
  - {id: a, name: 甲局, category: c}
  - {id: b, name: 乙局, category: c}
  - {id: d, name: 丙局, category: c}
grades:
  - id: "=g"
    name: 等次
    bands:
      - {grade: "-优", options: [A], over: 1/2}
      - {grade: 中, options: [A, B], at_least: 1/2}
"""
# 甲 A A B: 2/3 满意 → -优; 乙 B C C: 1/3 满意和基本满意 → no band; 丙 blank blank C → none
UNGRADED_BALLOTS = "sheet,stratum,a,b,d\n1,s,A,B,\n2,s,A,C,\n3,s,B,C,C\n"


@pytest.fixture(scope="module")
def ungraded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ungraded")
    (folder / "round.yaml").write_text(UNGRADED_ROUND, encoding="utf-8")
    (folder / "b.csv").write_text(UNGRADED_BALLOTS, encoding="utf-8")
    return build(str(folder / "round.yaml"), [(folder / "b.csv", "b.csv")])


def test_a_grading_id_or_grade_that_reads_as_a_formula_is_escaped_in_scores_csv(ungraded):
    lines = ungraded.files["scores.csv"].decode("utf-8").splitlines()
    assert lines[0].split(",")[14:19] == ["share_A", "share_B", "share_C", "share_blank", "'=g"]
    assert lines[1].split(",")[14:20] == ["0.6667", "0.3333", "0.0000", "0.0000", "'-优", "winner"]
    assert lines[2].split(",")[18:20] == ["", "rectification"]


# --- report.xlsx --------------------------------------------------------------------------

RENDA_HEADERS = [
    "名次",
    "单位",
    "代码",
    "得分",
    "满意率（满意+基本满意）",
    "满意",
    "基本满意",
    "不满意",
    "弃权",
    "无效",
    "有效票",
    "满意率",
    "基本满意率",
    "不满意率",
    "测评结果",
    "标记",
    "说明",
]


def test_category_sheet_shows_the_shares_beside_the_counts_and_the_grade(renda):
    book = _book(renda.files["report.xlsx"])
    sheet = book["区政府组成部门"]
    assert [c.value for c in sheet[1]] == RENDA_HEADERS
    row = _row(sheet, "zjj")
    assert row[5:8] == [19, 8, 2]
    assert row[11:14] == [0.6552, 0.2758, 0.069]  # 65.52% / 27.58% / 6.90%: the stored values
    assert row[14] == "基本满意"
    cells = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "zjj")
    assert [c.number_format for c in cells[11:14]] == ["0.00%"] * 3
    assert _row(sheet, "sthj")[14:17] == ["不满意", "整改", "测评结果为不满意"]


def test_grading_sheet_lists_each_category_s_units_by_grade_with_the_reason(renda):
    book = _book(renda.files["report.xlsx"])
    assert book.sheetnames == [
        "汇总",
        "区政府组成部门",
        "测评结果",
        "优胜单位",
        "末位单位",
        "重点整改单位",
        "分层面",
        "无效评议表",
    ]
    rows = [[c.value for c in r] for r in book["测评结果"].iter_rows()]
    assert rows[0] == ["类别", "测评结果", "名次", "单位", "代码", "得分", "满意率（满意+基本满意）", "依据"]
    assert [(r[1], r[3]) for r in rows[1:]] == [
        ("满意", "区发改局"),
        ("满意", "区教育局"),
        ("满意", "区民政局"),
        ("基本满意", "区人力社保局"),
        ("基本满意", "区住建局"),
        ("基本满意", "区市场监管局"),
        ("基本满意", "区交通运输局"),
        ("不满意", "区生态环境分局"),
    ]
    assert rows[5] == [
        "区政府组成部门",
        "基本满意",
        5,
        "区住建局",
        "zjj",
        93.1,
        0.931,
        "满意票19张，未超过全体组成人员40人的半数",
    ]
    assert rows[8][7] == "满意和基本满意票20张，未超过全体组成人员40人的半数"


def test_a_sheet_per_grading_named_after_it_and_shares_without_a_clash(shuzhi):
    book = _book(shuzhi.files["report.xlsx"])
    assert book.sheetnames[2] == "测评等次"
    headers = [c.value for c in book["县直部门主要负责人"][1]]
    assert headers[4] == "满意率"  # no option is labelled 满意: the rate keeps its heading
    assert headers[11:15] == ["称职率", "基本称职率", "不称职率", "测评等次"]
    assert _row(book["县直部门主要负责人"], "p01")[11:15] == [0.9, 0.0857, 0.0143, "称职"]
    assert [r[1] for r in book["测评等次"].iter_rows(min_row=2, values_only=True)] == (
        ["称职"] * 4 + ["基本称职"] * 4 + ["不称职"] * 2
    )


def test_units_no_band_grades_come_last_as_without_a_grade(ungraded):
    book = _book(ungraded.files["report.xlsx"])
    rows = list(book["等次"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[7]) for r in rows] == [
        ("-优", "甲局", "满意票2张，超过有效票3张的半数"),
        ("无等次", "乙局", "满意和基本满意票1张，未达到有效票3张的半数"),
        ("无等次", "丙局", "满意和基本满意票0张，未达到有效票3张的半数"),
    ]
    assert book["等次"]["B2"].quotePrefix  # "-优" stays text
    assert _row(book["类"], "b")[15:17] == [None, "整改"]  # no grade in the category sheet


def test_summary_rules_describe_the_grading_in_words(renda, shuzhi):
    def rules(outcome) -> list[str]:
        column = [c.value for c in _book(outcome.files["report.xlsx"])["汇总"]["A"]]
        return column[column.index("计分与评定规则") + 1 :]

    assert rules(renda)[3:6] == [
        "各选项比率（满意率、基本满意率、不满意率）: 各选项票数 ÷ 有效票，保留 2 位小数，"
        "末位按最大余数调整，使每个单位合计 100%",
        "测评结果: 满意票超过全体组成人员40人的半数为满意；"
        "满意和基本满意票超过全体组成人员40人的半数为基本满意；其余为不满意",
        "同分: 依次比较 满意票多者，不满意票少者；仍相同者并列",
    ]
    assert "重点整改单位: 测评结果为不满意" in rules(renda)
    assert (
        rules(shuzhi)[3]
        == "测评等次: 称职票达到有效票的80%为称职；称职票达到有效票的半数为基本称职；其余为不称职"
    )


def test_a_round_without_gradings_gets_no_grade_column_or_sheet(yixing):
    book = _book(yixing.files["report.xlsx"])
    assert "测评结果" not in book.sheetnames and len(book.sheetnames) == 9
    headers = [c.value for c in book["金融部门"][1]]
    assert headers[11:] == ["满意率", "基本满意率", "不满意率", "弃权率", "标记", "说明", "整改线"]
