"""Header names are matched after trimming whitespace (issue 10 c): ``swbgs `` is column
``swbgs``; two names that are one after trimming are a located error, never a traceback."""

from __future__ import annotations

import pytest

from pingyi.ballots.count import read_ballots
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_ballots import ROUND, SHEETS

HEADERS = [
    ("sheet,stratum,a ,b,c", "sheet,stratum,unit ,mark"),
    ("sheet ,stratum,a,b,c ", "sheet ,stratum,unit,mark "),
    ("\tsheet,stratum, a,b,c", "\tsheet,stratum, unit,mark"),
    ('"sheet ",stratum,a,b,"c "', '"sheet ",stratum,unit,"mark "'),
]


@pytest.mark.parametrize("wide,long", HEADERS)
def test_header_names_with_spaces_around_them_are_the_round_s_columns(write, wide, long):
    r = load_round(write("round.yaml", ROUND))
    c = read_ballots(r, [write("b.csv", wide + "\n" + SHEETS.split("\n", 1)[1])])
    clean = read_ballots(r, [write("clean.csv", SHEETS)])
    assert c.counts.tolist() == clean.counts.tolist()
    assert [(j.line, j.reason) for j in c.rejects] == [(6, "all_blank")]


@pytest.mark.parametrize("wide,long", HEADERS)
def test_long_header_names_with_spaces_around_them(write, wide, long):
    body = "1,企业,a,A\n1,企业,b,B\n1,企业,c,C\n2,群众,a,A\n2,群众,b,\n2,群众,c,\n"
    r = load_round(write("round.yaml", ROUND + "ballots: {layout: long}\n"))
    c = read_ballots(r, [write("b.csv", long + "\n" + body)])
    clean = read_ballots(r, [write("clean.csv", "sheet,stratum,unit,mark\n" + body)])
    assert c.counts.tolist() == clean.counts.tolist()
    assert (c.read, c.counted) == (2, 2)


def test_unused_columns_are_named_trimmed(round_, write):
    c = read_ballots(round_, [write("b.csv", "sheet,stratum,a,b,c, note \n1,企业,A,B,C,x\n")])
    assert c.files[0].unused_columns == ["note"]


def test_two_names_that_are_one_after_trimming_are_a_located_error(write):
    r = load_round(write("round.yaml", ROUND))
    path = write("b.csv", "sheet,stratum,a,b,c,b \n1,企业,A,B,C,A\n")
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    assert [p.as_tuple() for p in caught.value.problems] == [(str(path), 1, "b", "duplicate_column")]
    assert caught.value.problems[0].message == (
        "columns 'b' and 'b ' are one column after trimming spaces: rename one of them"
    )


@pytest.fixture
def round_(write):
    return load_round(write("round.yaml", ROUND))


@pytest.mark.parametrize("layout", ["wide", "long"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_header_without_a_line_break_after_it_is_a_file_with_no_sheets(write, layout, encoding):
    """Defect: a header-only file saved without a final line break stopped the run with
    "has no header row"; the same file with the break was read as 0 sheets."""
    r = load_round(write("round.yaml", ROUND + f"ballots: {{layout: {layout}, encoding: {encoding}}}\n"))
    header = "sheet,stratum,a,b,c,备注" if layout == "wide" else "sheet,stratum,unit,mark,备注"
    body = SHEETS.split("\n", 1)[1] if layout == "wide" else "1,企业,a,A,\n2,群众,b,B,\n"
    data = write("data.csv", (header + "\n" + body).encode(encoding))
    c = read_ballots(r, [data, write("only.csv", header.encode(encoding))])
    alone = read_ballots(r, [data])
    assert (c.read, c.counted, c.counts.tolist()) == (alone.read, alone.counted, alone.counts.tolist())
    assert c.files[1].bytes_read == len(header.encode(encoding))


def test_an_empty_first_line_before_the_header_is_named_for_what_it_is(round_, write):
    """Defect: the message was "has no header row" for a file whose header is on line 2."""
    path = write("b.csv", "\n" + SHEETS)
    with pytest.raises(PingyiError) as caught:
        read_ballots(round_, [path])
    assert [p.as_tuple() for p in caught.value.problems] == [(str(path), 1, "", "blank_header")]
    assert "the first line is empty" in caught.value.problems[0].message
    with pytest.raises(PingyiError) as caught:  # a DOS end-of-file byte is nothing too
        read_ballots(round_, [write("z.csv", "\x1a\n" + SHEETS)])
    assert caught.value.problems[0].code == "blank_header"
    for blank in ("", " \n", "\n\n\x1a", "\x1a"):  # nothing at all in the file: no header row
        with pytest.raises(PingyiError) as caught:
            read_ballots(round_, [write("e.csv", blank)])
        assert caught.value.problems[0].code == "empty_file"


def test_a_first_line_longer_than_the_header_block_is_named(round_, write):
    """Defect: a first line over 1 MB (a file with no line breaks, a 300,000-column header)
    was "has no header row"; a 3 MB row just after the header was a runaway quote, with no
    line, in a file without any quote."""
    long_first = write("a.csv", "x," * (1 << 20) + "\n1,企业,A,B,C\n")
    with pytest.raises(PingyiError) as caught:
        read_ballots(round_, [long_first])
    assert caught.value.problems[0].as_tuple() == (str(long_first), 1, "", "row_too_long")
    second = write("b.csv", "sheet,stratum,a,b,c\n2,企业," + "A" * (3 << 20) + ",B,C\n3,企业,A,B,C\n")
    with pytest.raises(PingyiError) as caught:
        read_ballots(round_, [second])
    assert caught.value.problems[0].as_tuple() == (str(second), 2, "", "row_too_long")


def test_a_gb18030_first_line_over_the_block_as_utf8_is_row_too_long(write):
    """Defect: the first line was measured in the file's bytes; the parser reads UTF-8, in
    which a GB18030 character grows by half, so a 0.8 MB first line of 汉字 was "has no
    header row". A long-layout row of 1.04 MB in GB18030 (1.56 MB as UTF-8) is named by its
    line too."""
    r = load_round(write("round.yaml", ROUND + "ballots: {encoding: gb18030}\n"))
    path = write("g.csv", ("汉" * 400_000 + "\n1,企业,A,B,C\n").encode("gb18030"))
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    assert caught.value.problems[0].as_tuple() == (str(path), 1, "", "row_too_long")
    long_round = load_round(write("long.yaml", ROUND + "ballots: {layout: long, encoding: gb18030}\n"))
    rows = "".join(f"{i},企业,a,A\n" for i in range(1000))
    long = write(
        "l.csv", ("sheet,stratum,unit,mark\n" + rows + "x,企业,a," + "汉" * 520_000 + "\n").encode("gb18030")
    )
    with pytest.raises(PingyiError) as caught:
        read_ballots(long_round, [long])
    assert caught.value.problems[0].as_tuple() == (str(long), 1002, "", "row_too_long")
