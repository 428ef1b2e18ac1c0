"""The workbooks people read: report.xlsx and the feedback workbooks, opened back with
openpyxl; written opinions and their classes; text that must never become a formula."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.report.feedback import feedback_workbooks
from pingyi.results.build import build
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def yixing():
    example = EXAMPLES / "yixing"
    return build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")])


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_report_sheets_headers_and_known_cells(yixing):
    book = _book(yixing.files["report.xlsx"])
    assert book.sheetnames == [
        "汇总",
        "地方管理部门",
        "垂直管理部门",
        "金融部门",
        "优胜单位",
        "末位单位",
        "重点整改单位",
        "分层面",
        "无效评议表",
    ]
    local = book["地方管理部门"]
    headers = [c.value for c in local[1]]
    assert headers == [
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
        "弃权率",
        "标记",
        "说明",
        "整改线",
    ]
    first = [c.value for c in local[2]]
    assert first[:5] == [1, "台办", "tb", 2207.0, 0.9537] and first[15] == "优胜"
    assert local["D2"].number_format == "0.00" and local["E2"].number_format == "0.00%"
    row = next(r for r in local.iter_rows(min_row=2) if r[2].value == "cgzfj")
    assert [row[0].value, row[15].value, row[16].value] == [11, "整改", "满意率 89.34% < 90%"]
    assert row[0].fill.fgColor.rgb.endswith("FFE699")  # rectification rows are highlighted
    assert local.freeze_panes == "A2"
    assert local.page_setup.orientation == "landscape" and local.page_setup.paperSize == 9
    assert book["末位单位"]["C2"].value == "农办"
    summary = book["汇总"]
    assert summary["A1"].value == "宜兴市“千人评议机关”活动"
    assert [summary.cell(row=r, column=2).value for r in range(6, 9)] == [1206, 1194, 12]
    rejects = book["无效评议表"]
    assert [c.value for c in rejects[2]] == [
        "ballots.csv",
        229,
        "S0000228",
        "全部弃权",
        "all_blank",
        "all 66 rated units blank",
    ]


def test_each_category_sheet_has_its_charts(yixing):
    """Charts are native Excel charts: read back from the xlsx's drawing parts."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(yixing.files["report.xlsx"]))
    charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 6  # scores and rates for each of the three categories
    assert all("<barChart>" in xml for xml in charts)
    assert sum("<lineChart>" in xml for xml in charts) == 3  # each rate chart with the 90 % line
    drawings = [n for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
    assert len(drawings) == 3  # one drawing (two charts) on each category sheet


def test_report_bytes_depend_only_on_content(yixing):
    example = EXAMPLES / "yixing"
    again = build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")])
    assert again.files["report.xlsx"] == yixing.files["report.xlsx"]


def test_english_headings(tmp_path):
    example = EXAMPLES / "yixing"
    outcome = build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")], lang="en")
    book = _book(outcome.files["report.xlsx"])
    assert book.sheetnames[:2] == ["Summary", "地方管理部门"]
    assert book.sheetnames[4:] == ["Winners", "Last place", "To rectify", "By stratum", "Rejected sheets"]
    assert book["地方管理部门"]["A1"].value == "Rank"


ROUND = """\
round: o
extends: qianren-2-1-0
categories: [{id: c, name: 类, winners: 1}]
strata: [{id: s1, name: 群众}]
units:
  - {id: a, name: "=1+1", category: c}
  - {id: b, name: 乙局, category: c}
opinions:
  file: opinions.csv
  classes:
    服务态度: [态度, 热情]
    办事效率: [效率, 拖拉]
"""
OPINIONS = """\
sheet,stratum,unit,text
1,s1,a,态度热情
2,s1,a,办事拖拉，效率低
3,s1,a,"=HYPERLINK(""http://evil.example"",""click"")"
4,s1,b,@SUM(1)
5,s1,b,
6,s1,a,服务态度好，效率高
"""


def _opinion_round(tmp_path: Path, opinions: str = OPINIONS):
    (tmp_path / "round.yaml").write_text(ROUND, encoding="utf-8")
    (tmp_path / "opinions.csv").write_text(opinions, encoding="utf-8")
    (tmp_path / "b.csv").write_text("sheet,stratum,a,b\n1,s1,A,B\n2,s1,B,C\n", encoding="utf-8")
    return build(str(tmp_path / "round.yaml"), [(tmp_path / "b.csv", "b.csv")])


def test_opinions_are_counted_and_classified_first_match(tmp_path):
    """a: 态度热情 → 服务态度; 办事拖拉，效率低 → 办事效率; the formula text → 其他;
    服务态度好，效率高 matches both and goes to the first class, 服务态度. b: one opinion
    (the empty row is skipped and reported)."""
    outcome = _opinion_round(tmp_path)
    units = {u["id"]: u for u in outcome.document["units"]}
    assert outcome.document["opinion_classes"] == ["服务态度", "办事效率", "其他"]
    assert units["a"]["opinions"]["by_class"] == {"服务态度": 2, "办事效率": 1, "其他": 1}
    assert units["a"]["opinions"]["count"] == 4 and units["b"]["opinions"]["count"] == 1
    assert outcome.document["warnings"] == ["opinions.csv: 1 rows without text skipped"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    outcome = _opinion_round(tmp_path)
    book = _book(outcome.files["report.xlsx"])
    sheet = book["意见建议"]
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    evil = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert evil.value == '=HYPERLINK("http://evil.example","click")' and evil.data_type == "s"
    assert next(c for c in cells if str(c.value).startswith("@")).data_type == "s"
    name = book["类"]["B2"] if book["类"]["B2"].value == "=1+1" else book["类"]["B3"]
    assert name.value == "=1+1" and name.data_type == "s"
    feedback = feedback_workbooks(outcome.document, ["a"])
    assert list(feedback) == ["=1+1.xlsx"]
    texts = [
        c
        for row in _book(feedback["=1+1.xlsx"]).active.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert texts and all(c.data_type == "s" for c in texts)


def test_an_opinion_for_an_unknown_unit_names_its_line(tmp_path):
    with pytest.raises(PingyiError) as caught:
        _opinion_round(tmp_path, "unit,text\na,好\nzz,差\n")
    assert caught.value.problems[0].as_tuple() == ("opinions.csv", 3, "unit", "unknown_unit")


def test_feedback_workbook_of_a_unit(yixing):
    books = feedback_workbooks(yixing.document, ["cgzfj", "tb"])
    assert list(books) == ["城管执法局.xlsx", "台办.xlsx"]
    sheet = _book(books["城管执法局.xlsx"]).active
    facts = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(3, 10)}
    assert facts["单位"] == "城管执法局" and facts["类别"] == "地方管理部门"
    assert facts["得分"] == 2072.0 and facts["名次"] == "第11名（共45个单位）"
    assert facts["满意率"] == 0.8934 and facts["标记"] == "整改"
    rules = {
        row[0].value: (row[1].value, row[2].value)
        for row in sheet.iter_rows()
        if row[0].value in ("评为优胜单位", "列入重点整改单位")
    }
    assert rules["列入重点整改单位"] == ("是", "满意率 89.34% < 90%")
    assert rules["评为优胜单位"][0] == "否"
    strata = [
        row[0].value
        for row in sheet.iter_rows()
        if row[0].value in ("市四套班子及镇街领导", "企业负责人", "人大代表政协委员等", "基层干部")
    ]
    assert len(strata) == 4


MOVING_ROUND = """\
round: {id}
extends: ningbo-weighted
categories: [{{id: c, name: 类, winners: 1}}]
strata: [{{id: s, name: 群众}}]
units:
  - {{id: a, name: 甲局, category: c}}
  - {{id: b, name: 乙局, category: c}}
  - {{id: d, name: 丙局, category: c}}
"""


def test_feedback_command_writes_one_workbook_per_unit(tmp_path):
    """Two tiny rounds, the second with a previous round and opinions: report.xlsx gets its
    movement and opinion sheets, and pingyi feedback one workbook per unit with both."""
    runner = CliRunner()
    (tmp_path / "r1.yaml").write_text(MOVING_ROUND.format(id="one"), encoding="utf-8")
    (tmp_path / "r2.yaml").write_text(
        MOVING_ROUND.format(id="two")
        + "previous: r1\nopinions:\n  file: opinions.csv\n  classes: {服务态度: [态度]}\n",
        encoding="utf-8",
    )
    (tmp_path / "b1.csv").write_text("sheet,stratum,a,b,d\n1,s,A,B,C\n2,s,A,C,C\n", encoding="utf-8")
    (tmp_path / "b2.csv").write_text("sheet,stratum,a,b,d\n1,s,C,B,A\n2,s,C,A,A\n", encoding="utf-8")
    (tmp_path / "opinions.csv").write_text("unit,text\nd,态度好\na,慢\n", encoding="utf-8")
    for n in ("1", "2"):
        paths = [str(tmp_path / name) for name in (f"r{n}.yaml", f"b{n}.csv", f"r{n}")]
        done = runner.invoke(cli, ["tally", paths[0], paths[1], "-o", paths[2], "-q"])
        assert done.exit_code == 0, done.output
    out = tmp_path / "r2"
    report = load_workbook(out / "report.xlsx")
    assert "名次变化" in report.sheetnames and "意见建议" in report.sheetnames
    done = runner.invoke(cli, ["feedback", "--results", str(out), "-o", str(tmp_path / "fb")])
    assert done.exit_code == 0, done.output
    assert done.stderr == f"wrote 3 workbooks to {tmp_path / 'fb'}/\n"
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["丙局.xlsx", "乙局.xlsx", "甲局.xlsx"]
    one = load_workbook(tmp_path / "fb" / "丙局.xlsx").active
    labels = [row[0].value for row in one.iter_rows() if row[0].value]
    assert "上轮名次" in labels and "意见建议（1）" in labels
    unknown = runner.invoke(cli, ["feedback", "--results", str(out), "--unit", "nope"])
    assert unknown.exit_code == 2 and "no unit 'nope'" in unknown.stderr


def test_report_bytes_never_depend_on_lxml(monkeypatch):
    """openpyxl writes other bytes through lxml; pingyi keeps it on its own writer
    (OPENPYXL_LXML=False, set on import) and refuses to write through lxml."""
    import os

    import openpyxl

    from pingyi.errors import PingyiError
    from pingyi.report.sheets import workbook_bytes

    assert os.environ["OPENPYXL_LXML"] == "False" and openpyxl.LXML is False
    monkeypatch.setattr(openpyxl, "LXML", True)
    with pytest.raises(PingyiError) as caught:
        workbook_bytes(openpyxl.Workbook())
    assert [p.code for p in caught.value.problems] == ["lxml_writer"]


@pytest.mark.parametrize(
    ("names", "titles"),
    [
        (["Local", "local", "LOCAL"], ["Local", "local(2)", "LOCAL(3)"]),  # Excel ignores case
        (["History", "history"], ["History(2)", "history(3)"]),  # Excel's own sheet name
        (["'引号'", "a/b:c"], ["_引号_", "a_b_c"]),
        (["   ", ""], ["sheet", "sheet(2)"]),
        (["甲" * 40, "甲" * 40], ["甲" * 31, "甲" * 28 + "(2)"]),
        (["𠀀" * 20, "𠀀" * 20], ["𠀀" * 15, "𠀀" * 14 + "(2)"]),  # two UTF-16 units each, as Excel counts
    ],
)
def test_sheet_titles_are_names_excel_opens_without_repair(names, titles):
    """Defect: two categories named ``Local`` and ``local``, or one named ``History``,
    made a workbook Excel opens only after repairing it (deleting a sheet)."""
    from pingyi.report.sheets import sheet_title

    taken: set[str] = set()
    assert [sheet_title(name, taken) for name in names] == titles


def test_categories_differing_only_in_case_get_sheets_of_their_own(tmp_path):
    example = EXAMPLES / "yixing"
    text = (example / "round.yaml").read_text(encoding="utf-8")
    text = text.replace("name: 地方管理部门", "name: Local").replace("name: 垂直管理部门", "name: LOCAL")
    text = text.replace("name: 金融部门", "name: History")
    (tmp_path / "round.yaml").write_text(text, encoding="utf-8")
    outcome = build(str(tmp_path / "round.yaml"), [(example / "ballots.csv", "ballots.csv")])
    names = _book(outcome.files["report.xlsx"]).sheetnames
    assert names[1:4] == ["Local", "LOCAL(2)", "History(2)"]
    assert len({name.casefold() for name in names}) == len(names)
