"""Reading and counting ballots: every sheet counted or rejected with file and line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pingyi.ballots.count import read_ballots
from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.report.ballots import ballot_summary
from pingyi.round.load import load_round

ROUND = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: local, name: 地方, winners: 1}
strata:
  - {id: 企业, name: 企业代表}
  - {id: 群众, name: 城市居民}
units:
  - {id: a, name: 甲, category: local}
  - {id: b, name: 乙, category: local}
  - {id: c, name: 丙, category: local}
"""

# sheet, stratum, a, b, c     (A 满意, B 基本满意, C 不满意, "" 弃权)
SHEETS = """\
sheet,stratum,a,b,c
1,企业,A,B,C
2,企业,A,,B
3,群众, A ,A,A
4,群众,C,AB,
5,群众,,,
"""


def counts_of(c, unit: int) -> list[list[int]]:
    """Per stratum: [A, B, C, blank, invalid] of one unit."""
    return c.counts[unit].tolist()


@pytest.fixture
def round_(write):
    return load_round(write("round.yaml", ROUND))


def test_exact_counts_and_blanks_are_not_lost(round_, write):
    c = read_ballots(round_, [write("b.csv", SHEETS)])
    assert (c.read, c.counted, c.rejected) == (5, 4, 1)
    assert counts_of(c, 0) == [[2, 0, 0, 0, 0], [1, 0, 1, 0, 0]]
    assert counts_of(c, 1) == [[0, 1, 0, 1, 0], [1, 0, 0, 0, 1]]  # "" blank, "AB" invalid
    assert counts_of(c, 2) == [[0, 1, 1, 0, 0], [1, 0, 0, 1, 0]]
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(6, "5", "all_blank")]
    assert c.sheets_by_stratum.tolist() == [2, 2]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_detected(round_, write, encoding):
    c = read_ballots(round_, [write("b.csv", SHEETS.encode(encoding))])
    assert c.counts.tolist() == read_ballots(round_, [write("u.csv", SHEETS)]).counts.tolist()
    assert c.files[0].encoding == ("gb18030" if encoding in ("gb18030", "gbk") else "utf-8")


def test_explicit_encoding_is_honoured_and_bad_bytes_name_the_line(write):
    r = load_round(write("round.yaml", ROUND + "ballots: {encoding: utf-8}\n"))
    data = SHEETS.encode("utf-8") + "6,群众,A,A,A\n".encode("gb18030")
    with pytest.raises(PingyiError) as info:
        read_ballots(r, [write("b.csv", data)])
    assert [(p.line, p.code) for p in info.value.problems] == [(7, "encoding")]
    assert "gb18030" in info.value.problems[0].message


def _as_long(text: str) -> str:
    rows = [line.split(",") for line in text.strip().splitlines()]
    header, body = rows[0], rows[1:]
    out = ["sheet,stratum,unit,mark"]
    for row in body:
        for unit, mark in zip(header[2:], row[2:], strict=True):
            out.append(f"{row[0]},{row[1]},{unit},{mark}")
    return "\n".join(out) + "\n"


def _as_xlsx(text: str, path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for line in text.strip().splitlines():
        book.active.append(line.split(","))
    book.save(path)


def test_wide_long_and_xlsx_give_identical_counts(round_, write, tmp_path):
    wide = read_ballots(round_, [write("w.csv", SHEETS)])
    long_round = load_round(write("long.yaml", ROUND + "ballots: {layout: long}\n"))
    long = read_ballots(long_round, [write("l.csv", _as_long(SHEETS))])
    _as_xlsx(SHEETS, tmp_path / "x.xlsx")
    xlsx = read_ballots(round_, [tmp_path / "x.xlsx"])
    assert long.counts.tolist() == wide.counts.tolist() == xlsx.counts.tolist()
    assert [(j.line, j.reason) for j in xlsx.rejects] == [(6, "all_blank")]
    assert (long.read, long.counted) == (5, 4)


def test_column_map_and_mark_codes(write):
    r = load_round(
        write(
            "round.yaml",
            ROUND
            + """\
ballots:
  sheet_id: 编号
  stratum: 层面
  columns: {a: Q1, b: Q2, c: Q3}
  marks: {"1": A, "2": B, "3": C, "√": A}
  blank_codes: ["-"]
  invalid_codes: [">"]
""",
        )
    )
    c = read_ballots(r, [write("b.csv", "编号,层面,Q1,Q2,Q3,timestamp\n1,企业,1,2,3,x\n2,群众,√,-,>,y\n")])
    assert counts_of(c, 0) == [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]]
    assert counts_of(c, 1) == [[0, 1, 0, 0, 0], [0, 0, 0, 1, 0]]
    assert counts_of(c, 2) == [[0, 0, 1, 0, 0], [0, 0, 0, 0, 1]]
    assert c.files[0].unused_columns == ["timestamp"]


FORMS = (
    ROUND
    + """\
forms:
  表一: [a, b]
  表二: [c]
ballots: {form: form}
"""
)


