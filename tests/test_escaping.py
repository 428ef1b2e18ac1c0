"""Text from inputs stays text wherever it goes (issue 10): CSV files a spreadsheet opens
(no live formulas), terminals (no escape sequences), xlsx XML (no illegal characters).

One hostile round serves every test: unit, category and stratum ids and names, sheet ids
and the ballot file's name start with formula characters or carry control characters.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pingyi.cli.main import cli
from pingyi.cli.output import emit, print_table
from pingyi.cli.problems import report_notices
from pingyi.errors import Problem
from pingyi.report.escaping import csv_text, csv_untext, terminal_text, xlsx_text
from pingyi.report.feedback import feedback_books
from pingyi.report.workbook import report_book, report_workbook
from pingyi.results.build import build
from pingyi.results.tables import rejects_csv, scores_csv, strata_csv

HOSTILE_ROUND = r"""
round: hostile
title: 测试
extends: qianren-2-1-0
categories: [{id: "=c", name: "@类", winners: 1}]
strata: [{id: "+s", name: "-群众"}]
units:
  - {id: "-1+2", name: "=HYPERLINK(\"http://x\",\"y\")", category: "=c"}
  - {id: b, name: "@SUM(A1)", category: "=c"}
  - {id: c, name: "+1", category: "=c"}
  - {id: d, name: "\t制表局", category: "=c"}
  - {id: e, name: 回车局, category: "=c"}
"""
HOSTILE_BALLOTS = "sheet,stratum,-1+2,b,c,d,e\n=1+1,+s,A,B,C,A,B\n2,+s,B,C,A,A,A\n@3,+s,,,,,\n"
NAMES = {
    "-1+2": '=HYPERLINK("http://x","y")',
    "b": "@SUM(A1)",
    "c": "+1",
    "d": "\t制表局",
    "e": "\r回车局",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "round.yaml").write_text(HOSTILE_ROUND, encoding="utf-8")
    (folder / "b.csv").write_text(HOSTILE_BALLOTS, encoding="utf-8")
    return build(str(folder / "round.yaml"), [(folder / "b.csv", "-b.csv")])


@pytest.fixture(scope="module")
def hostile_document(hostile):
    """The hostile round's results with a CR leading a name (round files refuse control
    characters, but results.json from elsewhere, or an older pingyi, may hold them)."""
    document = json.loads(hostile.files["results.json"])
    next(u for u in document["units"] if u["id"] == "e")["name"] = NAMES["e"]
    return document


def _rows(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


# --- CSV: no live formulas (OWASP: prefix ' to text starting with = + - @ TAB CR) ----------


def test_scores_csv_escapes_text_from_inputs(hostile_document):
    rows = _rows(scores_csv(hostile_document))
    header, body = rows[0], rows[1:]
    assert len(body) == 5  # a CR inside a name does not split its row
    got = {r[header.index("name")]: (r[header.index("category")], r[header.index("unit")]) for r in body}
    assert got == {
        "'" + NAMES["d"]: ("'=c", "d"),
        "'" + NAMES["-1+2"]: ("'=c", "'-1+2"),
        "'" + NAMES["e"]: ("'=c", "e"),
        "'+1": ("'=c", "c"),
        "'@SUM(A1)": ("'=c", "b"),
    }


def test_strata_and_rejects_csv_escape_ids_sheets_and_files(hostile):
    strata = _rows(strata_csv(hostile.document))
    assert [r[:2] for r in strata[1:]] == [
        ["'-1+2", "'+s"],
        ["b", "'+s"],
        ["c", "'+s"],
        ["d", "'+s"],
        ["e", "'+s"],
    ]
    rejects = _rows(rejects_csv(hostile.ballots.rejects))
    assert rejects[1] == ["'-b.csv", "4", "'@3", "all_blank", "all 5 rated units blank"]


def test_numbers_are_never_escaped(hostile):
    """A negative rank change or score is a number, not text: it stays -3 and -1.50."""
    document = json.loads(json.dumps(hostile.document))
    for u in document["units"]:
        u.update(previous_rank=1, rank_change=-3, bonus=0)
        u["score_exact"] = "-3/2"
    rows = _rows(scores_csv(document))
    header = rows[0]
    assert {r[header.index("rank_change")] for r in rows[1:]} == {"-3"}
    assert {r[header.index("score")] for r in rows[1:]} == {"-1.50"}


def test_results_json_keeps_the_raw_text(hostile):
    document = json.loads(hostile.files["results.json"])
    assert {u["id"]: u["name"] for u in document["units"]} == {**NAMES, "e": "回车局"}
    assert document["categories"][0]["id"] == "=c"


def test_csv_printing_escapes_text_but_not_figures(hostile, tmp_path):
    out = tmp_path / "r"
    for name, data in hostile.files.items():
        out.mkdir(exist_ok=True)
        (out / name).write_bytes(data)
    runner = CliRunner()
    done = runner.invoke(cli, ["rank", "--results", str(out), "--category", "=c", "--format", "csv"])
    assert done.exit_code == 0, done.output
    rows = _rows(done.stdout)
    assert rows[0] == ["category", "rank", "unit", "name", "score", "satisfaction_rate", "valid", "flags"]
    assert rows[2] == ["'=c", "2", "'-1+2", "'" + NAMES["-1+2"], "3.00", "1.0000", "2", "tie"]
    assert len(rows) == 6


def test_emit_escapes_str_cells_and_keeps_numbers(capsys):
    emit(
        [{"name": "-1+2", "n": -3, "figure": "-1.50", "ids": ["=a", "b"]}],
        [("name", "名称"), ("n", "n"), ("figure", "f"), ("ids", "ids")],
        "csv",
        numbers=("figure",),
    )
    assert capsys.readouterr().out == "name,n,figure,ids\n'-1+2,-3,-1.50,'=a b\n"


def test_csv_escaping_can_be_undone_exactly():
    """A text that already starts with ' and a formula character gets one more ', so
    taking one ' off always gives the text back."""
    for raw in ["=1", "'=1", "''+1", "'s", "plain", "-", "'", ""]:
        assert csv_untext(csv_text(raw)) == raw
    assert [csv_text(t) for t in ["'=1", "'s", "x=1"]] == ["''=1", "'s", "x=1"]


