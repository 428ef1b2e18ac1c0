"""Hostile tests of the rewritten counting core (issue 15): byte ranges read without quote
handling until one meets a quote, marks decoded through a byte table and 7-byte keys, one
bincount per unit column, the conflict pass reading only the ranges of first copies.

The oracle is the sequential read (``ranges.RANGE_BYTES`` past any file): cut reading
must give the same counts, rejects, notes and errors for any input.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.ballots import csv_wide, idtexts, ranges
from pingyi.ballots.count import read_ballots
from pingyi.ballots.marks import mark_codes
from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_parallel_read import ROUND  # the two-unit, two-stratum round of the range tests

ALIASES = """\
ballots:
  marks: {"1": A, "√": B, "好的": A, "非常满意的": A, "满意A": C}
  blank_codes: [未填, "-", NOTSEEN]
  invalid_codes: [X, ">"]
"""


def _outcome(r, paths):
    """Everything a count says, or the error's located problems."""
    try:
        c = read_ballots(r, paths)
    except PingyiError as error:
        return [p.as_tuple() for p in error.problems]
    files = [(f.empty_lines, f.malformed, f.unused_columns, f.encoding) for f in c.files]
    strata = (c.sheets_by_stratum.tolist(), c.read_by_stratum.tolist(), c.sheets_by_form.tolist())
    return c.counts.tolist(), c.read, strata, c.rejects, files


def _both(r, paths, monkeypatch, range_bytes=64, head_scan=20, spill=None):
    """The sequential outcome and the outcome read in ranges of ``range_bytes``."""
    monkeypatch.setattr(ranges, "RANGE_BYTES", 1 << 40)
    sequential = _outcome(r, paths)
    monkeypatch.setattr(ranges, "RANGE_BYTES", range_bytes)
    monkeypatch.setattr(csv_wide, "HEAD_SCAN", head_scan)
    if spill is not None:
        monkeypatch.setattr(idtexts, "SPILL_BYTES", spill)
    return sequential, _outcome(r, paths)


def _rows(n: int) -> list[str]:
    return [f"S{i},s{1 + i % 2},{'ABC'[i % 3]},{'CBA'[i % 3]}" for i in range(n)]


def _file(path: Path, rows: list[str], newline: str = "\n", header: str = "sheet,stratum,u,v") -> Path:
    path.write_bytes((newline.join([header, *rows]) + newline).encode("utf-8"))
    return path


# --- quotes late in a cut file ------------------------------------------------------------


LATE = {
    "quoted id": '"S50",s1,A,B',
    "quoted stratum": 'S50,"s2",A,B',
    "quoted mark": 'S50,s1," A ",B',
    "doubled quote": 'S50,s1,"A""B",B',
    "stray quote mid-cell": 'S50,s1,A"B,B',
    "line break in id": '"S50\nnote",s1,A,B',
    "crlf in mark": 'S50,s1,"A\r\nB",B',
    "lone cr in mark": 'S50,s1,"\rA",B',
    "quoted conflicting id": '"S3",s1,C,C',
    "quoted identical rescan": '"S3",s2,A,C',
}


@pytest.mark.parametrize("name", list(LATE))
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_quote_late_in_a_cut_file_reads_as_the_sequential_read(name, newline, tmp_path, monkeypatch):
    rows = _rows(70)
    rows[5] = "S5,s1,A"  # malformed, in a range before the quote
    rows[20] = ""  # an empty line before it
    rows[50] = LATE[name]
    rows[53] = "S53,s2"  # malformed, in the quoted tail
    rows[60] = "S4,s1,C,C"  # conflicts with S4 of line 6, in a range read without quotes
    rows[66] = ",,,"  # nothing in it: an empty line
    path = _file(tmp_path / "b.csv", rows, newline)
    r = load_round(_file(tmp_path / "round.yaml", [], header=ROUND.rstrip("\n")))
    sequential, cut = _both(r, [path], monkeypatch)
    assert cut == sequential
    rejects = [(j.line, j.sheet, j.reason) for j in sequential[3]]  # type: ignore[index]
    assert (7, "S5", "malformed_row") in rejects and (6, "S4", "conflicting_duplicate") in rejects
    extra = LATE[name].count("\n") + LATE[name].count("\r") - LATE[name].count("\r\n")
    assert (55 + extra, "S53", "malformed_row") in rejects
    assert (62 + extra, "S4", "conflicting_duplicate") in rejects


def test_a_stray_quote_late_in_a_cut_file_is_the_same_runaway_quote_error(tmp_path, monkeypatch):
    rows = _rows(70)
    rows[40] = 'S40,s1,"A,B'
    path = _file(tmp_path / "b.csv", rows)
    r = load_round(_file(tmp_path / "round.yaml", [], header=ROUND.rstrip("\n")))
    sequential, cut = _both(r, [path], monkeypatch)
    assert cut == sequential == [(str(path), 42, "", "runaway_quote")]