def test_forms_decide_which_units_a_sheet_rates(write):
    r = load_round(write("round.yaml", FORMS))
    c = read_ballots(
        r,
        [
            write(
                "b.csv",
                "sheet,stratum,form,a,b,c\n"
                "1,企业,表一,A,,\n2,企业,表二,,,B\n3,企业,表二,A,,B\n"
                "4,企业,表三,A,A,A\n",
            )
        ],
    )
    assert counts_of(c, 0)[0] == [1, 0, 0, 0, 0]
    assert counts_of(c, 1)[0] == [0, 0, 0, 1, 0]  # on 表一 and left empty: a blank
    assert counts_of(c, 2)[0] == [0, 1, 0, 0, 0]  # only sheet 2 rates c
    assert [(j.line, j.reason) for j in c.rejects] == [(4, "off_form_mark"), (5, "unknown_form")]
    assert c.sheets_by_form.tolist() == [1, 1]


def test_every_reject_reason_with_file_and_line(write):
    r = load_round(write("round.yaml", ROUND + "sheets: {invalid_if_invalid_marks_over: 0.5}\n"))
    first = write(
        "one.csv",
        "sheet,stratum,a,b,c\n"
        "1,企业,A,A,A\n"  # 2 counted
        ",企业,A,A,A\n"  # 3 missing_sheet_id
        "3,官员,A,A,A\n"  # 4 unknown_stratum
        "4,企业,,,\n"  # 5 all_blank
        "5,企业,AB,X,A\n"  # 6 too_many_invalid (2 of 3)
        "6,企业,AB,A,A\n"  # 7 counted (1 of 3 invalid)
        "7,企业,A,A\n"  # 8 malformed_row
        "8,企业,A,A,A\n"  # 9 conflicting_duplicate (with two.csv)
        "1,企业,A,A,A\n",
    )  # 10 duplicate of line 2
    second = write("two.csv", "sheet,stratum,a,b,c\n8,企业,C,C,C\n")
    c = read_ballots(r, [second, first])
    got = [(j.file.rsplit("/", 1)[-1], j.line, j.sheet, j.reason) for j in c.rejects]
    assert got == [
        ("one.csv", 3, "", "missing_sheet_id"),
        ("one.csv", 4, "3", "unknown_stratum"),
        ("one.csv", 5, "4", "all_blank"),
        ("one.csv", 6, "5", "too_many_invalid"),
        ("one.csv", 8, "7", "malformed_row"),
        ("one.csv", 9, "8", "conflicting_duplicate"),
        ("one.csv", 10, "1", "duplicate"),
        ("two.csv", 2, "8", "conflicting_duplicate"),
    ]
    assert (c.read, c.counted, c.rejected) == (10, 2, 8)
    assert counts_of(c, 0)[0] == [1, 0, 0, 0, 1]


def test_conflict_found_in_a_later_batch_takes_the_first_copy_away(write, monkeypatch):
    from pingyi.ballots import csv_wide

    monkeypatch.setattr(csv_wide, "BLOCK_SIZE", 64)  # many small batches
    body = "".join(f"{i},企业,A,B,C\n" for i in range(1, 40))
    r = load_round(write("round.yaml", ROUND))
    c = read_ballots(r, [write("b.csv", "sheet,stratum,a,b,c\n" + body + "3,企业,C,C,C\n")])
    assert (c.read, c.counted, c.rejected) == (40, 38, 2)
    assert counts_of(c, 0)[0] == [38, 0, 0, 0, 0]
    assert [(j.line, j.reason) for j in c.rejects] == [
        (4, "conflicting_duplicate"),
        (41, "conflicting_duplicate"),
    ]


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("total.csv", SHEETS + "合计,,5,4,3\n", "total_row"),
        ("semi.csv", SHEETS.replace(",", ";"), "missing_column"),
        ("fake.csv", b"PK\x03\x04rest-of-a-zip", "not_csv"),
        ("fake.xlsx", SHEETS, "not_xlsx"),
        ("cols.csv", "sheet,stratum,a,b\n1,企业,A,A\n", "missing_column"),
    ],
)
def test_unusable_files_are_errors_not_wrong_counts(round_, write, name, data, code):
    with pytest.raises(PingyiError) as info:
        read_ballots(round_, [write(name, data)])
    assert [p.code for p in info.value.problems] == [code]
    assert info.value.problems[0].file.endswith(name)


def test_total_row_names_its_line(round_, write):
    with pytest.raises(PingyiError) as info:
        read_ballots(round_, [write("b.csv", SHEETS + "合计,,5,4,3\n")])
    assert info.value.problems[0].line == 7


@pytest.mark.parametrize("word", ["TOTAL", " Sum ", "小计", "Total"])
def test_a_total_row_is_found_in_any_case_and_among_long_ids(round_, write, word):
    """Only ids as short as a total word are lowered and matched: a long id beside it, or
    an id that merely contains the word, is a sheet."""
    rows = SHEETS + "a-very-long-sheet-id-total,企业,A,A,A\ntotals,企业,B,B,B\n" + f"{word},企业,5,4,3\n"
    with pytest.raises(PingyiError) as info:
        read_ballots(round_, [write("b.csv", rows)])
    assert info.value.problems[0].as_tuple()[1:] == (9, "", "total_row")


