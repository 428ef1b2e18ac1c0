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
