"""The long layout: one row per mark (sheet, stratum, unit, [item,] mark), pivoted to sheets.

Typed-in ballots and some web exports come this way. A round's long files are pivoted
together (:class:`LongSheets`; they are typed, so they are small): rows are grouped by
sheet id across all of them, so a sheet whose rows are split across files is one sheet.
Each sheet takes the file, line and stratum of its first row, and two different marks
for one unit on one sheet are an invalid mark. A sheet whose rows name different strata,
a unit or an item not in the round, is rejected (``conflicting_stratum``,
``unknown_unit``, ``unknown_item``) through the batch's ``preset``. A round with items
names each row's item in the ``ballots.item`` column; a numeric round's marks are numbers
(numeric.py).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pingyi.ballots import sniff
from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.decode import BadBytes, DecodingReader, text_end
from pingyi.ballots.files import BallotFile, FileNotes
from pingyi.ballots.header import csv_header, header_only, parse_options, require
from pingyi.ballots.lines import (
    RowLines,
    blank_rows_as_empty_lines,
    first_line_longer,
    line_at,
    row_breaks,
    text_breaks,
)
from pingyi.ballots.marks import MarkCodes
from pingyi.ballots.ranges import has_quotes
from pingyi.ballots.runaway import RowShape, field_at, refuse_runaway_quotes, refuse_swallowed_rows
from pingyi.ballots.worksheet import Worksheet
from pingyi.ballots.xlsx import column_table, csv_text, overlong
from pingyi.round.models import Round

LONG_BLOCK = 1 << 20  # a long file is parsed whole, in blocks of this size (pyarrow's default)


class LongSheets:
    """A round's long files, pivoted together: the rows of one sheet id make one sheet
    whichever files they are in, so the result does not depend on how the rows are split
    across files (SPEC), just as it does not depend on their order within a file. A sheet
    belongs to the file of its first row (files in the run's order, then rows in file
    order), and takes that row's line and stratum.

    Every file is read when the first is asked for, since a sheet's last row may be in the
    last file. Long files are typed (small), so they are held whole."""

    def __init__(self, r: Round, codes: MarkCodes, files: list[BallotFile]) -> None:
        self.r, self.codes, self.files = r, codes, files
        self.read: dict[int, tuple[_Sheets | None, FileNotes]] | None = None

    def batches(self, source: BallotFile) -> Generator[Batch, None, FileNotes]:
        """The sheets whose first row is in ``source``, as one batch; returns what reading
        that file noticed. A fresh batch each time (corrections change a batch's marks)."""
        if self.read is None:
            self.read = self._read_all()
        sheets, notes = self.read[source.index]
        if sheets is not None:
            yield sheets.batch(source.index)
        return notes

    def _read_all(self) -> dict[int, tuple[_Sheets | None, FileNotes]]:
        b = self.r.ballots
        names = [b.sheet_id, b.stratum, b.unit] + ([b.item] if self.r.items else []) + [b.mark]
        names += [b.form] if b.form else []
        tables, lines, file_of_row, broken, notes = [], [], [], [], {}
        for source in self.files:
            read = _long_table(self.r, source, sniff.file_kind(source), names)
            noticed = blank_rows_as_empty_lines(read.notes, b.delimiter)
            where = source.display if len(self.files) > 1 else "line"  # whose line a detail names
            table, at, details = _with_malformed_rows(read, noticed.malformed, names, b.delimiter, where)
            tables.append(table)
            lines.append(at)
            file_of_row.append(np.full(table.num_rows, source.index, dtype=np.int64))
            broken += details
            notes[source.index] = replace(noticed, malformed=())  # each is in its sheet now
        read_files: dict[int, tuple[_Sheets | None, FileNotes]] = {i: (None, n) for i, n in notes.items()}
        if not sum(t.num_rows for t in tables):
            return read_files
        schema = pa.schema([(name, pa.string()) for name in names])
        table = pa.concat_tables([t.cast(schema) for t in tables])
        every_line = np.concatenate(lines)
        sheets = _pivot(self.r, self.codes, table, every_line, broken)
        file_of_sheet = np.concatenate(file_of_row)[sheets.first]
        for index in notes:
            mine = np.flatnonzero(file_of_sheet == index)
            if len(mine):
                read_files[index] = (sheets.select(mine), notes[index])
        return read_files


def _with_malformed_rows(
    read: _LongFile, malformed: tuple[tuple[int, str], ...], names: list[str], delimiter: str, where: str
) -> tuple[pa.Table, np.ndarray, list[str]]:
    """A file's rows with its malformed rows among them, in line order, and each row's
    detail ('' for a good row). A malformed row becomes a row of its sheet (by the field
    where the sheet id should be, read as CSV: quotes kept together) with nothing else read
    from it, so the sheet is rejected as ``malformed_row``, rather than counted without
    that row's mark beside a phantom sheet made of the row itself."""
    ids = [field_at(text, delimiter, read.sheet_at) for _, text in malformed]
    empty = [""] * len(ids)
    bad = pa.table({name: pa.array(ids if k == 0 else empty, pa.string()) for k, name in enumerate(names)})
    details = [""] * read.table.num_rows
    for line, text in malformed:
        shown = text[:80].replace("\r", "\\r").replace("\n", "\\n")
        place = f"line {line}" if where == "line" else f"{where}:{line}"
        details.append(f"{place}: wrong number of fields: {shown}")
    at = np.concatenate([read.lines, np.array([line for line, _ in malformed], dtype=np.int64)])
    order = np.argsort(at, kind="stable")
    schema = pa.schema([(name, pa.string()) for name in names])
    table = pa.concat_tables([read.table.cast(schema), bad.cast(schema)]).take(pa.array(order))
    return table, at[order], [details[i] for i in order.tolist()]


@dataclass
class _Sheets:
    """Pivoted sheets: per sheet its first row, line, id, stratum, form, marks, numbers
    and the reason already known."""

    first: np.ndarray
    lines: np.ndarray
    sheet: pa.Array
    stratum: np.ndarray
    form: np.ndarray
    marks: np.ndarray
    values: np.ndarray | None
    raw_stratum: pa.Array
    raw_form: pa.Array | None
    preset: np.ndarray
    details: dict[int, str]  # sheet -> the words of its preset reason, where they are known

    def select(self, rows: np.ndarray) -> _Sheets:
        take = pa.array(rows)
        return _Sheets(
            self.first[rows],
            self.lines[rows],
            self.sheet.take(take),
            self.stratum[rows],
            self.form[rows],
            self.marks[rows],
            self.values[rows] if self.values is not None else None,
            self.raw_stratum.take(take),
            self.raw_form.take(take) if self.raw_form is not None else None,
            self.preset[rows],
            {i: self.details[k] for i, k in enumerate(rows.tolist()) if k in self.details},
        )

    def batch(self, file: int) -> Batch:
        batch = Batch(
            file,
            self.lines,
            self.sheet,
            self.stratum,
            self.form,
            self.marks.copy(),
            self.raw_stratum,
            self.raw_form,
            (),
            self.preset.copy(),
            dict(self.details),
        )
        batch.values = self.values.copy() if self.values is not None else None
        return batch


def _pivot(r: Round, codes: MarkCodes, table: pa.Table, lines: np.ndarray, broken: list[str]) -> _Sheets:
    """The sheets of long rows ``table`` (at lines ``lines``), grouped by sheet id; a row
    with a ``broken`` detail (a malformed row) rejects its sheet as ``malformed_row``."""
    b = r.ballots
    sheet_text = pc.utf8_trim_whitespace(table.column(b.sheet_id).combine_chunks())
    sheet_codes = pc.dictionary_encode(sheet_text)  # codes in order of first appearance
    sheet_of_row = sheet_codes.indices.to_numpy(zero_copy_only=False)
    n = len(sheet_codes.dictionary)
    unit_of_row = _positions(table, b.unit, {b.columns.get(u.id, u.id): i for i, u in enumerate(r.units)})
    items = max(len(r.items), 1)
    if r.items:
        item_of_row = _positions(table, b.item, {item.id: j for j, item in enumerate(r.items)})
    else:
        item_of_row = np.zeros(table.num_rows, dtype=np.int64)
    cell_of_row = np.where((unit_of_row >= 0) & (item_of_row >= 0), unit_of_row * items + item_of_row, -1)
    texts = table.column(b.mark).to_pylist()
    if codes.numeric is not None:
        mark_of_row, value_of_row = codes.numeric.decode(texts)
    else:
        mark_of_row, value_of_row = codes.lookup(texts), np.zeros(table.num_rows, dtype=np.int64)
    strata = {s.id: i for i, s in enumerate(r.strata)}
    stratum_of_row = np.fromiter(
        (strata.get(v.strip(), -1) for v in table.column(b.stratum).to_pylist()), np.int16, table.num_rows
    )
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, sheet_of_row, np.arange(table.num_rows))
    preset = np.zeros(n, dtype=np.int8)
    stratum = stratum_of_row[first]
    preset[np.unique(sheet_of_row[stratum_of_row != stratum[sheet_of_row]])] = Reason.conflicting_stratum
    preset[np.unique(sheet_of_row[(unit_of_row >= 0) & (item_of_row < 0)])] = Reason.unknown_item
    preset[np.unique(sheet_of_row[unit_of_row < 0])] = Reason.unknown_unit
    details: dict[int, str] = {}
    for row in np.flatnonzero(np.array([bool(text) for text in broken], dtype=bool)).tolist():
        sheet = int(sheet_of_row[row])
        preset[sheet] = Reason.malformed_row
        details.setdefault(sheet, broken[row])
    cells = len(r.units) * items
    marks = np.full((n, cells), codes.blank, dtype=np.int8)
    values = np.zeros((n, cells), dtype=np.int64)
    known = cell_of_row >= 0
    rows, cell = sheet_of_row[known], cell_of_row[known]
    mark, value = mark_of_row[known], value_of_row[known]
    key = value * 16 + mark  # a mark and its number, one integer
    seen = np.full((n, cells), -1, dtype=np.int64)
    seen[rows, cell] = key
    marks[rows, cell] = mark
    values[rows, cell] = value
    twice = seen[rows, cell] != key  # two different marks for one cell on one sheet
    marks[rows[twice], cell[twice]] = codes.invalid
    values[rows[twice], cell[twice]] = 0
    raw_stratum = table.column(b.stratum).combine_chunks().take(pa.array(first))
    if b.form and r.forms:
        form_ids = {f: i for i, f in enumerate(r.forms)}
        raw_form = table.column(b.form).combine_chunks().take(pa.array(first))
        form = np.fromiter((form_ids.get(str(v).strip(), -1) for v in raw_form.to_pylist()), np.int16, n)
    else:
        raw_form, form = None, np.zeros(n, dtype=np.int16)
    return _Sheets(
        first,
        lines[first],
        sheet_codes.dictionary,
        stratum,
        form,
        marks,
        values if codes.numeric is not None else None,
        raw_stratum,
        raw_form,
        preset,
        details,
    )


