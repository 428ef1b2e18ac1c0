"""One worksheet of a ballot workbook, read as rows of cell texts, refusing what Excel shows
but a reader would get wrong (issue 10 b).

Two kinds of cell look filled in Excel and read as blank (弃权, worth 0.5 under 2:1:0):

- a formula with no cached value: a workbook written by a program and never calculated
  in Excel holds the formula only, and openpyxl reads no value;
- a merged range: only its first cell holds the value, the others are empty.

Both are errors naming the cell, when they fall in a column the round reads, rather than
invalid marks: a wrong value here is not a voter's mistake but the file's, and fixing the
file (calculate and save it, unmerge and fill the cells) gives the true marks back. A
merged range is reported once the sheet is read (Excel stores merges after the cells).

The sheet's XML is parsed by openpyxl's streaming worksheet parser, driven here, not by
read-only ``iter_rows``: so the formula's missing value can be told from an empty cell,
merges are seen, and the sheet's declared dimension (which can be wrong) never cuts rows.

Before openpyxl opens a workbook, the sizes its parts declare in the zip are bounded
(issue 10 h: a 2.5 MB file with a 648 MB sharedStrings part took 1.2 GB, since openpyxl
reads that part whole). A part read whole may expand to MAX_PART_BYTES (about twice that
in memory), a worksheet, which is streamed, to MAX_SHEET_BYTES (Excel's largest sheet of
100 columns is about 4 GB of XML). The declared sizes are trustworthy bounds: Python's
zipfile never yields more than a part declares, and a part that is really larger fails
its CRC check (a damaged workbook).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from pingyi.ballots.files import BallotFile

Rows = Iterator[tuple[int, list[str]]]  # (Excel row number, cell texts)

MAX_PART_BYTES = 128 << 20  # a part openpyxl reads whole (shared strings, styles, the workbook)
MAX_SHEET_BYTES = 6 << 30  # a worksheet's XML, streamed but parsed byte by byte


class _NoValue:
    """The value of a formula cell with no cached value."""


NO_VALUE = _NoValue()


class _Zeros(str):
    """A whole number its cell's number format shows with leading zeros (``0000``: 1 shows
    as ``0001``), as the text Excel shows and a CSV saved from the workbook holds: so a
    sheet id typed as a number is the id on the paper sheet. ``plain`` is the number."""

    plain: str


class Worksheet:
    """The ballot worksheet of a workbook: its header (row 1), then its rows. Close it."""

    def __init__(self, source: BallotFile, sheet_name: str | None) -> None:
        from openpyxl import load_workbook

        self.source = source
        _refuse_large_parts(source)
        try:
            self.book = load_workbook(source.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise source.problem("not_xlsx", f"cannot be opened as a workbook: {exc}") from None
        if sheet_name is not None and sheet_name not in self.book.sheetnames:
            names = ", ".join(self.book.sheetnames)
            self.book.close()
            raise source.problem("missing_sheet", f"has no worksheet '{sheet_name}' (it has: {names})")
        self.sheet = self.book[sheet_name] if sheet_name else self.book.worksheets[0]
        self.stream = self.book._archive.open(self.sheet._worksheet_path)
        self.parser = self._parser()
        self.rows = self._parse()
        first = next(self.rows, None)
        self.header: list[str] = []
        self.waiting: list[tuple[int, list[Any]]] = []
        if first is not None and first[0] == 1:
            self.header = [_text(v) if v is not NO_VALUE else "" for v in first[1]]
        elif first is not None:
            self.waiting.append(first)

    def body(self, names: list[str], ids: str | None = None) -> Rows:
        """The rows after the header; the columns ``names`` (header names) are read, so a
        formula without a value or a merged range there is an error. Numbers in column
        ``ids`` (the sheet id) are the text their cell shows (leading zeros kept)."""
        read = {i: name for i, name in enumerate(self.header) if name in set(names)}
        shown = {i for i, name in enumerate(self.header) if ids is not None and name == ids}
        expected = 2
        for line, values in [*self.waiting, *self.rows]:
            for _ in range(expected, line):  # rows Excel does not store are empty
                yield expected, []
                expected += 1
            expected = line + 1
            texts = []
            for i, value in enumerate(values):
                if value is NO_VALUE:
                    if i in read:
                        raise self._formula_error(line, i, read[i])
                    value = None
                if isinstance(value, _Zeros) and i not in shown:
                    value = value.plain
                texts.append(_text(value))
            yield line, texts
        self._refuse_merges(read)

    def close(self) -> None:
        self.stream.close()
        self.book.close()

    def _parser(self) -> Any:
        from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

        book = self.book
        parser = WorkSheetParser(
            self.stream,
            self.sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        plain = parser.parse_cell

        def parse_cell(element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = plain(element)
            value = cell["value"]
            if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
                zeros = _zero_format(book, cell["style_id"])
                if zeros:
                    shown = _Zeros(str(int(value)).zfill(zeros))
                    shown.plain = str(int(value))
                    cell["value"] = shown
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cached = element.find(VALUE_TAG)
                # no <v>, or an empty one for a number (only a text result can be empty)
                if cached is None or element.get("t", "n") == "n":
                    cell["value"] = NO_VALUE
            return cell

        parser.parse_cell = parse_cell
        return parser

    def _parse(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values by column) of every stored row, in order."""
        try:
            for line, cells in self.parser.parse():
                values: list[Any] = [None] * max((c["column"] for c in cells), default=0)
                for cell in cells:
                    values[cell["column"] - 1] = cell["value"]
                yield line, values
        except Exception as exc:  # a damaged sheet: openpyxl and the XML parser raise many kinds
            raise self.source.problem("not_xlsx", f"cannot be read as a workbook: {exc}") from None

    def _formula_error(self, line: int, index: int, name: str) -> Exception:
        from openpyxl.utils import get_column_letter

        return self.source.problem(
            "xlsx_formula",
            f"cell {get_column_letter(index + 1)}{line}: a formula with no cached value (the workbook "
            "was saved without calculating it): open and save it in Excel, or paste the values",
            line=line,
            column=name,
        )

    def _refuse_merges(self, read: dict[int, str]) -> None:
        from openpyxl.utils.cell import range_boundaries

        merged = self.parser.merged_cells
        for cells in merged.mergeCell if merged is not None else []:
            first_column, first_row, last_column, _ = range_boundaries(cells.ref)
            hit = [read[i] for i in range(first_column - 1, last_column) if i in read]
            if hit:
                raise self.source.problem(
                    "xlsx_merged",
                    f"cells {cells.ref} are merged: only the first holds a value, the others would "
                    "read as blank; unmerge them and fill every cell",
                    line=first_row,
                    column=hit[0],
                )


def _refuse_large_parts(source: BallotFile) -> None:
    """An error naming the first part of the zip that declares more than its bound."""
    try:
        with zipfile.ZipFile(source.path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise source.problem("not_xlsx", f"cannot be opened as a workbook: {exc}") from None
    for part in parts:
        sheet = part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")
        limit = MAX_SHEET_BYTES if sheet else MAX_PART_BYTES
        if part.file_size > limit:
            raise source.problem(
                "xlsx_too_large",
                f"expands to {part.file_size:,} bytes, more than the {limit:,} a ballot workbook may "
                "hold: save the sheet as CSV",
                column=part.filename,
            )


def _zero_format(book: Any, style_id: Any) -> int:
    """The width of a cell's number format made only of zeros (``0000`` → 4), else 0."""
    try:
        number = book._cell_styles[int(style_id)].numFmtId
        text = book._number_formats[number - 164] if number >= 164 else ""
    except (IndexError, ValueError, TypeError, AttributeError):
        return 0
    return len(text) if len(text) > 1 and set(text) == {"0"} else 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
