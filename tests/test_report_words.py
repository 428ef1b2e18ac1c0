"""Words people read (issue 10e): reject reasons in Chinese on a Chinese workbook, the
scheme by its title, a reason on every award row, and 是/否 for yes/no in tables."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pingyi.cli.main import cli
from pingyi.cli.output import emit
from pingyi.report.i18n import REJECT_REASONS
from pingyi.results.build import build
from tests.conftest import EXAMPLES

YIXING = (str(EXAMPLES / "yixing" / "round.yaml"), str(EXAMPLES / "yixing" / "ballots.csv"))


@pytest.fixture(scope="module")
def yixing():
    example = EXAMPLES / "yixing"
    return build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")])


@pytest.fixture(scope="module")
def yixing_en():
    example = EXAMPLES / "yixing"
    return build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")], lang="en")


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_rejects_sheet_gives_the_reason_in_chinese_and_the_code_beside_it(yixing):
    sheet = _book(yixing.files["report.xlsx"])["无效评议表"]
    assert [c.value for c in sheet[1]] == ["文件", "行", "编号", "原因", "原因代码", "详情"]
    assert [c.value for c in sheet[2]] == [
        "ballots.csv",
        229,
        "S0000228",
        "全部弃权",
        "all_blank",
        "all 66 rated units blank",
    ]
    duplicate = next(row for row in sheet.iter_rows(min_row=2) if row[4].value == "duplicate")
    assert duplicate[3].value == "重复扫描"


def test_rejects_sheet_in_english_keeps_english(yixing_en):
    sheet = _book(yixing_en.files["report.xlsx"])["Rejected sheets"]
    assert [c.value for c in sheet[1]] == ["File", "Line", "Sheet", "Reason", "Code", "Detail"]
    assert [c.value for c in sheet[2]][3:5] == ["all units blank", "all_blank"]


def test_every_reject_code_has_words_in_both_languages():
    from pingyi.ballots.batch import Reason

    codes = {r.name for r in Reason if r.name != "none"}
    assert codes <= set(REJECT_REASONS)
    assert all(zh and en for zh, en in REJECT_REASONS.values())


def test_summary_names_the_scheme_by_its_title_and_the_reasons_in_words(yixing, yixing_en):
    summary = _book(yixing.files["report.xlsx"])["汇总"]
    facts = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value for r in range(3, 11)}
    assert facts["计分办法"] == "千人评议机关 三档计分 2:1:0，弃权 0.5"
    assert facts["无效原因"] == "全部弃权 6，重复扫描 6"
    english = _book(yixing_en.files["report.xlsx"])["Summary"]
    facts = {english.cell(row=r, column=1).value: english.cell(row=r, column=2).value for r in range(3, 11)}
    assert facts["Rejected by reason"] == "all units blank 6, duplicate scan 6"


def test_every_award_row_has_a_reason_in_words(yixing):
    book = _book(yixing.files["report.xlsx"])
    for title in ("优胜单位", "末位单位", "重点整改单位"):
        rows = list(book[title].iter_rows(min_row=2, values_only=True))
        assert rows and all(row[6] for row in rows), title
    assert list(book["优胜单位"].iter_rows(min_row=3, max_row=3, values_only=True))[0] == (
        "地方管理部门",
        2,
        "监察局",
        "jcj",
        2153.5,
        0.9738,
        "第2名，优胜名额前5名",
    )


def test_an_award_row_without_an_engine_reason_is_explained(yixing):
    from pingyi.report.workbook import report_workbook

    document = json.loads(yixing.files["results.json"])
    for unit in document["units"]:
        unit["reasons"].pop("winner", None)
    book = _book(report_workbook(document, yixing.ballots.rejects, "zh"))
    assert book["优胜单位"]["G3"].value == "第2名，优胜名额前5名"


def test_the_terminal_gives_winners_their_reasons_too(yixing, tmp_path):
    for name, data in yixing.files.items():
        (tmp_path / name).write_bytes(data)
    done = CliRunner().invoke(cli, ["rank", "--results", str(tmp_path), "--category", "financial"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    start = lines.index("  优胜单位: 农发行、交行")
    assert lines[start + 1 : start + 3] == [
        "    - 农发行: 第1名，优胜名额前2名",
        "    - 交行: 第2名，优胜名额前2名",
    ]


def test_booleans_read_是_否_in_tables_and_true_false_in_csv_and_json(capsys):
    rows = [{"label": "服务对象", "met": True}, {"label": "干部", "met": False}]
    columns = [("label", "quota"), ("met", "达标")]
    emit(rows, columns, "table")
    table = capsys.readouterr().out
    assert "│ 服务对象 │ 是   │" in table and "│ 干部     │ 否   │" in table
    assert "True" not in table and "False" not in table
    emit(rows, columns, "csv")
    assert capsys.readouterr().out == "label,met\n服务对象,true\n干部,false\n"
    emit(rows, columns, "json")
    assert json.loads(capsys.readouterr().out) == rows


def test_check_prints_是_for_a_met_quota():
    done = CliRunner().invoke(cli, ["check", *YIXING])
    assert done.exit_code == 0, done.output
    quota = next(line for line in done.stdout.splitlines() if line.startswith("│ 服务对象不少于60%"))
    assert quota.split("│")[5].strip() == "是" and "True" not in done.stdout