def test_wrong_delimiter_says_so(round_, write):
    with pytest.raises(PingyiError) as info:
        read_ballots(round_, [write("b.csv", SHEETS.replace(",", ";"))])
    assert "wrong delimiter" in info.value.problems[0].message


def test_empty_lines_are_not_sheets_and_lines_stay_exact(round_, write):
    c = read_ballots(round_, [write("b.csv", SHEETS.replace("2,企业", "\n2,企业"))])
    assert (c.read, c.counted) == (5, 4)
    assert [(j.line, j.reason) for j in c.rejects] == [(7, "all_blank")]
    assert c.files[0].empty_lines == 1


# --- properties -------------------------------------------------------------------------------

CELLS = st.sampled_from(["A", "B", "C", "", "AB", "Z"])
ROWS = st.lists(
    st.tuples(st.integers(1, 25), st.sampled_from(["企业", "群众", "官员", ""]), CELLS, CELLS, CELLS),
    min_size=1,
    max_size=40,
)


def _csv(rows) -> str:
    return "sheet,stratum,a,b,c\n" + "".join(",".join(map(str, row)) + "\n" for row in rows)


@given(rows=ROWS)
def test_read_equals_counted_plus_rejected(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("p")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    (folder / "b.csv").write_text(_csv(rows), encoding="utf-8")
    c = read_ballots(load_round(folder / "round.yaml"), [folder / "b.csv"])
    assert c.read == len(rows) == c.counted + c.rejected
    assert sum(c.rejected_by_reason.values()) == c.rejected
    assert int(c.counts.sum()) == 3 * c.counted


@given(rows=ROWS, seed=st.integers(0, 2**16), parts=st.integers(1, 4))
def test_order_and_split_never_change_counts(tmp_path_factory, rows, seed, parts):
    folder = tmp_path_factory.mktemp("s")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    r = load_round(folder / "round.yaml")
    (folder / "whole.csv").write_text(_csv(rows), encoding="utf-8")
    whole = read_ballots(r, [folder / "whole.csv"])
    shuffled = [rows[i] for i in np.random.default_rng(seed).permutation(len(rows))]
    paths = []
    for k in range(parts):
        path = folder / f"part{k}.csv"
        path.write_text(_csv(shuffled[k::parts]), encoding="utf-8")
        paths.append(path)
    split = read_ballots(r, paths)
    assert split.counts.tolist() == whole.counts.tolist()
    assert split.rejected_by_reason == whole.rejected_by_reason
    assert (split.read, split.counted) == (whole.read, whole.counted)


# --- quotas, issued, the check command --------------------------------------------------------


def test_quota_missed_is_a_warning_and_an_error_under_strict(write):
    path = write("round.yaml", ROUND + "quotas:\n  - {strata: [群众], min_share: 0.75, label: 群众75%}\n")
    ballots = write("b.csv", SHEETS)
    runner = CliRunner()
    loose = runner.invoke(cli, ["check", str(path), str(ballots), "--format", "json"])
    assert loose.exit_code == 0
    quota = json.loads(loose.stdout)["ballots"]["quotas"][0]
    assert (quota["count"], quota["share"], quota["met"]) == (2, "50.00%", False)
    strict = runner.invoke(cli, ["check", str(path), str(ballots), "--strict"])
    assert strict.exit_code == 1
    assert "warning: quota missed: 群众75% (50.00%, 2 sheets; required ≥ 75%)" in strict.stderr


def test_a_missed_quota_never_reads_as_met(write):
    """Defect: 5999 of 9999 sheets against a 60 % minimum read "(60.00%, …; required ≥ 60%)",
    and a 60.5 % line read "≥ 61%". The line is shown exactly and the share on its side."""
    path = write(
        "round.yaml",
        ROUND + "quotas:\n  - {strata: [群众], min_share: 0.6, label: q60}\n"
        "  - {strata: [企业], max_share: 0.4, label: q40}\n  - {strata: [群众], min_share: 0.605}\n",
    )
    rows = [f"{i},{'群众' if i < 5999 else '企业'},A,B,C" for i in range(9999)]
    ballots = write("b.csv", "sheet,stratum,a,b,c\n" + "\n".join(rows) + "\n")
    result = CliRunner().invoke(cli, ["check", str(path), str(ballots), "--format", "json"])
    quotas = json.loads(result.stdout)["ballots"]["quotas"]
    assert [(q["share"], q["required"], q["met"]) for q in quotas] == [
        ("59.995%", "≥ 60%", False),  # 5999/9999 = 59.99599…%: one decimal more, rounded down
        ("40.005%", "≤ 40%", False),  # 4000/9999 = 40.00400…%: one decimal more, rounded up
        ("60.00%", "≥ 60.5%", False),  # 60.00 is below 60.5 as it stands
    ]


def test_more_counted_than_issued_voids_the_round(write):
    path = write("round.yaml", ROUND.replace("name: 企业代表}", "name: 企业代表, issued: 1}"))
    result = CliRunner().invoke(cli, ["check", str(path), str(write("b.csv", SHEETS))])
    assert result.exit_code == 1
    assert "error: stratum 企业: 2 sheets counted but only 1 issued: the round is void" in result.stderr


def test_check_json_equals_the_library_summary(round_, write):
    ballots = write("b.csv", SHEETS)
    result = CliRunner().invoke(
        cli,
        ["check", str(round_.base_dir / "round.yaml"), str(ballots), "--format", "json"],
        catch_exceptions=False,
    )
    assert json.loads(result.output)["ballots"] == ballot_summary(read_ballots(round_, [ballots]))


def test_check_writes_rejects_file(round_, write, tmp_path):
    out = tmp_path / "rejects.csv"
    CliRunner().invoke(
        cli,
        ["check", str(round_.base_dir / "round.yaml"), str(write("b.csv", SHEETS)), "--rejects", str(out)],
        catch_exceptions=False,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,sheet,reason,detail"
    assert lines[1].endswith(",6,5,all_blank,all 3 rated units blank")


def test_simulate_is_deterministic_and_accounts_for_every_sheet(tmp_path):
    from .conftest import EXAMPLES

    r = load_round(EXAMPLES / "yixing" / "round.yaml")
    runner = CliRunner()
    for name in ("one.csv", "two.csv"):
        runner.invoke(
            cli,
            [
                "simulate",
                str(EXAMPLES / "yixing" / "round.yaml"),
                "--sheets",
                "500",
                "--seed",
                "7",
                "--conflicts",
                "2",
                "-o",
                str(tmp_path / name),
            ],
            catch_exceptions=False,
        )
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    c = read_ballots(r, [tmp_path / "one.csv"])
    assert c.read == 500 + 2 + 2  # 0.5 % re-scans and two conflicting re-uses
    assert c.rejected_by_reason["duplicate"] == 2
    assert c.rejected_by_reason["conflicting_duplicate"] == 4
    assert c.read == c.counted + c.rejected


def test_shipped_yixing_ballots_are_what_simulate_makes(tmp_path):
    from .conftest import EXAMPLES

    CliRunner().invoke(
        cli,
        [
            "simulate",
            str(EXAMPLES / "yixing" / "round.yaml"),
            "--sheets",
            "1200",
            "--seed",
            "2007",
            "-o",
            str(tmp_path / "b.csv"),
        ],
        catch_exceptions=False,
    )
    assert (tmp_path / "b.csv").read_bytes() == (EXAMPLES / "yixing" / "ballots.csv").read_bytes()


def test_long_layout_lines_stay_exact_past_empty_lines(write):
    r = load_round(write("round.yaml", ROUND + "ballots: {layout: long}\n"))
    text = _as_long(SHEETS).replace("2,企业,a,A", "\n2,企业,a,A", 1)
    c = read_ballots(r, [write("l.csv", text)])
    assert (c.read, c.counted) == (5, 4)
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(15, "5", "all_blank")]
    assert c.files[0].empty_lines == 1


def test_a_stray_quote_in_a_long_layout_file_is_the_runaway_quote_error(write):
    """Defect: a quote opened by mistake in a long-layout file swallowed the 89,989 rows
    after it into one malformed row, and the round was counted from 10 rows. As in the
    wide layout, it is the runaway quote error on the quote's line."""
    r = load_round(write("round.yaml", ROUND + "ballots: {layout: long}\n"))
    rows = [f"{i},企业,a,A" for i in range(90_000)]  # 1.4 MB
    rows[10] = '"10,企业,a,A'
    path = write("l.csv", "sheet,stratum,unit,mark\n" + "\n".join(rows) + "\n")
    with pytest.raises(PingyiError) as info:
        read_ballots(r, [path])
    assert info.value.problems[0].as_tuple() == (str(path), 12, "", "runaway_quote")
    assert "runs over 89990 lines" in info.value.problems[0].message


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_a_row_longer_than_a_read_block_without_quotes_is_row_too_long(write, layout):
    """Defect: a 5 MB row in a file with no quote at all was called a runaway quote."""
    r = load_round(write("round.yaml", ROUND + f"ballots: {{layout: {layout}}}\n"))
    body = SHEETS if layout == "wide" else _as_long(SHEETS)
    lines = body.splitlines()
    lines[3] += "X" * (5 << 20)
    path = write("b.csv", "\n".join(lines) + "\n")
    with pytest.raises(PingyiError) as info:
        read_ballots(r, [path])
    problem = info.value.problems[0]
    assert problem.as_tuple()[::3] == (str(path), "row_too_long")
    assert "longer than a read block" in problem.message and '"' not in problem.message
    if layout == "wide":
        assert problem.line == 4


def test_an_xlsx_row_with_a_value_past_the_header_is_a_malformed_row(round_, write, tmp_path):
    """Defect: an XLSX row shifted right by one cell was counted, the value past the header
    dropped and every mark on the wrong unit; the same CSV row is a malformed row."""
    from openpyxl import Workbook

    book = Workbook()
    for row in [["sheet", "stratum", "a", "b", "c", None], ["1", "企业", "A", "B", "C", None]]:
        book.active.append(row)
    book.active.append(["2", "企业", None, "C", "C", "C"])  # shifted: meant a, b, c = C
    book.active.append(["3", "群众", "A", "A", "A", "", "  "])  # empty cells past the header are fine
    book.save(tmp_path / "x.xlsx")
    c = read_ballots(round_, [tmp_path / "x.xlsx"])
    assert (c.read, c.counted) == (3, 2)
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(3, "2", "malformed_row")]
    assert counts_of(c, 2) == [[0, 0, 1, 0, 0], [1, 0, 0, 0, 0]]
    text = "sheet,stratum,a,b,c\n1,企业,A,B,C\n2,企业,,C,C,C\n3,群众,A,A,A\n"
    csv = read_ballots(round_, [write("x.csv", text)])
    assert csv.counts.tolist() == c.counts.tolist()
    assert [(j.line, j.reason) for j in csv.rejects] == [(3, "malformed_row")]


