"""pingyi's worksheet writer (report/sheetxml.py) writes the bytes openpyxl's own writer
writes, for every kind of cell a workbook may hold, and a table's body written with
shared styles (report/sheets.py ``table``) is the workbook cell-by-cell :func:`put` makes:
generated workbooks are saved both ways and compared byte for byte."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from pingyi.report.sheets import (
    FIXED_TIME,
    HEADER_FILL,
    LINE_HEIGHT,
    _FixedTimeZip,
    display_width,
    fit_columns,
    put,
    replaced,
    table,
    workbook_bytes,
)

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(" \t\n\r&<>\"'=+-@中"),
    max_size=12,
)
SPECIAL = ("=1+1", "#N/A", "  padded  ")
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from([date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5), *SPECIAL]),
)
STYLES = st.sampled_from(["", "bold", "fill", "format", "wrap", "comment", "link", "raw"])
CELLS = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 30), VALUES, STYLES), max_size=40)


def _workbook(cells: list[tuple[int, int, Any, str]], heights: list[int], sheets: int = 2) -> Workbook:
    wb = Workbook()
    second = wb.create_sheet("二")
    for n, (row, column, value, style) in enumerate(cells):
        ws = second if n % sheets else wb.active
        if style == "raw" and (not isinstance(value, str) or value in SPECIAL):  # openpyxl's own typing
            ws.cell(row=row, column=column).value = value
        else:
            put(ws, row, column, value, "0.00%" if style == "format" else None)
        cell = ws.cell(row=row, column=column)
        if style == "bold":
            cell.font = Font(bold=True)
        elif style == "fill":
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        elif style == "wrap":
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        elif style == "comment":
            cell.comment = Comment("note", "pingyi")
        elif style == "link":
            cell.hyperlink = "https://example.org/a?b=1&c=2"
    for row in heights:
        wb.active.row_dimensions[row].height = 30
    second.row_dimensions[7].height = 45  # a row with no cells
    return wb


def _openpyxl_bytes(wb: Workbook) -> bytes:
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "pingyi"
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return buffer.getvalue()


@settings(max_examples=40)
@given(CELLS, st.lists(st.integers(1, 8), max_size=3))
def test_worksheets_are_the_bytes_openpyxl_writes(cells, heights):
    assert workbook_bytes(_workbook(cells, heights)) == _openpyxl_bytes(_workbook(cells, heights))


def test_text_numbers_and_styles_of_a_report_sheet():
    """The common cells, spelled out: styled and plain text, integers, rounded rates,
    an empty styled cell, escaped markup."""
    cells = [
        (1, 1, "名次", "bold"),
        (1, 2, "a & <b>", "fill"),
        (2, 1, 1, ""),
        (2, 2, 0.9167, "format"),
        (2, 3, None, "fill"),
        (3, 1, "", ""),
        (3, 2, 12345678901234567890, ""),
        (4, 4, "  padded  ", ""),
    ]
    ours = workbook_bytes(_workbook(cells, [3], sheets=1))
    assert ours == _openpyxl_bytes(_workbook(cells, [3], sheets=1))
    sheet = zipfile.ZipFile(io.BytesIO(ours)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A1" s="1" t="inlineStr"><is><t>名次</t></is></c>' in sheet
    assert '<c r="B1" s="2" t="inlineStr"><is><t>a &amp; &lt;b&gt;</t></is></c>' in sheet
    assert '<c r="B2" s="3" t="n"><v>0.9167</v></c>' in sheet
    assert '<c r="C2" s="2" t="n" />' in sheet
    assert '<row r="3" ht="30" customHeight="1"><c r="A3" t="inlineStr" />' in sheet
    assert '<c r="B3" t="n"><v>1.234567890123457e+19</v></c>' in sheet
    assert '<t xml:space="preserve">  padded  </t>' in sheet


FILLS = st.sampled_from([None, HEADER_FILL, PatternFill("solid", fgColor="FFC7CE")])
FORMATS = st.sampled_from([None, "0.00", "0.00%", "0"])
BODY = st.one_of(
    st.none(),
    TEXT,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.booleans(),
    st.just(date(2026, 1, 2)),
)


def _put_table(
    ws: Any, top: int, headers: list[str], rows: list[list[Any]], formats: Any, fills: Any
) -> None:
    """What table() wrote before it shared styles: put() and the fill, cell by cell."""
    for column, heading in enumerate(headers, start=1):
        put(ws, top, column, heading)
        cell = ws.cell(row=top, column=column)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, values in enumerate(rows, start=top + 1):
        fill = fills[i - top - 1] if fills else None
        for column, value in enumerate(values, start=1):
            put(ws, i, column, value, formats[column - 1] if formats else None)
            if fill is not None:
                ws.cell(row=i, column=column).fill = fill


@settings(max_examples=40)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.tuples(
            st.just([f"h{n}" for n in range(width)]),
            st.lists(st.lists(BODY, min_size=width, max_size=width), max_size=12),
            st.lists(FORMATS, min_size=width, max_size=width) | st.none(),
            st.lists(FILLS, min_size=12, max_size=12) | st.none(),
        )
    ),
    st.integers(1, 3),
    st.integers(0, 4),
)
def test_a_table_is_the_workbook_put_writes(body, top, skip_rows):
    """Written and fitted (columns 8 wide at most, so some text wraps) both ways."""
    headers, rows, formats, fills = body
    books = []
    for write, fit in ((table, fit_columns), (_put_table, _iter_fit_columns)):
        wb = Workbook()
        for row, column in ((top + 1, 1), (top + 2, 1), (top + 3, 2)):  # cells the table writes over
            wb.active.cell(row=row, column=column).font = Font(italic=True)
        write(wb.active, top, headers, rows, formats, fills)
        fit(wb.active, maximum=8, skip_rows=skip_rows)
        books.append((workbook_bytes(wb), replaced(wb), wb.active._current_row))
    assert books[0] == books[1]


def _iter_fit_columns(ws: Any, minimum: int = 6, maximum: int = 60, skip_rows: int = 0) -> None:
    """What fit_columns did through ``ws.iter_rows``."""
    widths: dict[int, int] = {}
    wide: list[tuple[Any, int]] = []
    for row in ws.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is not None:
                width = display_width(cell.value)
                widths[cell.column] = max(widths.get(cell.column, 0), width)
                if width + 2 > maximum and isinstance(cell.value, str):
                    wide.append((cell, width))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, minimum), maximum)
    for cell, width in wide:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = -(-width // (maximum - 2))
        height = ws.row_dimensions[cell.row].height or LINE_HEIGHT
        ws.row_dimensions[cell.row].height = max(height, LINE_HEIGHT * lines)
