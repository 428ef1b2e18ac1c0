"""Large files are read in byte ranges by parallel threads (ballots.ranges.RANGE_BYTES);
the count, the rejects and every line number must be exactly the sequential ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.ballots import ranges
from pingyi.ballots.count import read_ballots
from pingyi.ballots.files import BallotFile
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

ROUND = """\
round: p
extends: qianren-2-1-0
categories: [{id: c, name: 类}]
strata: [{id: s1, name: 一}, {id: s2, name: 二}]
units: [{id: u, name: 甲, category: c}, {id: v, name: 乙, category: c}]
"""


def _both(round_path, ballots, monkeypatch):
    r = load_round(round_path)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 1 << 40)
    sequential = read_ballots(r, [ballots])
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    parallel = read_ballots(r, [ballots])
    return sequential, parallel


def test_ranges_give_the_sequential_count_rejects_and_lines(write, monkeypatch):
    rows = [f"S{i},s{1 + i % 2},{'ABC'[i % 3]},{'CBA'[i % 3]}" for i in range(60)]
    rows[10] = "S10,s1,A"  # malformed: one field short
    rows[20] = ""  # an empty line
    rows[30] = "S3,s2,A,C"  # identical re-scan of S3
    rows[40] = "S4,s2,C,C"  # conflicts with S4 (s1,B,B)
    rows[50] = "S50,s1,,"  # all blank
    path = write("ballots.csv", "sheet,stratum,u,v\n" + "\n".join(rows) + "\n")
    sequential, parallel = _both(write("round.yaml", ROUND), path, monkeypatch)
    assert len(ranges.byte_ranges(parallel.files[0], "utf-8")) >= 10
    assert np.array_equal(sequential.counts, parallel.counts)
    assert parallel.rejects == sequential.rejects
    assert [(j.line, j.reason) for j in parallel.rejects] == [
        (6, "conflicting_duplicate"),
        (12, "malformed_row"),
        (32, "duplicate"),
        (42, "conflicting_duplicate"),
        (52, "all_blank"),
    ]
    assert parallel.files[0].empty_lines == sequential.files[0].empty_lines == 1
    assert parallel.read == sequential.read == 59  # 60 lines, one of them empty


def test_an_error_in_a_later_range_names_the_files_line(write, monkeypatch):
    rows = [f"S{i},s1,A,B" for i in range(40)] + ["合计,,40,40"]
    path = write("ballots.csv", "sheet,stratum,u,v\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    with pytest.raises(PingyiError) as caught:
        read_ballots(load_round(write("round.yaml", ROUND)), [path])
    assert caught.value.problems[0].as_tuple() == ("" + str(path), 42, "", "total_row")


def test_a_quote_in_the_first_bytes_makes_one_quoted_range(write, monkeypatch):
    path = write("ballots.csv", 'sheet,stratum,u,v\n"S1",s1,A,B\n' + "S2,s1,A,B\n" * 100)
    source = BallotFile(path, "ballots.csv", 0)
    assert ranges.has_quotes(source)
    assert ranges.has_quotes(source, end=20)
    assert not ranges.has_quotes(source, end=18)
    calls = []
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    monkeypatch.setattr(ranges, "parallel_batches", lambda *a: calls.append(a))
    read_ballots(load_round(write("round.yaml", ROUND)), [path])
    assert calls == []  # read in one stream


def test_a_quoted_cell_late_in_a_cut_file_is_read_with_quotes_from_its_range(write, monkeypatch):
    """Ranges are read without quote handling until one meets a quote; the file is read on
    from that range's start with quotes, so a line break inside a quoted cell late in the
    file neither splits a sheet nor shifts a line, and no sheet is counted twice."""
    from pingyi.ballots import csv_wide

    rows = [f"S{i},s{1 + i % 2},{'ABC'[i % 3]},{'CBA'[i % 3]}" for i in range(80)]
    rows[50] = '"S50\nnote",s1,A,B'  # a sheet id cell with a line break: one sheet, two lines
    rows[60] = "S60,s1,A"  # malformed, after it: line 63
    rows[70] = "S3,s2,A,C"  # identical re-scan of S3
    path = write("ballots.csv", "sheet,stratum,u,v\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(csv_wide, "HEAD_SCAN", 40)
    read_on = []
    original = ranges.read_on
    monkeypatch.setattr(
        ranges, "read_on", lambda reading, offset: read_on.append(offset) or original(reading, offset)
    )
    sequential, parallel = _both(write("round.yaml", ROUND), path, monkeypatch)
    assert len(read_on) == 1 and 30 < read_on[0] < 51  # read on with quotes from a range before line 52
    assert len(ranges.byte_ranges(parallel.files[0], "utf-8")) >= 10
    assert np.array_equal(sequential.counts, parallel.counts)
    assert parallel.rejects == sequential.rejects
    assert [(j.line, j.reason) for j in parallel.rejects] == [(63, "malformed_row"), (73, "duplicate")]
    assert parallel.read == sequential.read == 80
    assert parallel.counted == 78


marks = st.sampled_from(["A", "B", "C", "", "AB", " A"])


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 25), st.sampled_from(["s1", "s2", "s9"]), marks, marks),
        min_size=1,
        max_size=80,
    )
)
def test_parallel_equals_sequential_on_random_sheets(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("p")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    path = folder / "b.csv"
    path.write_text(
        "sheet,stratum,u,v\n" + "".join(f"S{i},{s},{a},{b}\n" for i, s, a, b in rows), encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        sequential, parallel = _both(folder / "round.yaml", path, monkeypatch)
    assert np.array_equal(sequential.counts, parallel.counts)
    assert parallel.rejects == sequential.rejects


def test_cells_of_any_length_decode_like_their_text(write):
    """One-byte cells go through a byte table; longer ones are keyed by their first seven
    bytes and length, so two long texts that share seven bytes must still differ."""
    import pyarrow as pa

    from pingyi.ballots.marks import mark_codes

    r = load_round(
        write("round.yaml", ROUND + 'ballots:\n  marks: {"1": A, "√": B}\n  blank_codes: [未填写的选项]\n')
    )
    codes = mark_codes(r)
    cells = ["A", "", " B ", "√", "1", "未填写的选项", "未填写的选择", "AB", "C"]
    column = pa.array(cells)
    decoded = codes.columns([column, column.slice(0)])
    expected = [codes.code(c) for c in cells]
    assert decoded[:, 0].tolist() == decoded[:, 1].tolist() == expected
    assert expected == [0, codes.blank, 1, 1, 0, codes.blank, codes.invalid, codes.invalid, 2]


def test_undecodable_bytes_in_a_later_range_name_the_files_line(write, monkeypatch):
    rows = [f"S{i},s1,A,B" for i in range(40)]
    data = ("sheet,stratum,u,v\n" + "\n".join(rows) + "\n").encode() + b"S40,s1,\xff,B\n"
    path = write("ballots.csv", data)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    r = load_round(write("round.yaml", ROUND + "ballots: {encoding: utf-8}\n"))
    assert len(ranges.byte_ranges(BallotFile(path, "b", 0), "utf-8")) > 5
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    assert caught.value.problems[0].as_tuple() == (str(path), 42, "", "encoding")


def test_the_conflict_pass_reads_again_only_the_ranges_holding_first_copies(write, monkeypatch):
    """A sheet id whose copies differ rejects its first copy too, found by a second read;
    that read covers only the byte range holding the first copy, in a cut file, and skips
    files that hold none, with the same rejects and counts as a whole sequential read."""
    from pingyi.ballots import count

    rows = [f"S{i},s{1 + i % 2},{'ABC'[i % 3]},{'CBA'[i % 3]}" for i in range(80)]
    rows[70] = "S40,s1,C,C"  # conflicts with S40 (line 42), in a range of its own
    path = write("ballots.csv", "sheet,stratum,u,v\n" + "\n".join(rows) + "\n")
    other = write("more.csv", "sheet,stratum,u,v\nT1,s1,A,A\nT2,s2,B,B\n")
    r = load_round(write("round.yaml", ROUND))
    monkeypatch.setattr(ranges, "RANGE_BYTES", 1 << 40)
    sequential = read_ballots(r, [path, other])
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    again = []
    original = count.read_batches

    def spy(r, codes, source, prepare=None, online=None, spans=None, long=None):
        again.append((source.display, spans))
        return original(r, codes, source, prepare, online, spans, long)

    monkeypatch.setattr(
        count, "read_batches", lambda *a, **k: spy(*a, **k) if "spans" in k else original(*a, **k)
    )
    parallel = read_ballots(r, [path, other])
    assert [(j.line, j.reason) for j in parallel.rejects] == [
        (42, "conflicting_duplicate"),
        (72, "conflicting_duplicate"),
    ]
    assert parallel.rejects == sequential.rejects
    assert np.array_equal(sequential.counts, parallel.counts)
    assert parallel.counted == sequential.counted == 80
    assert len(again) == 1 and again[0][0] == str(path)  # more.csv holds no first copy: not read again
    ((start, end, quoted, offset),) = again[0][1]
    text = path.read_bytes()
    assert b"\nS40,s1,B,B\n" in b"\n" + text[start:end] and end - start < 100 and not quoted
    assert offset == text[:start].count(b"\n")  # the lines before the range, the header's too