def test_a_long_xlsx_row_with_a_value_past_the_header_is_a_malformed_row(write, tmp_path):
    from openpyxl import Workbook

    r = load_round(write("round.yaml", ROUND + "ballots: {layout: long}\n"))
    book = Workbook()
    for row in [["sheet", "stratum", "unit", "mark"], ["1", "企业", "a", "A"], ["1", "企业", "b", "B", "x"]]:
        book.active.append(row)
    book.save(tmp_path / "l.xlsx")
    c = read_ballots(r, [tmp_path / "l.xlsx"])  # the row rejects its sheet (tests/test_long_split.py)
    assert (c.read, c.counted) == (1, 0)
    assert [(j.line, j.reason, j.detail) for j in c.rejects] == [
        (2, "malformed_row", "line 3: wrong number of fields: 1,企业,b,B,x")
    ]
    assert c.counts.sum() == 0


@pytest.mark.parametrize("junk", ["   \n", "\x0c\n", "\x1a", " , ,\t\n", "\u3000\n", '"\n', '\x1a"\r\n\x1a'])
def test_a_line_with_nothing_in_it_is_an_empty_line_not_a_sheet(round_, write, junk):
    """Defect: a line of spaces, a form feed or the DOS end-of-file byte Ctrl-Z (old Windows
    tools append it) was read as a sheet and rejected as malformed_row: read 6 for 5 sheets."""
    c = read_ballots(round_, [write("b.csv", SHEETS + junk)])
    assert (c.read, c.counted, c.rejected) == (5, 4, 1)
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(6, "5", "all_blank")]
    assert c.files[0].empty_lines == (0 if junk == "\x1a" else 1)  # a file's last Ctrl-Z is dropped
    # a lone quote, or junk with a quote after a Ctrl-Z (round 3, F5), was a phantom sheet
    if junk.endswith("\n") and '"' not in junk:  # and in the middle (a quote there is a runaway)
        c = read_ballots(round_, [write("b.csv", SHEETS.replace("2,企业", junk + "2,企业", 1))])
        assert (c.read, c.counted, c.files[0].empty_lines) == (5, 4, 1)
        assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(7, "5", "all_blank")]