def test_a_conflict_between_the_quoted_tail_and_another_file_takes_out_both_copies(tmp_path, monkeypatch):
    first = _file(tmp_path / "a.csv", _rows(60))
    rows = [row.replace("S", "T", 1) for row in _rows(60)]
    rows[30] = '"T30\nx",s1,A,A'  # the tail of b.csv is read with quotes (one line more)
    rows[45] = "S7,s1,C,C"  # conflicts with S7 of a.csv (a range read without quotes)
    rows[50] = "T31,s2,C,C"  # conflicts with T31 of b.csv, a line of the quoted tail
    second = _file(tmp_path / "b.csv", rows)
    r = load_round(_file(tmp_path / "round.yaml", [], header=ROUND.rstrip("\n")))
    sequential, cut = _both(r, [first, second], monkeypatch, spill=0)
    assert cut == sequential
    assert [(j.file, j.line, j.sheet) for j in sequential[3]] == [  # type: ignore[index]
        (str(first), 9, "S7"),
        (str(second), 34, "T31"),
        (str(second), 48, "S7"),
        (str(second), 53, "T31"),
    ]


def test_a_bom_a_crlf_file_and_trailing_empty_lines_cut_as_read_whole(tmp_path, monkeypatch):
    rows = _rows(60)
    rows[45] = '"S45",s1,A,B'
    path = tmp_path / "b.csv"
    path.write_bytes(("\ufeffsheet,stratum,u,v\r\n" + "\r\n".join(rows) + "\r\n\r\n\r\n").encode("utf-8"))
    r = load_round(_file(tmp_path / "round.yaml", [], header=ROUND.rstrip("\n")))
    sequential, cut = _both(r, [path], monkeypatch)
    assert cut == sequential
    assert sequential[1] == 60  # type: ignore[index]


# --- errors: one line, exit 2, file and line ----------------------------------------------


def _tally(tmp_path: Path, ballots: Path, monkeypatch) -> tuple[int, str]:
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    monkeypatch.setattr(csv_wide, "HEAD_SCAN", 20)
    rnd = _file(tmp_path / "round.yaml", [], header=(ROUND + "ballots: {encoding: utf-8}").rstrip("\n"))
    result = CliRunner().invoke(cli, ["tally", str(rnd), str(ballots), "-o", str(tmp_path / "out"), "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit)  # never a traceback
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "quote_at,expected_line", [(None, 62), (30, 62), (59, 62)], ids=["late", "tail", "just-before"]
)
def test_bad_bytes_late_or_in_the_quoted_tail_are_one_line_naming_file_and_line(
    quote_at, expected_line, tmp_path, monkeypatch
):
    rows = _rows(80)
    if quote_at is not None:
        rows[quote_at] = f'"S{quote_at}",s1,A,B'
    data = ("sheet,stratum,u,v\n" + "\n".join(rows) + "\n").encode("utf-8")
    at = data.index(b"\nS60,") + 2
    path = tmp_path / "b.csv"
    path.write_bytes(data[:at] + b"\xff" + data[at + 1 :])
    code, stderr = _tally(tmp_path, path, monkeypatch)
    assert code == 2
    assert stderr.startswith(f"error: {path}:{expected_line}: ") and stderr.rstrip().endswith("[encoding]")
    assert "Traceback" not in stderr


def test_a_total_row_after_a_quoted_line_break_names_its_line(tmp_path, monkeypatch):
    rows = _rows(80)
    rows[40] = '"S40\n\nnote",s1,A,B'  # two more lines
    rows[70] = "合计,,40,40"
    code, stderr = _tally(tmp_path, _file(tmp_path / "b.csv", rows), monkeypatch)
    assert (code, stderr.split(": ")[0:2]) == (2, ["error", f"{tmp_path / 'b.csv'}:74"])
    assert stderr.rstrip().endswith("[total_row]")


# --- random files: cut equals sequential --------------------------------------------------

CELLS = [
    "A",
    "B",
    "C",
    "",
    " ",
    " A ",
    "AB",
    "√",
    "１",
    "1",
    "未填",
    "X",
    "好的",
    "\tA",
    "é",
    '"A"',
    '"B\nC"',
]
IDS = ["S1", "S2", "S3", "S4", '"S2"', '"S5\r\nx"', "", " S3 "]
ROWS = st.one_of(
    st.tuples(
        st.sampled_from(IDS),
        st.sampled_from(["s1", "s2", "s9", ""]),
        st.sampled_from(CELLS),
        st.sampled_from(CELLS),
    ).map(",".join),
    st.sampled_from(["", ",,,", "S1,s1,A", "S2,s2,A,B,C"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(ROWS, min_size=1, max_size=40),
    quote_free=st.integers(0, 40),
    newline=st.sampled_from(["\n", "\r\n"]),
    range_bytes=st.sampled_from([16, 48, 100]),
    head_scan=st.sampled_from([1, 30]),
    spill=st.sampled_from([0, 1 << 24]),
)
def test_random_files_cut_anywhere_read_as_read_whole(
    tmp_path_factory, rows, quote_free, newline, range_bytes, head_scan, spill
):
    folder = tmp_path_factory.mktemp("h")
    rows = [row.replace('"', "") for row in rows[:quote_free]] + rows[quote_free:]
    path = _file(folder / "b.csv", rows, newline)
    r = load_round(_file(folder / "round.yaml", [], header=(ROUND + ALIASES).rstrip("\n")))
    with pytest.MonkeyPatch.context() as monkeypatch:
        sequential, cut = _both(r, [path], monkeypatch, range_bytes, head_scan, spill)
    assert cut == sequential


FORMS_ROUND = """\
round: p
extends: qianren-2-1-0
categories: [{id: c, name: 类}]
strata: [{id: s1, name: 一}, {id: s2, name: 二}]
units: [{id: a, name: 甲, category: c}, {id: b, name: 乙, category: c}, {id: d, name: 丙, category: c}]
forms:
  f1: [a, b]
  f2: [d]
ballots: {form: form, marks: {"√": A}}
"""


@settings(max_examples=15, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["S1", "S2", "S3", "S4", "S5"]),
            st.sampled_from(["s1", "s2"]),
            st.sampled_from(["f1", "f2", "f9"]),
            st.lists(st.sampled_from(["A", "B", "", "√", " ", "AB"]), min_size=3, max_size=3),
        ),
        min_size=1,
        max_size=40,
    ),
    quote_row=st.integers(0, 40),
)
def test_units_not_on_a_form_count_alike_cut_or_whole(tmp_path_factory, rows, quote_row):
    """The spare bin of _bins takes a unit not on a sheet's form: no mark of it is counted,
    and no count moves to the next stratum's first option."""
    folder = tmp_path_factory.mktemp("f")
    lines = [",".join([s, t, f, *m]) for s, t, f, m in rows]
    if quote_row < len(lines):
        lines[quote_row] = '"' + lines[quote_row].replace(",", '",', 1)
    path = _file(folder / "b.csv", lines, header="sheet,stratum,form,a,b,d")
    r = load_round(_file(folder / "round.yaml", [], header=FORMS_ROUND.rstrip("\n")))
    with pytest.MonkeyPatch.context() as monkeypatch:
        sequential, cut = _both(r, [path], monkeypatch, 48)
    assert cut == sequential
    if isinstance(sequential, tuple):
        counts = np.array(sequential[0])
        counted = np.array(sequential[2][0])
        # no unit's counts in a stratum exceed the sheets counted there (an off-form mark
        # keyed into the next stratum's bins would)
        assert (counts.sum(axis=2) <= counted[None, :]).all()


