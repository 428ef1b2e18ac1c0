"""Online exports (issue 13, SPEC "Online questionnaires"): 问卷星 text and numeric
exports in CSV and XLSX, counted exactly, with ip_limit, too_fast and unknown_answer
rejected like every other reason.

The seven sheets of ``tests/wjx.SHEETS``, worked by hand (2:1:0 scheme, invalid marks
over 50 % void a sheet, all blank voids it):

- 1 (企业, 65秒): 满意 满意 基本满意 → counts;
- 2 (人大, 1分5秒 = 65 s): 满意 基本满意 不满意 → counts;
- 3 (29秒): too_fast; 4 (其他): unknown_answer;
- 5: 很满意 (not an option) and 满意┋不满意 (a multi-select) are invalid marks, 2 of 3:
  too_many_invalid;
- 6 (人大): skipped, 不满意, invalid → counts (1 of 3 invalid);
- 7: all three skipped (跳过 is a blank) → all_blank.

So per unit (deputies | enterprise, as A B C blank invalid): 市委办公室 A1 blank1 | A1;
组织部 B1 C1 | A1; 宣传部 C1 invalid1 | B1.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.ballots.count import read_ballots
from pingyi.ballots.online import seconds_taken, submit_time
from pingyi.ballots.online_header import row_title
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .wjx import ROUND, SHEETS, Sheet, write_export

EXPECTED = np.array(
    [
        [[1, 0, 0, 1, 0], [1, 0, 0, 0, 0]],
        [[0, 1, 1, 0, 0], [1, 0, 0, 0, 0]],
        [[0, 0, 1, 0, 1], [0, 1, 0, 0, 0]],
    ]
)
EXPECTED_REJECTS = [
    (4, "wjx:3", "too_fast"),
    (5, "wjx:4", "unknown_answer"),
    (6, "wjx:5", "too_many_invalid"),
    (8, "wjx:7", "all_blank"),
]


@pytest.fixture
def wjx_round(write):
    return load_round(write("round.yaml", ROUND))


@pytest.mark.parametrize("name", ["text.csv", "text.xlsx", "numeric.csv", "numeric.xlsx"])
def test_both_forms_in_csv_and_xlsx_count_exactly(tmp_path, wjx_round, name):
    path = write_export(tmp_path / name, SHEETS, numeric=name.startswith("numeric"))
    c = read_ballots(wjx_round, [path])
    assert c.counts.tolist() == EXPECTED.tolist()
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == EXPECTED_REJECTS
    assert (c.read, c.counted, c.rejected) == (7, 3, 4)
    assert c.sheets_by_stratum.tolist() == [2, 1]


def test_a_reject_says_why_in_words(tmp_path, wjx_round):
    c = read_ballots(wjx_round, [write_export(tmp_path / "e.csv", SHEETS)])
    details = {j.reason: j.detail for j in c.rejects}
    assert details["too_fast"] == "answered in 29秒 (29 s), under online.min_seconds 30 s"
    assert details["unknown_answer"] == (
        "answer '其他' to 1、您的身份是 names no stratum (ballots.strata_answers maps: "
        "人大代表政协委员, 企业负责人, 1, 2)"
    )


@pytest.mark.parametrize(
    "text,seconds",
    [("10秒", 10), ("1分5秒", 65), ("2分", 120), ("1小时2分3秒", 3723), ("65", 65), ("00:01:05", 65)],
)
def test_time_taken_reads_as_exports_write_it(text, seconds):
    assert seconds_taken(text) == seconds


def test_submit_time_reads_text_and_date_cells():
    assert submit_time("2024/5/6 10:01:02") == submit_time("2024-05-06 10:01:02") == (2024, 5, 6, 10, 1, 2)
    assert submit_time("yesterday") is None


@pytest.mark.parametrize(
    "header,title",
    [
        ("2、请评价(市委办公室)", "市委办公室"),
        ("第2题(市委办公室) ", "市委办公室"),
        ("第3题（人民银行（宜兴支行））", "人民银行（宜兴支行）"),
        ("2、请评价以下单位（单选）(组织部)", "组织部"),
        ("3、您的意见和建议", None),
        ("(组织部)", None),
    ],
)
def test_row_title_is_the_last_bracketed_text(header, title):
    assert row_title(header) == title


# --- one IP, many sheets ------------------------------------------------------------------

IP = "9.9.9.9(浙江-宁波)"
ONE_IP = [  # submit order: 11 (10:00:11), 8 (10:01:08), 9 (10:02:09), 10 (10:02:10), 12 (10:03)
    Sheet(8, 1, "60秒", IP, "d", "AAA"),
    Sheet(10, 2, "60秒", IP, "d", "BBB"),
    Sheet(9, 2, "60秒", IP, "d", "AAA"),
    Sheet(11, 0, "60秒", IP, "e", "AAA"),
    Sheet(12, 3, "60秒", "9.9.9.9(上海)", "e", "CCC"),  # the same address, another region
]


def test_an_ip_keeps_its_first_sheets_in_submit_order(tmp_path, wjx_round):
    c = read_ballots(wjx_round, [write_export(tmp_path / "ip.csv", ONE_IP)])
    assert sorted((j.sheet, j.reason, j.detail) for j in c.rejects) == [
        (
            "wjx:10",
            "ip_limit",
            "sheet 4 from IP 9.9.9.9 in submit order; online.max_per_ip counts the first 3",
        ),
        (
            "wjx:12",
            "ip_limit",
            "sheet 5 from IP 9.9.9.9 in submit order; online.max_per_ip counts the first 3",
        ),
    ]
    # counted: 8, 9 (deputies, all A) and 11 (enterprise, all A)
    assert c.counts[:, :, 0].tolist() == [[2, 1], [2, 1], [2, 1]]


def test_a_tie_in_submit_time_goes_to_the_lower_number(tmp_path):
    """Sheets 10 and 9, in this file order, submitted in one second: 9 comes first (as a
    number; as text, "10" would)."""
    path = write_export(
        tmp_path / "tie.csv", [Sheet(10, 2, "60秒", IP, "d", "AAA"), Sheet(9, 2, "60秒", IP, "d", "AAA")]
    )
    path.write_text(path.read_text(encoding="utf-8").replace("10:02:10", "10:02:09"), encoding="utf-8")
    r = load_round(_round_with(tmp_path, "max_per_ip: 3", "max_per_ip: 1"))
    c = read_ballots(r, [path])
    assert [(j.sheet, j.reason) for j in c.rejects] == [("wjx:10", "ip_limit")]


def _round_with(tmp_path, old, new):
    path = tmp_path / "round-changed.yaml"
    assert old in ROUND
    path.write_text(ROUND.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("split", [([0, 1], [2, 3, 4]), ([3, 4], [0, 1, 2]), ([4], [3, 2, 1, 0])])
@pytest.mark.parametrize("names", [("a.csv", "b.xlsx"), ("b.csv", "a.xlsx")])
def test_the_ip_limit_does_not_depend_on_files_or_their_order(tmp_path, wjx_round, split, names):
    first, second = ([ONE_IP[i] for i in part] for part in split)
    paths = [write_export(tmp_path / names[0], first), write_export(tmp_path / names[1], second)]
    c = read_ballots(wjx_round, paths)
    assert sorted((j.sheet, j.reason) for j in c.rejects) == [("wjx:10", "ip_limit"), ("wjx:12", "ip_limit")]
    assert c.counts[:, :, 0].tolist() == [[2, 1], [2, 1], [2, 1]]


def test_an_export_given_twice_counts_once_and_its_limit_is_one_sheet_each(tmp_path, wjx_round):
    one = read_ballots(wjx_round, [write_export(tmp_path / "a.csv", ONE_IP)])
    twice = read_ballots(
        wjx_round, [tmp_path / "a.csv", write_export(tmp_path / "b.xlsx", ONE_IP, numeric=True)]
    )
    assert twice.counts.tolist() == one.counts.tolist()
    assert twice.rejected_by_reason == {"ip_limit": 2, "duplicate": 5}
    assert twice.read == twice.counted + twice.rejected == 10


# --- header problems ----------------------------------------------------------------------


def test_a_unit_in_two_headers_is_an_error_naming_both(tmp_path, wjx_round):
    path = write_export(tmp_path / "e.csv", SHEETS[:1], extra=("4、工作作风(组织部)",))
    with pytest.raises(PingyiError) as error:
        read_ballots(wjx_round, [path])
    assert [(p.file, p.line, p.field, p.code) for p in error.value.problems] == [
        (str(path), 1, "2、请评价以下单位的工作(组织部)", "ambiguous_column")
    ]
    assert error.value.problems[0].message == (
        "unit zzb (组织部) is the row title of columns '2、请评价以下单位的工作(组织部)' and "
        "'4、工作作风(组织部)': map it to one of them in ballots.columns"
    )


def test_ballots_columns_picks_one_of_two_headers(tmp_path, write):
    text = ROUND.replace("  units_by: name\n", '  units_by: name\n  columns: {zzb: "4、工作作风(组织部)"}\n')
    r = load_round(write("round.yaml", text))
    path = write_export(tmp_path / "e.csv", SHEETS[:1], extra=("4、工作作风(组织部)",))
    c = read_ballots(r, [path])  # the extra column is empty: 组织部 is blank on sheet 1
    assert c.counts[1, 1].tolist() == [0, 0, 0, 1, 0]
    assert c.files[0].notes.online is not None
    assert c.files[0].notes.online.mapping["ignored"] == [
        "来源",
        "来源详情",
        "2、请评价以下单位的工作(组织部)",
        "3、您的意见和建议",
    ]


def test_a_unit_without_a_column_is_an_error(tmp_path, write):
    r = load_round(write("round.yaml", ROUND.replace("units_by: name", "units_by: id")))
    with pytest.raises(PingyiError) as error:
        read_ballots(r, [write_export(tmp_path / "e.csv", SHEETS[:1])])
    assert [(p.line, p.code) for p in error.value.problems] == [(1, "missing_column")]
    assert error.value.problems[0].message.startswith(
        "no column for unit(s) swbgs (市委办公室), zzb (组织部), xcb (宣传部): no header's bracketed row "
        "title is the unit's id"
    )


@pytest.mark.parametrize("extra", [("zzb",), ("市委办公室",), ("sheet", "stratum")])
def test_an_export_with_paper_style_columns_is_refused(tmp_path, wjx_round, extra):
    path = write_export(tmp_path / "e.xlsx", SHEETS[:2], extra=extra)
    with pytest.raises(PingyiError) as error:
        read_ballots(wjx_round, [path])
    assert [(p.line, p.field, p.code) for p in error.value.problems] == [(1, extra[0], "mixed_layout")]
    assert f"paper-style column(s) {', '.join(extra)}" in error.value.problems[0].message


def test_a_missing_stratum_question_suggests_the_one_with_its_number(tmp_path, write):
    r = load_round(write("round.yaml", ROUND.replace('stratum: "1、您的身份是"', 'stratum: "1、身份"')))
    with pytest.raises(PingyiError) as error:
        read_ballots(r, [write_export(tmp_path / "e.csv", SHEETS[:1])])
    (problem,) = error.value.problems
    assert (problem.line, problem.field, problem.code) == (1, "1、身份", "missing_column")
    assert "did you mean '1、您的身份是'?" in problem.message


def test_a_time_taken_that_is_not_a_time_is_a_located_error(tmp_path, wjx_round):
    path = write_export(tmp_path / "e.csv", [Sheet(1, 0, "很快", "1.1.1.1", "d", "AAA")])
    with pytest.raises(PingyiError) as error:
        read_ballots(wjx_round, [path])
    assert [(p.line, p.field, p.code) for p in error.value.problems] == [(2, "所用时间", "bad_duration")]


def test_a_row_with_a_wrong_field_count_is_a_malformed_sheet(tmp_path, wjx_round):
    path = write_export(tmp_path / "e.csv", SHEETS[:2])
    path.write_text(path.read_text(encoding="utf-8") + "3,2024/5/6 10:00:03,60秒\r\n", encoding="utf-8")
    c = read_ballots(wjx_round, [path])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(4, "wjx:3", "malformed_row")]
    assert c.read == c.counted + c.rejected == 3


# --- paper and online together ------------------------------------------------------------

PAPER = "sheet,stratum,swbgs,zzb,xcb\n1,deputies,A,A,A\n2,enterprise,B,,C\n3,enterprise,,,\n"


def test_paper_and_online_files_count_together_and_keep_their_channel(tmp_path, wjx_round, write):
    from pingyi.ballots.channels import by_channel

    paper = write("paper.csv", PAPER)
    online = write_export(tmp_path / "online.xlsx", SHEETS)
    c = read_ballots(wjx_round, [paper, online])
    paper_counts = np.zeros_like(EXPECTED)
    paper_counts[:, 0, 0] = 1  # sheet 1: deputies, A A A
    paper_counts[0, 1, 1] = paper_counts[1, 1, 3] = paper_counts[2, 1, 2] = 1  # sheet 2: B, blank, C
    assert c.counts.tolist() == (EXPECTED + paper_counts).tolist()
    assert [(j.file, j.sheet, j.reason) for j in c.rejects][-1] == (str(paper), "3", "all_blank")
    assert by_channel(c) == {
        "paper": {
            "read": 3,
            "counted": 2,
            "rejected": 1,
            "counted_by_stratum": {"deputies": 1, "enterprise": 1},
        },
        "wjx": {
            "read": 7,
            "counted": 3,
            "rejected": 4,
            "counted_by_stratum": {"deputies": 2, "enterprise": 1},
        },
    }
    assert [f.channel for f in c.files] == ["wjx", "paper"]


def test_a_file_that_is_neither_an_export_nor_a_paper_file_is_an_error(wjx_round, write):
    with pytest.raises(PingyiError) as error:
        read_ballots(wjx_round, [write("odd.csv", "编号,层面,swbgs\n1,deputies,A\n")])
    (problem,) = error.value.problems
    assert (problem.line, problem.code) == (1, "missing_column")
    assert problem.message.startswith(
        "is neither a 问卷星 export (no 序号, 提交答卷时间 columns) nor a paper file (no sheet, stratum "
        "columns; ballots.paper names them)"
    )


def test_paper_files_of_an_online_round_use_ballots_paper(tmp_path, write):
    text = ROUND + "  paper: {sheet_id: 编号, stratum: 层面, marks: {'1': A, '2': B, '3': C}}\n"
    r = load_round(write("round.yaml", text))
    c = read_ballots(r, [write("paper.csv", "编号,层面,swbgs,zzb,xcb\n1,deputies,1,2,3\n")])
    assert c.counts[:, 0, :3].tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def test_a_round_without_online_sources_has_no_channels(write):
    from pingyi.ballots.channels import by_channel

    paper_round = ROUND.split("ballots:")[0]
    r = load_round(write("round.yaml", paper_round))
    assert by_channel(read_ballots(r, [write("p.csv", PAPER)])) is None


# --- properties ---------------------------------------------------------------------------

ALL_SHEETS = SHEETS + ONE_IP


def _outcome(r, paths):
    c = read_ballots(r, paths)
    assert c.read == c.counted + c.rejected == len(ALL_SHEETS)
    return c.counts.tolist(), sorted((j.sheet, j.reason) for j in c.rejects)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(ALL_SHEETS))), cut=st.integers(0, len(ALL_SHEETS)))
def test_counts_and_rejects_do_not_depend_on_sheet_order_or_split(wjx_round, order, cut):
    with tempfile.TemporaryDirectory() as folder:
        whole = _outcome(wjx_round, [write_export(Path(folder) / "all.csv", ALL_SHEETS)])
        sheets = [ALL_SHEETS[i] for i in order]
        first = write_export(Path(folder) / "z.csv", sheets[:cut])
        second = write_export(Path(folder) / "a.csv", sheets[cut:], numeric=True)
        assert _outcome(wjx_round, [first, second]) == whole


FORMS = "forms:\n  t1: [swbgs, zzb, xcb]\n  t2: [swbgs]\n"
FORMS_HEADER = "序号,提交答卷时间,所用时间,来自IP,1、您的身份是"


@pytest.mark.parametrize(
    "units,rows,form_counts",
    [
        ("2、评价(市委办公室),2、评价(组织部),2、评价(宣传部)", "满意,满意,不满意", [1, 0]),
        ("2、评价(市委办公室)", "基本满意", [0, 1]),
    ],
)
def test_with_forms_an_export_is_the_form_its_units_make_up(write, units, rows, form_counts):
    r = load_round(write("round.yaml", ROUND.replace("ballots:", FORMS + "ballots:")))
    export = f"{FORMS_HEADER},{units}\n1,2024/5/6 10:00:01,65秒,1.1.1.1,企业负责人,{rows}\n"
    c = read_ballots(r, [write("e.csv", export)])
    assert c.sheets_by_form.tolist() == form_counts and c.rejects == []


def test_with_forms_an_export_that_is_no_form_is_an_error(write):
    r = load_round(write("round.yaml", ROUND.replace("ballots:", FORMS + "ballots:")))
    export = f"{FORMS_HEADER},2、评价(市委办公室),2、评价(组织部)\n"
    export += "1,2024/5/6 10:00:01,65秒,1.1.1.1,企业负责人,满意,满意\n"
    with pytest.raises(PingyiError) as error:
        read_ballots(r, [write("e.csv", export)])
    assert [(p.line, p.code, p.message) for p in error.value.problems] == [
        (
            1,
            "missing_column",
            "the export's 2 unit columns are not the units of one form "
            "(t1: lacks xcb, has none too; t2: lacks none, has zzb too)",
        )
    ]


@pytest.mark.parametrize(
    "twice,error",
    [("3、您的意见和建议", False), ("2、请评价以下单位的工作(宣传部)", True), ("来自IP", True)],
)
def test_a_header_twice_is_an_error_only_where_it_is_read(tmp_path, wjx_round, twice, error):
    path = write_export(tmp_path / "e.csv", SHEETS, extra=(twice,))
    if not error:
        assert read_ballots(wjx_round, [path]).counts.tolist() == EXPECTED.tolist()
        return
    with pytest.raises(PingyiError) as raised:
        read_ballots(wjx_round, [path])
    assert [(p.line, p.field, p.code) for p in raised.value.problems] == [(1, twice, "duplicate_column")]


def test_an_export_needs_only_the_metadata_the_round_checks(tmp_path, write):
    """An export without 所用时间 and 来自IP (a user may leave them out) is read when the
    round checks neither; it needs them only for min_seconds and max_per_ip."""
    path = write_export(tmp_path / "e.csv", SHEETS)
    lines = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("".join(",".join(c[:2] + c[3:5] + c[6:]) + "\n" for c in lines), encoding="utf-8")
    plain = load_round(write("round.yaml", ROUND.split("  online:")[0]))
    c = read_ballots(plain, [path])
    assert c.rejected_by_reason == {"unknown_answer": 1, "all_blank": 1, "too_many_invalid": 1}
    with pytest.raises(PingyiError) as error:
        read_ballots(load_round(write("checked.yaml", ROUND)), [path])
    assert [(p.field, p.code) for p in error.value.problems] == [("所用时间", "missing_column")]
    assert error.value.problems[0].message.startswith("missing column(s) 所用时间, 来自IP of a 问卷星 export")