def test_a_malformed_rows_detail_is_one_line(round_, write):
    """Defect: the detail repeated the row's text with its line breaks, so one reject took
    several lines of rejects.csv."""
    c = read_ballots(round_, [write("b.csv", SHEETS + '6,企业,"A\r\nB",B,C,C\n')])
    (malformed,) = [j for j in c.rejects if j.reason == "malformed_row"]
    assert malformed.detail == 'wrong number of fields: 6,企业,"A\\r\\nB",B,C,C'


def test_a_loop_of_links_or_a_name_too_long_is_a_located_error_from_the_library(round_, tmp_path):
    """Defect: read_ballots raised Python 3.11's RuntimeError for a loop of symbolic links
    (the command line had its own check; a library caller got the traceback)."""
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    long = tmp_path / ("x" * 300 + ".csv")
    with pytest.raises(PingyiError) as caught:
        read_ballots(round_, [tmp_path / "a.csv", long])
    assert [(p.file, p.code) for p in caught.value.problems] == [
        (str(tmp_path / "a.csv"), "os_error"),
        (str(long), "os_error"),
    ]


def test_tally_says_which_empty_lines_it_skipped_as_check_does(round_, write, tmp_path):
    """Defect: README says empty lines are skipped and reported; only check reported them."""
    ballots = write("b.csv", SHEETS.replace("2,企业", "\n  \n2,企业", 1))
    round_file = str(round_.base_dir / "round.yaml")
    runner = CliRunner()
    tally = runner.invoke(cli, ["tally", round_file, str(ballots), "-o", str(tmp_path / "out")])
    check = runner.invoke(cli, ["check", round_file, str(ballots)])
    note = f"note: {ballots}: 2 empty lines skipped"
    assert tally.exit_code == check.exit_code == 0
    assert note in tally.stderr.splitlines() and note in check.stderr.splitlines()
    quiet = runner.invoke(cli, ["tally", round_file, str(ballots), "-o", str(tmp_path / "q"), "-q"])
    assert quiet.exit_code == 0 and "note" not in quiet.stderr  # -q: no notes on stderr


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("cut", [False, True])
def test_a_dos_end_of_file_byte_glued_to_the_last_field_changes_nothing(write, monkeypatch, encoding, cut):
    """Defect: ``…,A,A,A\\x1a`` (Ctrl-Z right after the last field, no line break) made that
    last mark an unknown code, an invalid mark; on a line of its own it was an empty line."""
    from pingyi.ballots import ranges

    if cut:  # read in byte ranges: the last range ends the file
        monkeypatch.setattr(ranges, "RANGE_BYTES", 32)
    r = load_round(write("round.yaml", ROUND + f"ballots: {{encoding: {encoding}}}\n"))
    plain = read_ballots(
        r, [write("plain.csv", SHEETS.replace("5,群众,,,\n", "5,群众,A,A,C").encode(encoding))]
    )
    glued = read_ballots(
        r, [write("glued.csv", SHEETS.replace("5,群众,,,\n", "5,群众,A,A,C\x1a").encode(encoding))]
    )
    assert (glued.read, glued.counted) == (plain.read, plain.counted) == (5, 5)
    assert glued.counts.tolist() == plain.counts.tolist()
    assert counts_of(glued, 2)[1] == [1, 0, 1, 1, 0]  # sheet 5's C counted, not invalid
    long_round = load_round(write("long.yaml", ROUND + "ballots: {layout: long}\n"))
    long = read_ballots(long_round, [write("l.csv", _as_long(SHEETS).rstrip("\n") + "\x1a")])
    assert (
        long.counts.tolist() == read_ballots(long_round, [write("m.csv", _as_long(SHEETS))]).counts.tolist()
    )
    header_only = read_ballots(r, [write("plain.csv", b"sheet,stratum,a,b,c\x1a")])
    assert header_only.read == 0