# --- terminals: no escape sequences, no bidi overrides --------------------------------------

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
TERMINAL_ROUND = """
round: terminal
extends: qianren-2-1-0
categories: [{id: c, name: 类, winners: 1}]
strata: [{id: s, name: 群众}]
units:
  - {id: a, name: 甲, category: c}
  - {id: b, name: 乙, category: c}
  - {id: d, name: 丙, category: c}
  - {id: e, name: 丁, category: c}
"""
TERMINAL_NAMES = {
    "a": "\x1b[2J清屏局",
    "b": "\x1b]52;c;ZXZpbA==\x07剪贴板局",
    "d": "\u202e局反转",
    "e": "\x9b31m八位局",
}


@pytest.fixture(scope="module")
def terminal_results(tmp_path_factory):
    """A results directory whose names carry escape sequences (put into results.json
    after the tally, so this needs nothing but the terminal views)."""
    folder = tmp_path_factory.mktemp("terminal")
    (folder / "round.yaml").write_text(TERMINAL_ROUND, encoding="utf-8")
    (folder / "b.csv").write_text("sheet,stratum,a,b,d,e\n1,s,A,B,C,A\n2,s,C,B,A,A\n", encoding="utf-8")
    outcome = build(str(folder / "round.yaml"), [(folder / "b.csv", "b.csv")])
    out = folder / "results"
    out.mkdir()
    for name, data in outcome.files.items():
        (out / name).write_bytes(data)
    document = json.loads(outcome.files["results.json"])
    for unit in document["units"]:
        unit["name"] = TERMINAL_NAMES[unit["id"]]
    document["categories"][0]["name"] = "\x1b[31m红类"
    (out / "results.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


def test_terminal_text_shows_controls_visibly():
    assert terminal_text("\x1b[2J局\x07\u202e\x9b\t\n") == "\\x1b[2J局\\x07\\u202e\\x9b\\x09\\x0a"
    assert terminal_text("市委办公室 A-1") == "市委办公室 A-1"


def test_print_table_escapes_every_cell_heading_and_title(capsys):
    print_table(
        [{"a": "\x1b[2J局", "b": "\x1b]52;c;ZXZpbA==\x07"}], [("a", "\u202e单位"), ("b", "b")], "\x1b[31m"
    )
    out = capsys.readouterr().out
    assert not CONTROL.search(out)
    assert "\\x1b[2J局" in out and "\\x1b]52;c;ZXZpbA==\\x07" in out and "\\u202e单位" in out


def test_rank_table_shows_hostile_names_escaped(terminal_results):
    done = CliRunner().invoke(cli, ["rank", "--results", str(terminal_results), "--category", "c"])
    assert done.exit_code == 0, done.output
    assert not CONTROL.search(done.stdout)
    for shown in ("\\x1b[2J清屏局", "\\x1b]52;c;ZXZpbA==\\x07", "\\u202e局反转", "\\x9b31m八位局"):
        assert shown in done.stdout
    assert "\\x1b[31m红类: 4 个单位" in done.stdout  # the summary line


def test_error_messages_show_hostile_text_escaped(terminal_results):
    done = CliRunner().invoke(cli, ["rank", "--results", str(terminal_results), "--category", "\x1b[2Jx"])
    assert done.exit_code == 2
    assert not CONTROL.search(done.stderr)
    assert "no category '\\x1b[2Jx'; known: c (\\x1b[31m红类)" in done.stderr


# --- xlsx: characters XML cannot hold are shown, reported, and never kill the writer -------

XLSX_ROUND = """
round: xlsx
title: 评议〔E〕活动
extends: qianren-2-1-0
categories: [{id: c, name: 类〔E〕别, winners: 1}]
strata: [{id: s, name: 群众}]
units:
  - {id: a, name: 市委办〔Z〕, category: c}
  - {id: b, name: "〔E〕[31m乙局", category: c}
opinions:
  file: opinions.csv
  classes: {服务态度: [态度]}
"""
XLSX_OPINIONS = "sheet,stratum,unit,text\n1,s,a,态度〔V〕好\n2,s,b,很好\n"
#: Round files refuse control characters; the results carry them in place of these marks
#: (an ESC, a DOS Ctrl-Z, a vertical tab), as results.json or rejects from elsewhere may.
CONTROLS = {"〔E〕": "\x1b", "〔Z〕": "\x1a", "〔V〕": "\x0b"}


def _controlled(text: str) -> str:
    for mark, char in CONTROLS.items():
        text = text.replace(mark, char)
    return text


@pytest.fixture(scope="module")
def xlsx_round(tmp_path_factory):
    """The document, rejects and report.xlsx of a round whose title, category, names,
    an opinion and a sheet id hold control characters."""
    folder = tmp_path_factory.mktemp("xlsx")
    (folder / "round.yaml").write_text(XLSX_ROUND, encoding="utf-8")
    (folder / "opinions.csv").write_text(XLSX_OPINIONS, encoding="utf-8")
    (folder / "b.csv").write_text("sheet,stratum,a,b\n1,s,A,B\n2,s,B,C\n3〔Z〕,s,,\n", encoding="utf-8")
    outcome = build(str(folder / "round.yaml"), [(folder / "b.csv", "b.csv")])
    text = outcome.files["results.json"].decode("utf-8")
    for mark, char in CONTROLS.items():
        text = text.replace(mark, json.dumps(char)[1:-1])
    document = json.loads(text)
    rejects = [dataclasses.replace(j, sheet=_controlled(j.sheet)) for j in outcome.ballots.rejects]
    files = {**outcome.files, "results.json": text.encode("utf-8")}
    return SimpleNamespace(
        document=document, rejects=rejects, files=files, report=report_book(document, rejects)
    )


def _values(sheet) -> list:
    return [c.value for row in sheet.iter_rows() for c in row if c.value is not None]


def test_xlsx_text_matches_what_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for code in range(0x10000):
        char = chr(code)
        if ILLEGAL_CHARACTERS_RE.match(char):
            assert xlsx_text(char) == f"\\x{code:02x}"
    assert xlsx_text("市委办\x1a\t\n\r好") == "市委办\\x1a\t\n\r好"
    assert xlsx_text("\ufffe") == "\\ufffe"


REPORT_NOTES = [
    "评议\\x1b活动：汇总!A1",
    "优胜单位: 类\\x1b别 前1名，一票否决单位不得评为优胜单位：汇总!A17",
    "市委办\\x1a：类_x1b别!B2、优胜单位!C2、分层面!B2、意见建议!A2",
    "\\x1b[31m乙局：类_x1b别!B3、末位单位!C2、分层面!B3、意见建议!A3",
    "类\\x1b别最后一名（第2名，共2个）：类_x1b别!Q3、末位单位!G2",
    "类\\x1b别：优胜单位!A2、末位单位!A2、分层面!A2、分层面!A3",
    "态度\\x0b好：意见建议!D2",
    "3\\x1a：无效评议表!C2",
]


def test_report_workbook_with_control_characters_is_written_and_says_so(xlsx_round):
    """A Ctrl-Z after a name, ESC in a name and a title, a vertical tab in an opinion and
    Ctrl-Z in a sheet id: each written as \\x1a …, and the summary sheet lists them."""
    book = load_workbook(io.BytesIO(xlsx_round.report.data))
    assert book.sheetnames[1] == "类_x1b别"  # a sheet name takes no backslash
    category = book["类_x1b别"]
    assert [category.cell(row=r, column=2).value for r in (2, 3)] == ["市委办\\x1a", "\\x1b[31m乙局"]
    assert book["意见建议"]["D2"].value == "态度\\x0b好"
    assert book["无效评议表"]["C2"].value == "3\\x1a"
    summary = book["汇总"]
    assert summary["A1"].value == "评议\\x1b活动"
    column = [summary.cell(row=r, column=1).value for r in range(1, summary.max_row + 1)]
    start = column.index("写入时替换的控制字符")
    assert column[start + 1 :] == [
        "以下文字含 Excel 无法保存的控制字符，已写作 \\x1a 等形式：",
        *REPORT_NOTES,
    ]


def test_report_book_gives_the_notes_to_the_caller(xlsx_round):
    assert xlsx_round.report.notes == REPORT_NOTES
    assert report_workbook(xlsx_round.document, xlsx_round.rejects) == xlsx_round.report.data
    english = report_book(xlsx_round.document, xlsx_round.rejects, "en")
    assert english.notes[0] == "评议\\x1b活动: Summary!A1"


def test_a_clean_workbook_has_no_notes(hostile):
    book = report_book(hostile.document, hostile.ballots.rejects, "zh")
    assert book.notes == []
    column = [c.value for c in load_workbook(io.BytesIO(book.data))["汇总"]["A"]]
    assert "写入时替换的控制字符" not in column


def test_feedback_workbook_with_control_characters(xlsx_round):
    books = feedback_books(xlsx_round.document, ["a"], "zh")
    assert list(books) == ["市委办_.xlsx"]
    book = books["市委办_.xlsx"]
    sheet = load_workbook(io.BytesIO(book.data)).active
    assert sheet["B3"].value == "市委办\\x1a"
    assert book.notes == [
        "评议\\x1b活动 评议结果反馈：评议结果反馈!A1",
        "市委办\\x1a：评议结果反馈!B3",
        "类\\x1b别：评议结果反馈!B4",
        "态度\\x0b好：评议结果反馈!B27",
    ]
    column = [c.value for c in sheet["A"]]
    assert column[-len(book.notes) - 2 :] == [
        "写入时替换的控制字符",
        "以下文字含 Excel 无法保存的控制字符，已写作 \\x1a 等形式：",
        *book.notes,
    ]


def test_feedback_command_warns_about_replaced_text(xlsx_round, tmp_path):
    results = tmp_path / "r"
    results.mkdir()
    for name, data in xlsx_round.files.items():
        (results / name).write_bytes(data)
    done = CliRunner().invoke(cli, ["feedback", "--results", str(results), "-o", str(tmp_path / "fb"), "-q"])
    assert done.exit_code == 0, done.output
    lines = done.stderr.splitlines()
    first = tmp_path / "fb" / "市委办_.xlsx"
    assert lines[1] == f"warning: {first}: control characters written as \\x..: 市委办\\x1a：评议结果反馈!B3"
    assert len(lines) == 8  # 4 texts in each workbook


def test_warnings_show_hostile_text_escaped(capsys):
    """Warnings and failed checks (cli/problems.py) carry text from inputs, such as a
    quota label. (click drops CSI sequences when stderr is not a terminal, as here, but
    not on a terminal: so the test looks for the escaped form.)"""
    label = "\x1b]52;c;ZXZpbA==\x07\x1b[2J配额"
    report_notices([Problem("r.yaml", 3, "quotas[0]", "quota_missed", f"quota missed: {label}", "failure")])
    assert capsys.readouterr().err == (
        "warning: r.yaml:3: quotas[0]: quota missed: \\x1b]52;c;ZXZpbA==\\x07\\x1b[2J配额 [quota_missed]\n"
    )
