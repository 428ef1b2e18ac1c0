"""A workbook whose parts expand beyond a bound is refused before openpyxl opens it (issue
10 h: a 2.5 MB xlsx with a 648 MB sharedStrings part took 1.2 GB). The bounds are module
constants, lowered here so that a small crafted workbook crosses them."""

from __future__ import annotations

import zipfile

import pytest

from pingyi.ballots import worksheet
from pingyi.round.load import load_round

from .test_ballots import ROUND
from .test_ballots_xlsx import _book, _problems, _rows


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_a_part_that_expands_beyond_the_bound_is_refused_before_opening(write, tmp_path, monkeypatch, layout):
    r = load_round(write("round.yaml", ROUND + f"ballots: {{layout: {layout}}}\n"))
    path = tmp_path / "bomb.xlsx"
    _book(
        path, _rows() if layout == "wide" else [["sheet", "stratum", "unit", "mark"], ["1", "企业", "a", "A"]]
    )
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:  # 3 MB of text, ~3 KB zipped
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (3 << 20) + b"</sst>")
    assert path.stat().st_size < 64 << 10
    monkeypatch.setattr(worksheet, "MAX_PART_BYTES", 1 << 20)
    problems, message = _problems(r, path)
    assert problems == [(str(path), None, "xl/sharedStrings.xml", "xlsx_too_large")]
    assert message.startswith("expands to 3,14")
    assert message.endswith(
        "bytes, more than the 1,048,576 a ballot workbook may hold: save the sheet as CSV"
    )


def test_a_sheet_that_expands_beyond_the_bound_is_refused(write, tmp_path, monkeypatch):
    round_ = load_round(write("round.yaml", ROUND))
    path = _book(tmp_path / "b.xlsx", _rows())
    monkeypatch.setattr(worksheet, "MAX_SHEET_BYTES", 100)
    problems, _ = _problems(round_, path)
    assert problems == [(str(path), None, "xl/worksheets/sheet1.xml", "xlsx_too_large")]