def test_unnamed_columns_after_the_header_are_not_one_column_twice(round_, write, tmp_path):
    """Defect: two empty header cells (Excel saving a wider used range: ``…,c,,``, or a
    formatted cell right of an XLSX header) were "column '' appears twice"."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    csv = read_ballots(round_, [write("b.csv", "sheet,stratum,a,b,c,,\n1,企业,A,B,C,,\n2,群众,A,,C,,\n")])
    book = Workbook()
    for row in [
        ["sheet", "stratum", "a", "b", "c"],
        ["1", "企业", "A", "B", "C"],
        ["2", "群众", "A", None, "C"],
    ]:
        book.active.append(row)
    book.active.cell(row=1, column=8).fill = PatternFill("solid", fgColor="FFFF00")
    book.save(tmp_path / "x.xlsx")
    xlsx = read_ballots(round_, [tmp_path / "x.xlsx"])
    assert (csv.read, csv.counted) == (xlsx.read, xlsx.counted) == (2, 2)
    assert csv.counts.tolist() == xlsx.counts.tolist()


def test_a_long_layout_row_too_long_names_its_line(write):
    """Defect: the long layout (parsed whole, without row numbers) named no line for a row
    longer than its read block: ``error: FILE: … somewhere in the file``."""
    from pingyi.ballots import lines

    r = load_round(write("round.yaml", ROUND + "ballots: {layout: long}\n"))
    rows = "".join(f"{i},企业,a,A\n" for i in range(1000))
    path = write("l.csv", "sheet,stratum,unit,mark\n" + rows + "x,企业,a," + "A" * (3 << 20) + "\n")
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    assert caught.value.problems[0].as_tuple() == (str(path), 1002, "", "row_too_long")
    assert lines.first_line_longer(path, 1 << 20) == 1002
    assert lines.first_line_longer(write("s.csv", "a\nbb\r\nccc"), 2) == 3
    assert lines.first_line_longer(write("r.csv", "a\rbbb\rc"), 2) == 2  # lone CR line breaks
    assert lines.first_line_longer(write("t.csv", "a\nbb\n"), 2) is None


@pytest.mark.parametrize(
    "text",
    [
        'sheet,stratum,a,b,c\r\n1,企业,A,B,C\r\n2,企业,A,A,"A\r\n3,企业,B,B,B\r\n4,企业,C,C,C\r\n',
        'sheet,stratum,a,b,c\r\n1,企业,A,B,C\r\n2,企业,A,A,"A\r\n3,企业,B,B,B\r\n4,企业,C,C,"C"\r\n',
    ],
)
def test_a_quote_opening_the_last_field_is_a_runaway_quote(round_, write, text):
    """Defect: a stray quote opening a row's last field left the row with the right number
    of fields and swallowed the sheets after it into one invalid mark: read 2 of 4 sheets,
    nothing rejected, exit 0."""
    path = write("b.csv", text)
    with pytest.raises(PingyiError) as caught:
        read_ballots(round_, [path])
    assert caught.value.problems[0].as_tuple() == (str(path), 3, "", "runaway_quote")
    long_round = load_round(write("long.yaml", ROUND + "ballots: {layout: long}\n"))
    long = write(
        "l.csv", 'sheet,stratum,unit,mark\n1,企业,a,A\n1,企业,b,"B\n2,企业,a,C\n2,企业,b,C\n3,企业,a,A\n'
    )
    with pytest.raises(PingyiError) as caught:
        read_ballots(long_round, [long])
    assert caught.value.problems[0].as_tuple() == (str(long), 3, "", "runaway_quote")
    note = write("n.csv", 'sheet,stratum,a,b,c,备注\n1,企业,A,B,C,"see\nthe back, twice"\n2,企业,A,A,A,\n')
    assert read_ballots(round_, [note]).read == 2  # a note with a line break is not this


@pytest.mark.parametrize("tail", ["\x1a\r\n", "\r\n" + "\x1a" * 200, "\n\x1a\n\x1a\x1a"])
@pytest.mark.parametrize("cut", [False, True])
def test_a_dos_end_of_file_tail_is_never_text(round_, write, monkeypatch, tail, cut):
    """Defects of the first Ctrl-Z fix (only the last read block was stripped): Ctrl-Z
    then a line break left the last mark invalid; padding across a read block did too; a
    last byte range of only Ctrl-Z was 'Empty CSV file'; bad bytes on the last line were
    named one line too late. A file's text now ends before its DOS end-of-file tail."""
    from pingyi.ballots import ranges

    if cut:
        monkeypatch.setattr(ranges, "RANGE_BYTES", 16)
    body = SHEETS.replace("5,群众,,,\n", "5,群众,A,A,C")
    plain = read_ballots(round_, [write("plain.csv", body)])
    tailed = read_ballots(round_, [write("tailed.csv", body + tail)])
    assert (tailed.read, tailed.counted, tailed.counts.tolist()) == (5, 5, plain.counts.tolist())
    assert tailed.files[0].bytes_read == len((body + tail).encode("utf-8"))
    bad = write("bad.csv", body.encode("utf-8") + b"\xff" + tail.encode("utf-8"))
    with pytest.raises(PingyiError) as caught:
        read_ballots(round_, [bad])
    assert caught.value.problems[0].line == 6


