"""Writing worksheets people print: text that stays text, widths that fit Chinese, A4
landscape, frozen headers, highlighted rows, and a workbook whose bytes depend only on
its content (fixed timestamps), so report.xlsx is as reproducible as results.json.

Text from inputs may hold characters the XML of an xlsx file cannot (issue 10: a DOS
Ctrl-Z after a name); :func:`put` writes them visibly escaped and remembers each text it
changed, so the workbook can say so (:func:`replaced`, :func:`note_replaced`).
"""

from __future__ import annotations

import functools
import io
import unicodedata
import weakref
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pingyi.errors import PingyiError, Problem
from pingyi.flags import row_fill
from pingyi.report.escaping import xlsx_text
from pingyi.report.i18n import word
from pingyi.report.sheetxml import FastExcelWriter

FORMULA_STARTS = ("=", "+", "-", "@")
LINE_HEIGHT = 15  # points, one line of 11-point text
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CELLS_NAMED = 5  # a note on a replaced text names this many of its cells

#: Per workbook: each text written with characters replaced → the cells it went to.
_REPLACED: weakref.WeakKeyDictionary[Any, dict[str, list[str]]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Book:
    """A workbook's bytes and what a caller should tell people about it: each text from
    the inputs that had to be changed to be written."""

    data: bytes
    notes: list[str]


def put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> None:
    """Write one cell; text from inputs is always stored as text, never as a formula, and
    characters XML cannot hold are written as ``\\x1a`` (and remembered)."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        clean = xlsx_text(value)
        if clean != value:
            _REPLACED.setdefault(ws.parent, {}).setdefault(clean, []).append(f"{ws.title}!{cell.coordinate}")
            value = clean
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format and not isinstance(value, str) and value is not None:
        cell.number_format = number_format


def bold(ws: Worksheet, row: int, column: int, size: float | None = None) -> None:
    ws.cell(row=row, column=column).font = Font(bold=True, size=size)


def table(
    ws: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None] | None = None,
    fills: Sequence[PatternFill | None] | None = None,
) -> int:
    """A header row and rows from ``top``; returns the next free row."""
    for column, heading in enumerate(headers, start=1):
        put(ws, top, column, heading)
        cell = ws.cell(row=top, column=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles: dict[tuple[Any, ...], Any] = {}
    for i, values in enumerate(rows, start=top + 1):
        fill = fills[i - top - 1] if fills else None
        for column, value in enumerate(values, start=1):
            _body_cell(ws, i, column, value, formats[column - 1] if formats else None, fill, styles)
    return top + len(rows) + 1


_NEW_CELL = Cell.__new__


def _body_cell(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    number_format: str | None,
    fill: PatternFill | None,
    styles: dict[tuple[Any, ...], StyleArray | None],
) -> None:
    """:func:`put` and the row's fill, for one cell of a table's body.

    A table's cells repeat a few styles (a number format, a flag's fill): the first cell
    of each is written by :func:`put`, which registers its styles with the workbook in
    the order the bytes of styles.xml depend on, and the later ones copy its style and
    skip openpyxl's value checks (a city round's 分层面 sheet has 15,000 cells)."""
    kind = type(value)
    key: tuple[Any, ...] | None = None
    if kind is str:
        if xlsx_text(value) == value:  # else put() writes it escaped and remembers it
            key = ("s", value.startswith(FORMULA_STARTS), id(fill))
    elif kind is int or kind is float or value is None:
        key = ("n", None if value is None else number_format, id(fill))
    fresh = (row, column) not in ws._cells
    if key is None or key not in styles or not fresh:
        put(ws, row, column, value, number_format)
        cell = ws.cell(row=row, column=column)
        if fill is not None:
            cell.fill = fill
        if key is not None and fresh:
            styles[key] = None if cell._style is None else StyleArray(cell._style)
        return
    style = styles[key]
    cell = _NEW_CELL(Cell)  # what Cell(ws, row, column, style_array=style) sets, without two __init__s
    cell.parent, cell._style = ws, None if style is None else StyleArray(style)
    cell.row, cell.column, cell._hyperlink, cell._comment = row, column, None, None
    if kind is str:
        cell._value, cell.data_type = value[:32767], "s"  # openpyxl's limit, as its value check cuts
    else:
        cell._value, cell.data_type = value, "n"
    ws._cells[(row, column)] = cell  # and ws._add_cell's row count:
    if row > ws._current_row:
        ws._current_row = row


def display_width(value: Any) -> int:
    """Columns a value takes on screen: CJK characters count two."""
    text = "" if value is None else str(value)
    if text.isascii():  # numbers, codes: every character one column
        return len(text)
    return _cjk_width(text)


@functools.lru_cache(maxsize=4096)
def _cjk_width(text: str) -> int:
    """A Chinese text's width, remembered: a workbook repeats its unit and stratum names
    (the 分层面 sheet names each unit 11 times and each stratum 103 times)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_columns(ws: Worksheet, minimum: int = 6, maximum: int = 60, skip_rows: int = 0) -> None:
    """Widths that fit each column's widest text; text wider than ``maximum`` wraps.
    The first ``skip_rows`` rows (a title) overflow to the right instead.

    The cells are visited as ``ws.iter_rows`` visits them, row by row across the used
    columns, making the empty cells of the gaps as it does (a row of them is written as
    an empty ``<row>``), but looked up in the worksheet's own dict: ``ws.cell`` checks
    each of a city round's 17,000 cells."""
    widths: dict[int, int] = {}
    wide: list[tuple[Any, int]] = []
    cells = ws._cells
    last_column = ws.max_column
    for row in range(skip_rows + 1, ws.max_row + 1):
        for column in range(1, last_column + 1):
            cell = cells.get((row, column))
            if cell is None:
                ws.cell(row=row, column=column)
                continue
            value = cell._value
            if value is not None:
                width = display_width(value)
                widths[column] = max(widths.get(column, 0), width)
                if width + 2 > maximum and isinstance(value, str):
                    wide.append((cell, width))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, minimum), maximum)
    for cell, width in wide:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = -(-width // (maximum - 2))  # a wrapped cell's row grows to show it all
        height = ws.row_dimensions[cell.row].height or LINE_HEIGHT
        ws.row_dimensions[cell.row].height = max(height, LINE_HEIGHT * lines)


def for_print(ws: Worksheet, header_row: int | None = None, title: str | None = None) -> None:
    """A4 landscape, fit to one page wide, the header row frozen and repeated on each page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if header_row is not None:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
    if title:
        ws.oddHeader.center.text = xlsx_text(title).replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def flag_fill(flags: Sequence[str]) -> PatternFill | None:
    """The row fill of a unit with ``flags``, from the flags table."""
    colour = row_fill(flags)
    return None if colour is None else _solid(colour)


@functools.cache
def _solid(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def sheet_title(text: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts: at most 31 characters (UTF-16 units, as Excel counts
    them), none of []:*?/\\, no apostrophe first or last, not blank, not ``History`` (Excel
    keeps it for itself), and unique whatever the case (Excel takes ``Local`` and ``local``
    for one name, and repairs the workbook)."""
    clean = _excel_length("".join("_" if ch in "[]:*?/\\" else ch for ch in xlsx_text(text)), 31)
    if clean.startswith("'"):
        clean = "_" + clean[1:]
    if clean.endswith("'"):
        clean = clean[:-1] + "_"
    if not clean.strip():
        clean = "sheet"
    used = {name.casefold() for name in taken} | {"history"}
    name, n = clean, 2
    while name.casefold() in used:
        suffix = f"({n})"
        name, n = _excel_length(clean, 31 - len(suffix)) + suffix, n + 1
    taken.add(name)
    return name


def _excel_length(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters as Excel counts them: UTF-16 units, so a
    character beyond the BMP (CJK extension B: 𠀀) counts two."""
    while len(text.encode("utf-16-le")) > 2 * limit:
        text = text[:-1]
    return text


def replaced(wb: Workbook, lang: str = "zh") -> list[str]:
    """One note per text written with characters replaced, naming where it went:
    ``市委办\\x1a：地方管理部门!B5、分层面!B2``, in the order first written."""
    notes = []
    for text, cells in _REPLACED.get(wb, {}).items():
        where = ("、" if lang == "zh" else ", ").join(cells[:CELLS_NAMED])
        if len(cells) > CELLS_NAMED:
            where += word("and_more", lang, n=len(cells) - CELLS_NAMED)
        notes.append(f"{text}{'：' if lang == 'zh' else ': '}{where}")
    return notes


def note_replaced(ws: Worksheet, top: int, notes: list[str], lang: str) -> int:
    """The notes of :func:`replaced` under a heading from row ``top``; the next free row."""
    if not notes:
        return top
    put(ws, top, 1, word("replaced", lang))
    bold(ws, top, 1)
    put(ws, top + 1, 1, word("replaced_how", lang))
    for i, note in enumerate(notes, start=top + 2):
        put(ws, i, 1, note)
    return top + 2 + len(notes)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time, so equal content gives equal bytes."""

    def writestr(
        self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        with open(filename, "rb") as f:
            self.writestr(arcname or str(filename), f.read())


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as xlsx bytes that depend only on its content (and not on whether lxml
    is installed: pingyi/__init__.py keeps openpyxl on its own XML writer)."""
    import openpyxl

    if openpyxl.LXML:
        raise PingyiError(
            [
                Problem(
                    "report.xlsx",
                    None,
                    "",
                    "lxml_writer",
                    "openpyxl was imported with lxml before pingyi, so workbook bytes would differ "
                    "from every other machine; import pingyi first, or set OPENPYXL_LXML=False",
                )
            ]
        )
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "pingyi"
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    FastExcelWriter(wb, archive).save()
    return buffer.getvalue()