def _positions(table: pa.Table, column: str, position: dict[str, int]) -> np.ndarray:
    """Each row's index of the id its ``column`` names (-1 for an unknown id)."""
    names = [v.strip() for v in table.column(column).to_pylist()]
    return np.fromiter((position.get(v, -1) for v in names), np.int64, len(names))


@dataclass
class _LongFile:
    """One long file's rows with anything in them (columns ``names``), their lines, what
    reading noticed, and where the sheet id is in its rows (for its malformed rows)."""

    table: pa.Table
    lines: np.ndarray
    notes: FileNotes
    sheet_at: int


def _long_table(r: Round, source: BallotFile, kind: str, names: list[str]) -> _LongFile:
    """The long file's rows with anything in them, their lines, and what reading noticed."""
    if kind == "xlsx":
        return _xlsx_table(r, source, names)
    start = sniff.sample(source)
    encoding = sniff.encoding(r, source, start)
    quoted = has_quotes(source)
    header = csv_header(source, encoding, r.ballots.delimiter, quoted)
    own = require(source, header, names, r.ballots.delimiter)
    size = source.path.stat().st_size
    if header_only(source):  # a header with no line break after it: no rows
        empty = pa.table({name: pa.array([], pa.string()) for name in names})
        return _LongFile(empty, np.zeros(0, dtype=np.int64), FileNotes(encoding.codec, bytes_read=size), 0)
    read = header if quoted else own  # a quoted file is read whole, to see line breaks in any cell
    where = RowLines(2, sum(text_breaks(name) for name in header))

    def on_invalid_row(row: Any) -> str:
        where.skip(row.number or 0, row.text)
        return "skip"

    with open(source.path, "rb") as raw:
        try:
            table = pacsv.read_csv(
                DecodingReader(raw, 0, text_end(source.path), encoding.codec),  # no DOS end-of-file tail
                read_options=pacsv.ReadOptions(encoding="utf8", use_threads=False, block_size=LONG_BLOCK),
                parse_options=parse_options(r.ballots.delimiter, quoted, on_invalid_row),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in read},
                    include_columns=read,
                    strings_can_be_null=False,
                ),
            )
        except BadBytes as bad:
            raise encoding.bad_bytes(source, line_at(source.path, 0, bad.offset)) from None
        except pa.ArrowInvalid as exc:  # read whole: the line of a row too long is looked for
            line = (
                first_line_longer(source.path, LONG_BLOCK, encoding.codec)
                if "straddling" in str(exc)
                else None
            )
            raise sniff.read_error(source, exc, line, quoted) from None
    breaks = row_breaks(table) if quoted else None
    lines = where.kept(table.num_rows, breaks)
    shape = RowShape(
        len(header), r.ballots.delimiter, header.index(own[1]), frozenset(s.id for s in r.strata)
    )
    refuse_swallowed_rows(source, table, lines, breaks, shape, set(own))
    malformed = where.finish()
    refuse_runaway_quotes(source, malformed, shape)
    table = table.select(own).rename_columns(names)
    filled = np.zeros(table.num_rows, dtype=bool)
    for name in names:
        text = pc.utf8_trim_whitespace(table.column(name).combine_chunks())
        filled |= pc.not_equal(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    empty = int((~filled).sum())
    notes = FileNotes(encoding.codec, (), tuple(malformed), empty, size)
    return _LongFile(table.filter(pa.array(filled)), lines[filled], notes, header.index(own[0]))


def _xlsx_table(r: Round, source: BallotFile, names: list[str]) -> _LongFile:
    """A long workbook's rows with anything in the columns read (a row with only a note
    in another column is an empty line, as in a CSV file), their lines, and what reading
    noticed."""
    sheet = Worksheet(source, r.ballots.sheet)
    try:
        require(source, sheet.header, names, r.ballots.delimiter)  # xlsx header cells are trimmed
        position = {name: i for i, name in enumerate(sheet.header)}
        rows = list(sheet.body(names, ids=names[0]))
    finally:
        sheet.close()
    shifted = [(line, row) for line, row in rows if overlong(sheet.header, row)]
    malformed = tuple((line, csv_text(row, r.ballots.delimiter)) for line, row in shifted)
    read = [position[name] for name in names]
    body = [
        (line, row)
        for line, row in rows
        if not overlong(sheet.header, row) and any(i < len(row) and row[i].strip() for i in read)
    ]
    empty = len(rows) - len(shifted) - len(body)
    notes = FileNotes("xlsx", (), malformed, empty, source.path.stat().st_size)
    lines = np.array([line for line, _ in body], dtype=np.int64)
    return _LongFile(column_table(names, position, body), lines, notes, position[names[0]])