@pytest.mark.parametrize("cut", [False, True])
@pytest.mark.parametrize("quote", ["", '"'])
def test_a_csv_row_shifted_into_the_unnamed_columns_past_the_header_is_malformed(
    round_, write, monkeypatch, cut, quote
):
    """Defect: a spreadsheet saved as CSV writes empty header cells for columns a row
    reaches past the header (``…,c,,``); a row shifted right by one cell then had the right
    number of fields and was counted with every mark on the wrong unit. As in a workbook,
    a value past the header's last name makes the row malformed."""
    from pingyi.ballots import ranges

    if cut:
        monkeypatch.setattr(ranges, "RANGE_BYTES", 24)
    text = (
        "sheet,stratum,a,b,c,,\n1,企业,A,B,C,,\n2,企业,,C,C,C,\n"
        f"3,群众,A,{quote}A{quote},A,, \n\n,,,,,,x\n4,群众,B,B,B,,\n"
    )
    c = read_ballots(round_, [write("b.csv", text)])
    assert (c.read, c.counted, c.files[0].empty_lines) == (5, 3, 1)
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [
        (3, "2", "malformed_row"),
        (6, "", "malformed_row"),
    ]
    assert c.rejects[0].detail == "a value past the header's last column: a row shifted by a cell?"
    assert counts_of(c, 0) == [[1, 0, 0, 0, 0], [1, 1, 0, 0, 0]]


@pytest.mark.parametrize("order", ["shifted first", "re-scan first"])
def test_a_shifted_row_is_no_copy_of_its_sheet(round_, write, order):
    """Defect (hostile round 3, F1): a row shifted past the header took part in the
    duplicate check. With its correct re-scan, both were conflicting_duplicate, or the
    re-scan a 'duplicate' of a sheet that was never counted; its stratum was read too.
    A malformed row is no copy: the re-scan counts, whatever the order."""
    rows = ["1,企业,A,B,C,,", "2,企业,,A,B,C,"] + (["2,企业,A,B,C,,"] if order == "shifted first" else [])
    if order == "re-scan first":
        rows.insert(1, "2,企业,A,B,C,,")
    c = read_ballots(round_, [write("b.csv", "sheet,stratum,a,b,c,,\n" + "\n".join(rows) + "\n")])
    assert (c.read, c.counted) == (3, 2)
    assert [j.reason for j in c.rejects] == ["malformed_row"]
    assert c.read_by_stratum.tolist() == [2, 0]
    assert counts_of(c, 0) == [[2, 0, 0, 0, 0], [0, 0, 0, 0, 0]]


def test_a_malformed_row_with_a_field_past_the_csv_modules_limit_is_still_a_reject(round_, write):
    """Defect (round 3, F2): reading a malformed row's sheet id with the csv module raised
    its 'field larger than field limit' (131,072) as a traceback."""
    text = SHEETS + '6,企业,A,"' + "x" * 200_000 + '"\n'
    c = read_ballots(round_, [write("b.csv", text)])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects][-1] == (7, "6", "malformed_row")


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_runaway_quotes_are_found_with_any_line_break_and_notes_are_not_them(write, newline):
    """Defects (round 3, F3, F4): with lone-CR line breaks a stray quote leaving a malformed
    row swallowed sheets silently (its text was split on \\n only); and a note whose lines
    hold as many commas as a row was refused as a runaway quote. A swallowed line is a row
    when it also names one of the round's strata where the stratum is."""
    r = load_round(write("round.yaml", ROUND))
    stray = newline.join(
        ["sheet,stratum,a,b,c", "1,企业,A,B,C", '2,企业,"A,B', "3,企业,B,B,B", "4,群众,C,C,C", ""]
    )
    path = write("s.csv", stray)
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    assert caught.value.problems[0].as_tuple() == (str(path), 3, "", "runaway_quote")
    noted = load_round(write("noted.yaml", ROUND.replace("  - {id: c, name: 丙, category: local}\n", "")))
    note = newline.join(
        [
            "sheet,stratum,a,b,备注",
            '1,企业,A,B,"意见：',
            '1.作风,2.效率,3.公开,4.服务,都要加强"',
            "2,群众,A,A,",
            "",
        ]
    )
    c = read_ballots(noted, [write("n.csv", note)])
    assert (c.read, c.counted) == (2, 2)


