"""A ballot file is one encoding (issue 10 a): bytes that do not decode in the encoding the
file is read with, anywhere in the file, are an error naming the line and that encoding;
a UTF-8 file with a GBK row is never decoded whole as GB18030."""

from __future__ import annotations

import pytest

from pingyi.ballots.count import read_ballots
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_ballots import ROUND

HEADER = "sheet,stratum,a,b,c\n"


def _rows(n: int, first: int = 1) -> list[str]:
    return [f"张三{i},{'企业' if i % 2 else '群众'},A,B,C\n" for i in range(first, first + n)]


def _problems(r, path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    return [p.as_tuple() for p in caught.value.problems], caught.value.problems[0].message


def test_a_gbk_row_past_the_first_64_kb_names_its_line_and_the_assumed_encoding(write):
    rows = _rows(5000)
    rows[4000] = rows[4000].replace("张三4001", "李四")  # a GBK re-typed row, at line 4002
    data = HEADER.encode() + b"".join(
        row.encode("gbk") if i == 4000 else row.encode() for i, row in enumerate(rows)
    )
    assert data.index("李四".encode("gbk")) > 1 << 16
    path = write("b.csv", data)
    problems, message = _problems(load_round(write("round.yaml", ROUND)), path)
    assert problems == [(str(path), 4002, "", "encoding")]
    assert message == (
        "bytes that are not valid UTF-8 (the encoding assumed from the start of the file); a file has "
        "one encoding: save this line as UTF-8, or use ballots.encoding: gb18030 if the file is GB18030"
    )


def test_a_utf8_file_with_a_gbk_row_at_its_start_is_not_read_as_gb18030(write):
    """The GBK row makes the first 64 KB invalid UTF-8; the file was decoded whole as GB18030,
    every UTF-8 stratum garbled (unknown_stratum) and a re-scan typed in GBK counted twice."""
    rows = _rows(300)
    rows[40] = "张三7,群众,A,B,C\n"  # a re-scan of sheet 张三7, saved as GBK, at line 42
    data = HEADER.encode() + b"".join(
        row.encode("gbk") if i == 40 else row.encode() for i, row in enumerate(rows)
    )
    path = write("b.csv", data)
    problems, message = _problems(load_round(write("round.yaml", ROUND)), path)
    assert problems == [(str(path), 42, "", "encoding")]
    assert message == (
        "bytes that are not valid UTF-8, though line 2 is UTF-8 text; a file has one encoding: save "
        "this line as UTF-8, or use ballots.encoding: gb18030 if the whole file is GB18030"
    )


def test_a_gb18030_file_with_bad_bytes_later_names_the_line(write):
    rows = _rows(5000)
    data = HEADER.encode("gb18030") + b"".join(row.encode("gb18030") for row in rows)
    cut = data.index("张三4500,".encode("gb18030"))
    data = data[:cut] + b"\xff" + data[cut:]  # at line 4501
    path = write("b.csv", data)
    problems, message = _problems(load_round(write("round.yaml", ROUND)), path)
    assert problems == [(str(path), 4501, "", "encoding")]
    assert message == (
        "bytes that are not valid GB18030 (the encoding assumed from the start of the file); a file "
        "has one encoding: save this line as GB18030, or use ballots.encoding: utf-8 if the file is UTF-8"
    )


def test_an_encoding_the_round_names_is_said_to_come_from_the_round(write):
    r = load_round(write("round.yaml", ROUND + "ballots: {encoding: utf-8}\n"))
    data = HEADER.encode() + "".join(_rows(3)).encode() + "张三9,企业,A,B,C\n".encode("gbk")
    path = write("b.csv", data)
    problems, message = _problems(r, path)
    assert problems == [(str(path), 5, "", "encoding")]
    assert message == (
        "bytes that are not valid UTF-8 (the encoding set in ballots.encoding); "
        "use ballots.encoding: gb18030 if the file is GB18030"
    )


def test_bad_bytes_in_a_column_the_round_does_not_read_are_found_too(write):
    rows = [row.rstrip("\n") + ",备注\n" for row in _rows(4000)]
    data = (HEADER.rstrip("\n") + ",note\n").encode() + b"".join(
        row.encode("gbk") if i == 3000 else row.encode() for i, row in enumerate(rows)
    )
    path = write("b.csv", data)
    problems, _ = _problems(load_round(write("round.yaml", ROUND)), path)
    assert problems == [(str(path), 3002, "", "encoding")]


def test_a_character_cut_by_a_read_block_is_not_an_error(write, monkeypatch):
    """Blocks of the reader end anywhere, also inside a three-byte character."""
    from pingyi.ballots import csv_wide

    monkeypatch.setattr(csv_wide, "BLOCK_SIZE", 61)
    path = write("b.csv", HEADER + "".join(_rows(200)))
    c = read_ballots(load_round(write("round.yaml", ROUND)), [path])
    assert (c.read, c.counted, c.files[0].encoding) == (200, 200, "utf-8")