# --- marks: every cell decodes as MarkCodes.code says -------------------------------------

TEXTS = st.text(
    alphabet=st.sampled_from(["A", "B", "C", " ", "\t", "√", "１", "é", "好", "的", "未", "填", "X", "x"]),
    max_size=9,
)


@settings(max_examples=40, deadline=None)
@given(
    columns=st.lists(
        st.lists(
            TEXTS | st.sampled_from(["NOTSEEN", "满意A", "非常满意的", "非常满意得"]), min_size=1, max_size=12
        ),
        min_size=1,
        max_size=4,
    ),
    binary=st.booleans(),
    sliced=st.booleans(),
)
def test_every_cell_decodes_as_its_text_says(tmp_path_factory, columns, binary, sliced):
    folder = tmp_path_factory.mktemp("m")
    codes = mark_codes(load_round(_file(folder / "round.yaml", [], header=(ROUND + ALIASES).rstrip("\n"))))
    n = min(len(c) for c in columns)
    texts = [c[:n] for c in columns]
    arrays = []
    for column in texts:
        array = pa.array(["pad", *column], pa.binary() if binary else pa.string())
        arrays.append(array.slice(1) if sliced else pa.array(column, array.type))
    for _ in range(2):  # the second call meets the cells remembered by the first
        decoded = codes.columns(arrays)
        assert decoded.T.tolist() == [[codes.code(t) for t in column] for column in texts]


# --- defects found by this file, fixed in marks.py (key length) and csv_wide.py (header end) ---


def test_a_cell_256_bytes_longer_with_the_same_first_seven_bytes_decodes_apart(write):
    codes = mark_codes(load_round(write("round.yaml", ROUND + ALIASES)))
    cells = ["NOTSEEN" + "x" * 256, "NOTSEEN", "满意A" + "!" * 256, "满意A"]
    assert [codes.code(c) for c in cells] == [codes.invalid, codes.blank, codes.invalid, 2]
    assert codes.columns([pa.array(cells)])[:, 0].tolist() == [codes.invalid, codes.blank, codes.invalid, 2]


def test_a_quoted_name_in_a_header_longer_than_head_scan(tmp_path, monkeypatch):
    path = _file(tmp_path / "b.csv", [row + ",x" for row in _rows(60)], header='sheet,stratum,u,v,"note"')
    r = load_round(_file(tmp_path / "round.yaml", [], header=ROUND.rstrip("\n")))
    sequential, cut = _both(r, [path], monkeypatch, head_scan=10)  # as a header past 1 MB would be
    assert cut == sequential