@pytest.mark.parametrize(
    ("layout", "text", "line"),
    [
        ("wide", 'sheet,stratum,a,b,c\n1,企业,A,B,C\n2,企业,A,"B,C\n3,企业,C,"C",A\n4,企业,A,A,A\n', 3),
        ("wide", 'sheet,stratum,a,b,c\n1,企业,A,B,C\n2,"企业,A,B,C\n3,"企业",C,C,A\n4,企业,A,A,A\n', 3),
        ("long", 'sheet,stratum,unit,mark\n1,企业,a,A\n"1,企业,c,A\n2",企业,a,B\n2,企业,b,B\n', 3),
    ],
)
def test_a_stray_quote_closed_by_a_quoted_cell_further_down_is_a_runaway_quote(write, layout, text, line):
    """Defect (hostile round 4, G1, G2): a stray quote closed by a quoted cell on the next
    line made one row of two with the right number of fields: a sheet lost and another
    counted with its neighbour's marks, or a phantom sheet, exit 0. A cell the round reads
    that runs across lines and holds the delimiter is a runaway quote."""
    r = load_round(write("round.yaml", ROUND + f"ballots: {{layout: {layout}}}\n"))
    path = write("b.csv", text)
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    assert caught.value.problems[0].as_tuple() == (str(path), line, "", "runaway_quote")


def test_a_quoted_multi_mark_beside_a_note_with_a_line_break_is_read(write):
    """Defect (hostile round 5, H1): a multi-mark written ``"A,C"`` in a row whose note had
    a line break was taken for a runaway quote, refusing a good file: only a cell that
    itself runs across lines can hold a swallowed row."""
    r = load_round(write("round.yaml", ROUND))
    text = 'sheet,stratum,a,b,c,备注\r\n1,企业,A,B,C,\r\n2,企业,"A,C",B,C,"办事慢\r\n态度差"\r\n'
    text += "3,群众,A,A,A,\r\n"
    c = read_ballots(r, [write("b.csv", text)])
    assert (c.read, c.counted) == (3, 3)
    assert counts_of(c, 0)[0] == [1, 0, 0, 0, 1]  # sheet 2's "A,C" is an invalid mark


def test_a_malformed_rows_sheet_id_is_taken_from_the_sheet_column(write, tmp_path):
    """Defect (round 5, H4): a malformed wide row was named by its first field, not the
    sheet-id column (a 序号 column first, or the id last)."""
    r = load_round(write("round.yaml", ROUND))
    text = "序号,stratum,a,b,c,sheet\n1,企业,A,B,C,S1\n2,企业,A,B,C,S2,x\n"
    c = read_ballots(r, [write("b.csv", text)])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(3, "S2", "malformed_row")]
    from openpyxl import Workbook

    book = Workbook()
    for row in [["stratum", "a", "b", "c", "sheet"], ["企业", "A", "A", "A", "0002", "x"]]:
        book.active.append(row)
    book.save(tmp_path / "x.xlsx")
    assert [j.sheet for j in read_ballots(r, [tmp_path / "x.xlsx"]).rejects] == ["0002"]


def test_an_xlsx_sheet_id_shown_with_leading_zeros_is_that_text(write, tmp_path):
    """Defect (hostile round 5, H2): an id typed as the number 1 in a cell formatted
    ``0000`` (Excel shows 0001, and a CSV saved from the workbook says 0001) was read as
    ``1``: the workbook and its CSV in one run counted every sheet twice. Only the sheet-id
    column is read as shown: a mark typed 1 in a ``00`` cell is still the mark 1."""
    from openpyxl import Workbook

    r = load_round(write("round.yaml", ROUND + 'ballots: {marks: {"1": A, "2": B, "3": C}}\n'))
    book = Workbook()
    sheet = book.active
    for row in [["sheet", "stratum", "a", "b", "c"], [1, "企业", 1, 2, 3], [12, "群众", 2, 2, 2]]:
        sheet.append(row)
    for cell in ("A2", "A3"):
        sheet[cell].number_format = "0000"
    sheet["C2"].number_format = "00"
    book.save(tmp_path / "w.xlsx")
    csv = write("w.csv", "sheet,stratum,a,b,c\n0001,企业,1,2,3\n0012,群众,2,2,2\n")
    both = read_ballots(r, [tmp_path / "w.xlsx", csv])
    assert (both.read, both.counted, [j.reason for j in both.rejects]) == (4, 2, ["duplicate", "duplicate"])
    alone = read_ballots(r, [tmp_path / "w.xlsx"])
    assert counts_of(alone, 0) == [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]]
