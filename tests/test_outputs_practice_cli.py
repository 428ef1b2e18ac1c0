"""The practice figures where people read them: the tables of ``pingyi tally`` and
``pingyi rank``, and the feedback workbooks (SPEC "Per-option shares", "Grades and
verdicts"). examples/renda's verdicts are worked in tests/test_outputs_practice.py."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pingyi.cli.main import cli
from tests.conftest import EXAMPLES

RENDA_GRADES = (
    "  测评结果: 满意 3（区发改局、区教育局、区民政局）; "
    "基本满意 4（区人力社保局、区住建局、区市场监管局、区交通运输局）; 不满意 1（区生态环境分局）"
)


def _invoke(*args: str):
    done = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done


@pytest.fixture(scope="module")
def renda(tmp_path_factory):
    """The renda results directory, and what ``pingyi tally`` printed making it."""
    out = tmp_path_factory.mktemp("renda") / "results"
    folder = EXAMPLES / "renda"
    done = _invoke("tally", str(folder / "round.yaml"), str(folder / "ballots.csv"), "-o", str(out), "-q")
    return out, done.output.splitlines()


def test_tally_table_has_a_grade_column_and_a_line_of_units_by_grade(renda):
    _, lines = renda
    assert lines[3] == "┃ 名次 ┃ 单位           ┃ 代码 ┃ 得分  ┃ 满意率 ┃ 有效票 ┃ 测评结果 ┃ 标记 ┃"
    zjj = next(line for line in lines if "zjj" in line)
    assert zjj == "│ 5    │ 区住建局       │ zjj  │ 93.10 │ 93.10% │ 29     │ 基本满意 │      │"
    at = lines.index("区政府组成部门: 8 个单位，优胜单位 0，末位单位 0，重点整改单位 1，总体满意率 90.52%")
    assert lines[at + 1 : at + 5] == [
        RENDA_GRADES,
        "  重点整改单位: 区生态环境分局",
        "    - 区生态环境分局: 测评结果为不满意",
        "sheets: read 29 = counted 29 + rejected 0 (none)",
    ]


def test_a_category_without_winner_places_lists_no_empty_winners(renda):
    """It printed "优胜单位: 无" for a round that names no winners at all."""
    _, lines = renda
    assert not any(line.strip().startswith("优胜单位:") for line in lines)


def test_the_table_stays_within_80_columns(renda):
    from pingyi.report.sheets import display_width

    _, lines = renda
    assert max(display_width(line.rstrip()) for line in lines if line.startswith(("┃", "│", "┏"))) <= 80


def test_rank_prints_the_same_grades(renda):
    out, tallied = renda
    lines = _invoke("rank", "-c", "gov", "--results", str(out)).output.splitlines()
    assert RENDA_GRADES in lines and lines[:13] == tallied[1:14]


def test_rank_csv_has_a_column_per_grading(renda):
    out, _ = renda
    lines = _invoke("rank", "-c", "gov", "--results", str(out), "--format", "csv").output.splitlines()
    assert lines[0] == "category,rank,unit,name,score,satisfaction_rate,valid,flags,verdict"
    assert lines[5] == "gov,5,zjj,区住建局,93.10,0.9310,29,,基本满意"
    assert lines[8] == "gov,8,sthj,区生态环境分局,68.97,0.6897,29,rectification,不满意"


def test_rank_in_english_names_the_grades_the_round_s_way(renda):
    out, _ = renda
    lines = _invoke("rank", "-c", "gov", "--results", str(out), "--lang", "en").output.splitlines()
    assert (
        "  测评结果: 满意 3 (区发改局, 区教育局, 区民政局); "
        "基本满意 4 (区人力社保局, 区住建局, 区市场监管局, 区交通运输局); 不满意 1 (区生态环境分局)"
    ) in lines


def _sheet(path):
    return load_workbook(io.BytesIO(path.read_bytes())).active


def test_feedback_gives_the_grade_with_its_reason_and_the_shares_beside_the_votes(renda, tmp_path):
    out, _ = renda
    _invoke("feedback", "--results", str(out), "-o", str(tmp_path), "--unit", "zjj", "-q")
    sheet = _sheet(tmp_path / "区住建局.xlsx")
    rows = [[c.value for c in row[:3]] for row in sheet.iter_rows()]
    assert rows[10] == ["测评结果：基本满意（满意票19张，未超过全体组成人员40人的半数）", None, None]
    assert sheet["A11"].font.bold
    assert rows[11:16] == [
        [None, None, None],
        ["选项", "票数", "占比"],
        ["满意", 19, 0.6552],
        ["基本满意", 8, 0.2758],
        ["不满意", 2, 0.069],
    ]
    assert [sheet.cell(row=r, column=3).number_format for r in (14, 15, 16)] == ["0.00%"] * 3
    assert rows[17:19] == [["评定事项", "结论", "依据"], ["列入重点整改单位", "否", "测评结果为基本满意"]]


def test_feedback_in_english_and_for_a_unit_to_rectify(renda, tmp_path):
    out, _ = renda
    _invoke("feedback", "--results", str(out), "-o", str(tmp_path), "--unit", "sthj", "--lang", "en", "-q")
    rows = [[c.value for c in row[:3]] for row in _sheet(tmp_path / "区生态环境分局.xlsx").iter_rows()]
    assert rows[10][0] == "测评结果: 不满意 (满意和基本满意票20张，未超过全体组成人员40人的半数)"
    assert rows[12:16] == [
        ["Option", "Votes", "Share"],
        ["满意", 12, 0.4138],
        ["基本满意", 8, 0.2759],
        ["不满意", 9, 0.3103],
    ]
    assert ["Ordered to rectify", "yes", "测评结果为不满意"] in rows


def test_feedback_of_a_round_without_gradings_has_no_grade_line(tmp_path):
    from pingyi.report.feedback import feedback_workbooks
    from pingyi.results.build import build

    (tmp_path / "round.yaml").write_text(
        "round: t\nextends: qianren-2-1-0\ncategories: [{id: c, name: 类, winners: 1}]\n"
        "strata: [{id: s, name: 群众}]\nunits:\n  - {id: a, name: 甲局, category: c}\n"
        "  - {id: b, name: 乙局, category: c}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text("sheet,stratum,a,b\n1,s,A,B\n2,s,A,\n3,s,B,C\n", encoding="utf-8")
    document = build(str(tmp_path / "round.yaml"), [(tmp_path / "b.csv", "b.csv")], report=False).document
    sheet = load_workbook(io.BytesIO(feedback_workbooks(document, ["b"])["乙局.xlsx"])).active
    rows = [[c.value for c in row[:3]] for row in sheet.iter_rows()]
    assert rows[9:15] == [
        [None, None, None],
        ["选项", "票数", "占比"],
        ["满意", 0, 0.0],
        ["基本满意", 1, 0.3333],
        ["不满意", 1, 0.3333],
        ["弃权", 1, 0.3333],
    ]


def test_rank_csv_escapes_a_grading_id_and_a_grade_that_read_as_formulas(tmp_path):
    """The grading's id heads a csv column: it comes from the round file, like a name."""
    (tmp_path / "round.yaml").write_text(
        "round: t\nextends: qianren-2-1-0\ncategories: [{id: c, name: 类, winners: 1}]\n"
        "strata: [{id: s, name: 群众}]\nunits:\n  - {id: a, name: 甲局, category: c}\n"
        "  - {id: b, name: 乙局, category: c}\n"
        'grades:\n  - {id: "=g", name: 等次, bands: [{grade: "-优", options: [A], over: 1/2},'
        " {grade: 差}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text("sheet,stratum,a,b\n1,s,A,B\n2,s,A,C\n", encoding="utf-8")
    out = str(tmp_path / "out")
    _invoke("tally", str(tmp_path / "round.yaml"), str(tmp_path / "b.csv"), "-o", out, "-q")
    lines = _invoke("rank", "-c", "c", "--results", out, "--format", "csv").output.splitlines()
    assert lines == [
        "category,rank,unit,name,score,satisfaction_rate,valid,flags,'=g",
        "c,1,a,甲局,4.00,1.0000,2,winner,'-优",
        "c,2,b,乙局,1.00,0.5000,2,last_place,差",
    ]


def test_an_edited_results_json_without_shares_and_with_odd_gradings_still_reads(renda, tmp_path):
    """A results.json from before shares, or edited by hand: the shares are formed from
    the counts as the round rounds them, and gradings without an id and name are left out."""
    import json
    import shutil

    out, _ = renda
    edited = tmp_path / "results"
    shutil.copytree(out, edited)
    document = json.loads((edited / "results.json").read_text(encoding="utf-8"))
    for unit in document["units"]:
        del unit["shares"]
    document["gradings"] = [
        {"id": 1},
        "x",
        {**document["gradings"][0], "grades": ["满意", ["?"], "基本满意", "不满意"]},
    ]
    (edited / "results.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    (edited / "manifest.json").unlink()  # with its manifest, an edited result is refused
    lines = _invoke("rank", "-c", "gov", "--results", str(edited)).output.splitlines()
    assert RENDA_GRADES in lines
    _invoke("feedback", "--results", str(edited), "-o", str(tmp_path / "fb"), "--unit", "zjj", "-q")
    rows = [[c.value for c in row[:3]] for row in _sheet(tmp_path / "fb" / "区住建局.xlsx").iter_rows()]
    assert rows[13:16] == [["满意", 19, 0.6552], ["基本满意", 8, 0.2758], ["不满意", 2, 0.069]]
