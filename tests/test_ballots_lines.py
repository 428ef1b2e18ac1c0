"""Rejects name the physical line where a sheet starts (issue 10 e), also after a quoted
cell that holds line breaks: such a row spans several lines of the file, and every line
after it moves down with it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.ballots import csv_wide
from pingyi.ballots.count import read_ballots
from pingyi.round.load import load_round

from .test_ballots import ROUND

WIDE = (
    "sheet,stratum,a,b,c,note\n"  # 1
    '1,企业,A,B,C,"first\nsecond"\n'  # 2-3
    "2,企业,,,,x\n"  # 4 all_blank
    "3,企业,A,B\n"  # 5 malformed_row
    '4,群众,A,A,A,"x\n\ny"\n'  # 6-8
    "5,官员,A,A,A,\n"  # 9 unknown_stratum
    '"6\n",企业,A,B,C,\n'  # 10-11 (the id is 6)
    '8,企业,A,"B",C,"a\r\nb"\n'  # 12-13
    "7,企业,,,,\n"  # 14 all_blank
)
EXPECTED = [
    (4, "2", "all_blank"),
    (5, "3", "malformed_row"),
    (9, "5", "unknown_stratum"),
    (14, "7", "all_blank"),
]


def test_rejects_after_multi_line_cells_name_their_physical_lines(write):
    c = read_ballots(load_round(write("round.yaml", ROUND)), [write("b.csv", WIDE)])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == EXPECTED
    assert (c.read, c.counted) == (8, 4)


def test_a_multi_line_cell_in_a_column_the_round_reads_moves_the_lines_too(write):
    text = 'sheet,stratum,a,b,c\n1,"企业\n",A,B,C\n2,企业,,,\n'
    c = read_ballots(load_round(write("round.yaml", ROUND)), [write("b.csv", text)])
    assert [(j.line, j.reason) for j in c.rejects] == [(4, "all_blank")]


def test_a_header_cell_with_a_line_break_moves_every_line(write):
    text = 'sheet,stratum,a,b,c,"note\nwritten"\n1,企业,,,,\n'
    c = read_ballots(load_round(write("round.yaml", ROUND)), [write("b.csv", text)])
    assert [(j.line, j.reason) for j in c.rejects] == [(3, "all_blank")]


def test_windows_line_ends_keep_lines_exact(write):
    crlf = re.sub("(?<!\r)\n", "\r\n", WIDE)
    c = read_ballots(load_round(write("round.yaml", ROUND)), [write("b.csv", crlf)])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == EXPECTED


def test_long_layout_lines_after_a_multi_line_cell(write):
    r = load_round(write("round.yaml", ROUND + "ballots: {layout: long}\n"))
    text = (
        "sheet,stratum,unit,mark,note\n"  # 1
        '1,企业,a,A,"two\nlines"\n'  # 2-3
        "1,企业,b,B,\n"  # 4
        "1,企业,c,C,\n"  # 5
        "2,企业,a,,\n"  # 6: sheet 2 is all blank
        "2,企业,b,,\n"
        "2,企业,c,,\n"
    )
    c = read_ballots(r, [write("l.csv", text)])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(6, "2", "all_blank")]


ROWS = st.lists(
    st.tuples(st.sampled_from(["ok", "blank", "short"]), st.integers(0, 3)), min_size=1, max_size=30
)


@settings(max_examples=40, deadline=None)
@given(rows=ROWS, block=st.sampled_from([40, 97, 1 << 20]))
def test_lines_of_random_multi_line_and_malformed_rows(tmp_path_factory, rows, block):
    folder = tmp_path_factory.mktemp("l")
    text, expected, line = "sheet,stratum,a,b,c,note\n", [], 2
    for i, (kind, breaks) in enumerate(rows):
        note = '"' + "x\n" * breaks + 'y"'
        marks = {"ok": "A,B,C", "blank": ",,", "short": "A"}[kind]
        text += f"{i},企业,{marks},{note}\n"
        if kind != "ok":
            expected.append((line, str(i), {"blank": "all_blank", "short": "malformed_row"}[kind]))
        line += 1 + breaks
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    (folder / "b.csv").write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(csv_wide, "BLOCK_SIZE", block)
        c = read_ballots(load_round(folder / "round.yaml"), [folder / "b.csv"])
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == expected
