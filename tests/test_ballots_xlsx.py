"""XLSX ballot files (issue 10 b): a formula without a cached value and a merged cell are
located errors, never blanks (弃权 is worth 0.5 under 2:1:0)."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import Workbook

from pingyi.ballots.count import read_ballots
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_ballots import ROUND, SHEETS


def _book(path, rows, merge: str | None = None):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if merge:
        book.active.merge_cells(merge)
    book.save(path)
    return path


def _rows() -> list[list[str]]:
    return [line.split(",") for line in SHEETS.strip().splitlines()]


def _problems(r, path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(PingyiError) as caught:
        read_ballots(r, [path])
    return [p.as_tuple() for p in caught.value.problems], caught.value.problems[0].message


@pytest.fixture
def round_(write):
    return load_round(write("round.yaml", ROUND))


def test_a_formula_without_a_cached_value_is_an_error_naming_the_cell(round_, tmp_path):
    rows = _rows()
    rows[2][3] = '=IF(1,"A","B")'  # sheet 2's mark for b: cell D3, never calculated
    path = _book(tmp_path / "b.xlsx", rows)
    problems, message = _problems(round_, path)
    assert problems == [(str(path), 3, "b", "xlsx_formula")]
    assert message == (
        "cell D3: a formula with no cached value (the workbook was saved without calculating "
        "it): open and save it in Excel, or paste the values"
    )


def test_a_formula_with_a_cached_value_reads_the_value(round_, tmp_path, write):
    rows = _rows()
    rows[2][3] = '=IF(1,"A","B")'
    path = _book(tmp_path / "b.xlsx", rows)
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<c r="D3"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>|<c r="D3"([^>]*)><f>(.*?)</f></c>',
            lambda m: b'<c r="D3" t="str"><f>' + (m.group(2) or m.group(5)) + b"</f><v>A</v></c>",
            xml,
        ),
    )
    c = read_ballots(round_, [path])
    rows[2][3] = "A"
    plain = read_ballots(round_, [write("plain.csv", "\n".join(",".join(row) for row in rows) + "\n")])
    assert c.counts.tolist() == plain.counts.tolist()


def test_merged_cells_over_columns_the_round_reads_are_an_error(round_, tmp_path):
    path = _book(tmp_path / "b.xlsx", _rows(), merge="C4:D4")  # sheet 3's marks for a and b
    problems, message = _problems(round_, path)
    assert problems == [(str(path), 4, "a", "xlsx_merged")]
    assert message == (
        "cells C4:D4 are merged: only the first holds a value, the others would read as blank; "
        "unmerge them and fill every cell"
    )


def test_merged_strata_down_a_column_are_an_error(round_, tmp_path):
    path = _book(tmp_path / "b.xlsx", _rows(), merge="B2:B3")
    problems, _ = _problems(round_, path)
    assert problems == [(str(path), 2, "stratum", "xlsx_merged")]


def test_merged_cells_in_a_column_the_round_does_not_read_are_fine(round_, tmp_path):
    rows = [row + ["note"] for row in _rows()]
    rows[0][-1] = "note"
    path = _book(tmp_path / "b.xlsx", [row + ["x"] for row in rows], merge="F2:G3")
    c = read_ballots(round_, [path])
    assert (c.read, c.counted) == (5, 4)


def test_a_damaged_zip_is_not_a_workbook(round_, write):
    path = write("b.xlsx", b"PK\x03\x04" + b"\x00" * 40)
    problems, _ = _problems(round_, path)
    assert problems == [(str(path), None, "", "not_xlsx")]


def _rewrite(path, part: str, change) -> None:
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            new.writestr(info.filename, change(data) if info.filename == part else data)


def test_a_formula_whose_cached_value_is_empty_text_is_a_blank(round_, tmp_path):
    """Excel stores ``=IF(…,"",…)`` that gave "" as an empty text value: a real blank."""
    rows = _rows()
    rows[2][3] = '=IF(1,"","B")'
    path = _book(tmp_path / "b.xlsx", rows)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<c r="D3">', b'<c r="D3" t="str">'))
    c = read_ballots(round_, [path])
    assert (c.read, c.counted) == (5, 4)
    assert c.counts[1][0].tolist() == [0, 1, 0, 1, 0]
