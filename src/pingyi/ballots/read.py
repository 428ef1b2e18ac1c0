"""Read scanned ballot files into normalised batches: CSV (streamed) and XLSX, wide or long.

What card readers and typists actually produce: UTF-8 with or without BOM, GB18030/GBK
from Chinese Windows software, XLSX, unit columns named Q1..Qn, codes ``1/2/3`` or ``√``.
A file that is not what its extension says, a wrong delimiter, a total row (合计), or
bytes that do not decode stop the run with file and line; a malformed row is a rejected
sheet, never a silently wrong count. CSV is parsed by pyarrow in blocks, so memory does
not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import mmap
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.marks import MarkCodes
from pingyi.errors import PingyiError, Problem
from pingyi.round.models import Round

BLOCK_SIZE = 4 << 20
RANGE_BYTES = 8 << 20  # a large UTF-8 file is cut into ranges of this size …
READERS = 2  # … read by this many threads
XLSX_BATCH = 20_000
TOTAL_WORDS = ("合计", "总计", "小计", "total", "sum")
_DICT = pa.dictionary(pa.int32(), pa.string())


@dataclass
class BallotFile:
    """One input file and what reading it found besides sheets."""

    path: Path
    display: str
    index: int
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line, text)
    empty_lines: int = 0
    unused_columns: list[str] = field(default_factory=list)
    encoding: str = ""
    bytes_read: int = 0
    newlines: int = 0

    def problem(self, code: str, message: str, line: int | None = None, column: str = "") -> PingyiError:
        return PingyiError([Problem(self.display, line, column, code, message)])


class _Counting(io.RawIOBase):
    """A file wrapper that reads at most ``limit`` bytes, counts them for the progress bar
    (on the whole file's record) and counts the newlines of its range (on ``part``)."""

    def __init__(self, raw: BinaryIO, source: BallotFile, part: BallotFile, limit: int) -> None:
        self.raw, self.source, self.part, self.left = raw, source, part, limit
        self.count_lines = part is not source  # only a range's lines need counting

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)[: max(self.left, 0)]
        n = self.raw.readinto(view) or 0
        self.left -= n
        self.source.bytes_read += n
        if self.count_lines:
            self.part.newlines += view[:n].tobytes().count(b"\n")
        return n


Prepare = Callable[[Batch], None]


def read_batches(
    r: Round, codes: MarkCodes, source: BallotFile, prepare: Prepare | None = None
) -> Iterator[Batch]:
    """All sheets of one file, as normalised batches, in file order.

    ``prepare`` is applied to each CSV batch by the thread that read it, so work that
    needs only the batch runs in parallel with the other readers.
    """
    kind = _sniff(source)
    if r.ballots.layout == "long":
        yield from _long_batches(r, codes, source, kind)
    elif kind == "xlsx":
        yield from _xlsx_batches(r, codes, source)
    else:
        yield from _csv_batches(r, codes, source, prepare)


# --- what a file is ------------------------------------------------------------------------


def _sniff(source: BallotFile) -> str:
    """'csv' or 'xlsx', from the content; an extension that lies is an error."""
    if not source.path.is_file():
        raise source.problem("file_not_found", "file not found")
    with open(source.path, "rb") as f:
        head = f.read(8)
    is_zip = head.startswith(b"PK\x03\x04")
    is_xlsx_name = source.path.suffix.lower() in (".xlsx", ".xlsm")
    if is_xlsx_name and not is_zip:
        raise source.problem(
            "not_xlsx", "is named .xlsx but is not an Excel workbook (rename it to .csv if it is text)"
        )
    if is_zip and not is_xlsx_name:
        raise source.problem(
            "not_csv", "is an Excel workbook or other zip file, not CSV (rename it to .xlsx)"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise source.problem("not_csv", "is an old Excel .xls file: save it as .xlsx or CSV")
    return "xlsx" if is_zip else "csv"


def _encoding(r: Round, source: BallotFile, sample: bytes) -> str:
    """The file's encoding: the round's, or detected among UTF-8, UTF-8 BOM and GB18030."""
    wanted = r.ballots.encoding
    if wanted != "auto":
        return "utf-8" if wanted == "utf-8-sig" else wanted
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if b"\x00" in sample:
        raise source.problem(
            "not_csv",
            "holds NUL bytes: not a text CSV file (UTF-16 is not supported; save it as UTF-8 or GB18030)",
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise source.problem(
        "encoding", "is neither UTF-8 nor GB18030 text (set ballots.encoding in the round file)", line=1
    )


def _first_bad_line(source: BallotFile, encoding: str, start: int = 0, end: int | None = None) -> int | None:
    """Where decoding fails (counted from ``start``), to name the line in the error."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(source.path, "rb") as f:
        f.seek(start)
        position = start
        for number, raw in enumerate(f, start=1):  # line by line: the file may be large
            if end is not None and position >= end:
                break
            position += len(raw)
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None


# --- header and columns ---------------------------------------------------------------------


@dataclass
class _Columns:
    sheet: str
    stratum: str
    form: str | None
    units: dict[int, str]  # unit index -> column name present in the file
    missing_units: tuple[int, ...]


def _columns(r: Round, source: BallotFile, header: list[str]) -> _Columns:
    b = r.ballots
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise source.problem("duplicate_column", f"column '{name}' appears twice", line=1, column=name)
        seen.add(name)
    fixed = [b.sheet_id, b.stratum] + ([b.form] if b.form else [])
    missing = [c for c in fixed if c not in seen]
    if missing:
        raise source.problem(
            "missing_column", _missing_message(missing, header, b.delimiter), line=1, column=missing[0]
        )
    wanted = {i: b.columns.get(u.id, u.id) for i, u in enumerate(r.units)}
    units = {i: c for i, c in wanted.items() if c in seen}
    absent = tuple(i for i in wanted if i not in units)
    if absent and not r.forms:
        names = ", ".join(f"{wanted[i]} ({r.units[i].id})" for i in absent[:8])
        more = f" and {len(absent) - 8} more" if len(absent) > 8 else ""
        raise source.problem(
            "missing_column",
            f"no column for unit(s) {names}{more} (map unit ids to the file's columns in ballots.columns)",
            line=1,
            column=wanted[absent[0]],
        )
    source.unused_columns = [c for c in header if c not in set(fixed) | set(units.values())]
    return _Columns(b.sheet_id, b.stratum, b.form, units, absent)


def _missing_message(missing: list[str], header: list[str], delimiter: str) -> str:
    text = f"missing column(s) {', '.join(missing)} (header has: {', '.join(header[:10])}"
    text += ", …)" if len(header) > 10 else ")"
    if len(header) == 1:
        for other in (";", "\t", "|", "，", ","):
            if other != delimiter and other in header[0]:
                shown = {"\t": "tab"}.get(other, other)
                return (
                    f"wrong delimiter: the header is one column '{header[0][:60]}'; the file "
                    f"seems to use '{shown}' (set ballots.delimiter)"
                )
    return text


# --- wide CSV ---------------------------------------------------------------------------------


def _csv_batches(r: Round, codes: MarkCodes, source: BallotFile, prepare: Prepare | None) -> Iterator[Batch]:
    with open(source.path, "rb") as f:
        sample = f.read(1 << 16)
    encoding = _encoding(r, source, sample)
    source.encoding = encoding
    header = _header(source, sample, encoding, r.ballots.delimiter)
    cols = _columns(r, source, header)
    quoted = _has_quotes(source)
    plan = _Plan(
        r, codes, cols, encoding, _raw_header(sample, encoding, r.ballots.delimiter), prepare, quoted
    )
    ranges = _byte_ranges(source, encoding, quoted)
    if len(ranges) == 1:
        yield from _range_batches(plan, source, source, 0, ranges[0][1])
    else:
        yield from _parallel_batches(plan, source, ranges)


@dataclass(frozen=True)
class _Plan:
    """What every byte range of one CSV file is read with."""

    r: Round
    codes: MarkCodes
    cols: _Columns
    encoding: str
    raw_header: list[str]
    prepare: Prepare | None
    quoted: bool  # the file holds a quote character somewhere

    def options(self, first: bool, on_invalid_row: Any) -> dict[str, Any]:
        cols, b = self.cols, self.r.ballots
        types = {c: pa.string() for c in cols.units.values()}  # decoded by MarkCodes.columns
        types[cols.stratum] = _DICT
        if cols.form:
            types[cols.form] = _DICT
        types[cols.sheet] = pa.string()
        # use_threads=False: only then does pyarrow give a malformed row its line number
        read = pacsv.ReadOptions(
            block_size=BLOCK_SIZE,
            encoding=self.encoding,
            use_threads=False,
            column_names=None if first else self.raw_header,
        )
        # a file without any quote character is tokenized without quote handling (faster)
        parse = pacsv.ParseOptions(
            delimiter=b.delimiter,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid_row,
            quote_char='"' if self.quoted else False,
            double_quote=self.quoted,
        )
        convert = pacsv.ConvertOptions(
            column_types=types,
            include_columns=list(types),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        return {"read_options": read, "parse_options": parse, "convert_options": convert}


def _has_quotes(source: BallotFile) -> bool:
    """Whether the file holds a ``"`` anywhere (a byte no GB18030 or UTF-8 sequence uses
    inside a character), found by one memchr-speed scan of the mapped file."""
    if source.path.stat().st_size == 0:
        return False
    with open(source.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b'"') >= 0


def _byte_ranges(source: BallotFile, encoding: str, quoted: bool) -> list[tuple[int, int]]:
    """Where to cut a large file for parallel readers: after a newline, every RANGE_BYTES.

    Only UTF-8 files without quote characters are cut (a quoted field may hold a
    newline, and then a cut could fall inside it); anything else is one range.
    """
    size = source.path.stat().st_size
    if size < 2 * RANGE_BYTES or encoding != "utf-8" or quoted:
        return [(0, size)]
    cuts = [0]
    with open(source.path, "rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            while cuts[-1] + RANGE_BYTES < size:
                newline = data.find(b"\n", cuts[-1] + RANGE_BYTES)
                if newline < 0 or newline + 1 >= size:
                    break
                cuts.append(newline + 1)
        finally:
            data.close()
    return list(zip(cuts, cuts[1:] + [size], strict=True))


def _range_batches(
    plan: _Plan, source: BallotFile, part: BallotFile, start: int, end: int
) -> Iterator[Batch]:
    """The batches of bytes ``start..end`` of a file; lines are counted from the range's
    first line as line 1 (line 2 after the header in the first range)."""
    first = start == 0

    def on_invalid_row(row: Any) -> str:
        part.malformed.append((row.number or 0, row.text))
        return "skip"

    rows_done = 0
    first_line = 2 if first else 1
    with open(source.path, "rb") as raw:
        raw.seek(start)
        stream = io.BufferedReader(_Counting(raw, source, part, end - start), buffer_size=BLOCK_SIZE)
        try:
            reader = pacsv.open_csv(stream, **plan.options(first, on_invalid_row))
            for record in reader:
                lines = _lines(rows_done, len(record), part.malformed, first_line)
                rows_done += len(record)
                batch = _wide_batch(plan.r, plan.codes, part, plan.cols, record, lines)
                if batch is not None:
                    if plan.prepare is not None:
                        plan.prepare(batch)
                    yield batch
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise _read_error(part, plan.encoding, exc, start, end) from None


def _parallel_batches(plan: _Plan, source: BallotFile, ranges: list[tuple[int, int]]) -> Iterator[Batch]:
    """Read byte ranges in READERS threads (pyarrow and numpy release the GIL), and hand
    their batches on in file order, so the count is exactly the sequential one.

    At most READERS ranges are read or held at once, so memory is bounded by the range
    size, not the file. Lines, malformed rows and errors are shifted from each range's
    own numbering to the file's by the newlines of the ranges before it.
    """

    def read(start: int, end: int) -> tuple[list[Batch], BallotFile]:
        part = BallotFile(source.path, source.display, source.index)
        return list(_range_batches(plan, source, part, start, end)), part

    todo = iter(ranges)
    offset = 0
    with ThreadPoolExecutor(READERS) as pool:
        pending = deque(pool.submit(read, *span) for span in islice(todo, READERS))
        while pending:
            try:
                batches, part = pending.popleft().result()
            except PingyiError as error:
                raise _shifted(error, offset) from None
            pending.extend(pool.submit(read, *span) for span in islice(todo, 1))
            source.malformed.extend((line + offset, text) for line, text in part.malformed)
            source.empty_lines += part.empty_lines
            for batch in batches:
                batch.lines += offset
                yield batch
            offset += part.newlines


def _shifted(error: PingyiError, offset: int) -> PingyiError:
    return PingyiError(
        [dataclasses.replace(p, line=p.line + offset) if p.line is not None else p for p in error.problems],
        error.exit_code,
    )


def _header(source: BallotFile, sample: bytes, encoding: str, delimiter: str) -> list[str]:
    names = _raw_header(sample, encoding, delimiter)
    if not "".join(names).strip():
        raise source.problem("empty_file", "has no header row", line=1)
    return [h.strip() for h in names]


def _raw_header(sample: bytes, encoding: str, delimiter: str) -> list[str]:
    """The header's names as pyarrow reads them (not stripped): later ranges are given
    these, since they do not start with the header."""
    text = sample.decode(encoding, errors="ignore").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    return next(csv.reader([first], delimiter=delimiter)) if first else [""]


def _read_error(
    source: BallotFile, encoding: str, exc: Exception, start: int = 0, end: int | None = None
) -> PingyiError:
    message = str(exc)
    if isinstance(exc, UnicodeDecodeError) or "UTF8" in message or "utf-8" in message.lower():
        line = _first_bad_line(source, encoding, start, end)
        other = "gb18030" if encoding.startswith("utf") else "utf-8"
        return source.problem(
            "encoding",
            f"bytes that are not {encoding} (set ballots.encoding: {other} if the file is {other})",
            line=line,
        )
    return source.problem("unreadable", f"cannot be read as CSV: {message.splitlines()[0]}")


def _lines(done: int, n: int, malformed: list[tuple[int, str]], first_line: int = 2) -> np.ndarray:
    """Lines of rows ``done .. done+n`` (row 0 is ``first_line``), past skipped malformed rows."""
    rows = np.arange(done, done + n, dtype=np.int64)
    lines = rows + first_line
    if not malformed:
        return lines
    skipped = np.sort(np.array([line for line, _ in malformed], dtype=np.int64))
    while True:  # each row's line is its index + first_line + the skipped lines before it
        moved = rows + first_line + np.searchsorted(skipped, lines, side="right")
        if np.array_equal(moved, lines):
            return lines
        lines = moved


def _dict_column(column: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not isinstance(column, pa.DictionaryArray):
        column = pc.dictionary_encode(column)
    return column


def _indices(column: pa.DictionaryArray, lookup: np.ndarray) -> np.ndarray:
    return lookup[column.indices.to_numpy(zero_copy_only=False)]


def _wide_batch(
    r: Round,
    codes: MarkCodes,
    source: BallotFile,
    cols: _Columns,
    record: pa.RecordBatch | pa.Table,
    lines: np.ndarray,
) -> Batch | None:
    n = len(record)
    sheet = pc.utf8_trim_whitespace(record.column(cols.sheet))
    if isinstance(sheet, pa.ChunkedArray):
        sheet = sheet.combine_chunks()
    marks = np.full((n, len(r.units)), codes.blank, dtype=np.int8)
    present = list(cols.units)
    decoded = codes.columns([record.column(cols.units[u]) for u in present])
    if len(present) == len(r.units) and present == list(range(len(r.units))):
        marks = decoded
    else:
        marks[:, present] = decoded
    stratum_col = _dict_column(record.column(cols.stratum))
    stratum = _indices(stratum_col, _index_lookup(stratum_col, [s.id for s in r.strata]))
    form_col = _dict_column(record.column(cols.form)) if cols.form else None
    if form_col is not None and r.forms:
        form = _indices(form_col, _index_lookup(form_col, list(r.forms)))
    else:
        form = np.zeros(n, dtype=np.int16)
    _refuse_total_rows(source, sheet, stratum_col, lines)
    keep = _non_empty_rows(sheet, stratum_col, marks, codes)
    if not keep.all():
        source.empty_lines += int((~keep).sum())
        if not keep.any():
            return None
        index = np.nonzero(keep)[0]
        take = pa.array(index)
        return Batch(
            source.index,
            lines[index],
            sheet.take(take),
            stratum[index],
            form[index],
            marks[index],
            stratum_col.take(take),
            form_col.take(take) if form_col is not None else None,
            cols.missing_units,
        )
    return Batch(source.index, lines, sheet, stratum, form, marks, stratum_col, form_col, cols.missing_units)


def _index_lookup(column: pa.DictionaryArray, ids: list[str]) -> np.ndarray:
    position = {value: i for i, value in enumerate(ids)}
    values = column.dictionary.to_pylist()
    return np.fromiter((position.get(str(v).strip(), -1) for v in values), dtype=np.int16, count=len(values))


def _refuse_total_rows(
    source: BallotFile, sheet: pa.Array, stratum: pa.DictionaryArray, lines: np.ndarray
) -> None:
    """A total row (合计) summed by a spreadsheet would be read as one more voter."""
    words = pa.array(list(TOTAL_WORDS))
    hits = pc.or_(
        pc.is_in(pc.utf8_lower(sheet), value_set=words),
        pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(stratum.cast(pa.string()))), value_set=words),
    )
    if pc.any(hits).as_py():
        row = int(np.nonzero(hits.to_numpy(zero_copy_only=False))[0][0])
        raise source.problem(
            "total_row",
            "looks like a total row (合计/total), not a sheet: remove it from the file",
            line=int(lines[row]),
        )


def _non_empty_rows(
    sheet: pa.Array, stratum: pa.DictionaryArray, marks: np.ndarray, codes: MarkCodes
) -> np.ndarray:
    """Rows with anything in them: an empty line is not a sheet."""
    has_id = pc.not_equal(pc.utf8_length(sheet), 0).to_numpy(zero_copy_only=False)
    stratum_text = pc.utf8_trim_whitespace(stratum.cast(pa.string()))
    has_stratum = pc.not_equal(pc.utf8_length(stratum_text), 0).to_numpy(zero_copy_only=False)
    has_mark = (marks != codes.blank).any(axis=1) if marks.size else np.zeros(len(sheet), bool)
    return has_id | has_stratum | has_mark


# --- XLSX -------------------------------------------------------------------------------------


def _xlsx_rows(r: Round, source: BallotFile) -> tuple[list[str], Iterator[tuple[int, list[str]]], Any]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise source.problem("not_xlsx", f"cannot be opened as a workbook: {exc}") from None
    name = r.ballots.sheet
    if name is not None and name not in book.sheetnames:
        raise source.problem(
            "missing_sheet", f"has no worksheet '{name}' (it has: {', '.join(book.sheetnames)})"
        )
    sheet = book[name] if name else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(rows, ())]
    numbered = ((line, [_cell_text(v) for v in row]) for line, row in enumerate(rows, start=2))
    return header, numbered, book


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_batches(r: Round, codes: MarkCodes, source: BallotFile) -> Iterator[Batch]:
    header, rows, book = _xlsx_rows(r, source)
    source.encoding = "xlsx"
    try:
        if not any(header):
            raise source.problem("empty_file", "has no header row", line=1)
        cols = _columns(r, source, header)
        wanted = [cols.sheet, cols.stratum] + ([cols.form] if cols.form else [])
        wanted += list(cols.units.values())
        position = {name: i for i, name in enumerate(header)}
        chunk: list[tuple[int, list[str]]] = []
        for item in rows:
            chunk.append(item)
            if len(chunk) == XLSX_BATCH:
                yield from _xlsx_chunk(r, codes, source, cols, wanted, position, chunk)
                chunk = []
        if chunk:
            yield from _xlsx_chunk(r, codes, source, cols, wanted, position, chunk)
    finally:
        book.close()


def _xlsx_chunk(
    r: Round,
    codes: MarkCodes,
    source: BallotFile,
    cols: _Columns,
    wanted: list[str],
    position: dict[str, int],
    chunk: list[tuple[int, list[str]]],
) -> Iterator[Batch]:
    arrays = {
        name: pa.array(
            [row[position[name]] if position[name] < len(row) else "" for _, row in chunk], pa.string()
        )
        for name in wanted
    }
    lines = np.array([line for line, _ in chunk], dtype=np.int64)
    batch = _wide_batch(r, codes, source, cols, pa.table(arrays), lines)
    if batch is not None:
        yield batch


# --- long layout ------------------------------------------------------------------------------


def _long_batches(r: Round, codes: MarkCodes, source: BallotFile, kind: str) -> Iterator[Batch]:
    """One row per mark (sheet, stratum, unit, mark), turned into one row per sheet."""
    b = r.ballots
    names = [b.sheet_id, b.stratum, b.unit, b.mark] + ([b.form] if b.form else [])
    table, lines = _long_table(r, source, kind, names)
    if table.num_rows == 0:
        return
    sheet_text = pc.utf8_trim_whitespace(table.column(b.sheet_id).combine_chunks())
    sheet_codes = pc.dictionary_encode(sheet_text)
    sheet_of_row = sheet_codes.indices.to_numpy(zero_copy_only=False)
    n = len(sheet_codes.dictionary)
    unit_position = {b.columns.get(u.id, u.id): i for i, u in enumerate(r.units)}
    unit_values = [v.strip() for v in table.column(b.unit).to_pylist()]
    unit_of_row = np.fromiter((unit_position.get(v, -1) for v in unit_values), np.int64, len(unit_values))
    mark_of_row = codes.lookup(table.column(b.mark).to_pylist())
    strata = {s.id: i for i, s in enumerate(r.strata)}
    stratum_of_row = np.fromiter(
        (strata.get(v.strip(), -1) for v in table.column(b.stratum).to_pylist()), np.int16, table.num_rows
    )
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, sheet_of_row, np.arange(table.num_rows))
    preset = np.zeros(n, dtype=np.int8)
    stratum = stratum_of_row[first]
    preset[np.unique(sheet_of_row[stratum_of_row != stratum[sheet_of_row]])] = Reason.conflicting_stratum
    preset[np.unique(sheet_of_row[unit_of_row < 0])] = Reason.unknown_unit
    marks = np.full((n, len(r.units)), codes.blank, dtype=np.int8)
    known = unit_of_row >= 0
    rows, units, values = sheet_of_row[known], unit_of_row[known], mark_of_row[known]
    seen = np.full((n, len(r.units)), -1, dtype=np.int16)
    seen[rows, units] = values
    marks[rows, units] = values
    twice = seen[rows, units] != values  # two different marks for one unit on one sheet
    marks[rows[twice], units[twice]] = codes.invalid
    raw_stratum = table.column(b.stratum).combine_chunks().take(pa.array(first))
    if b.form and r.forms:
        form_ids = {f: i for i, f in enumerate(r.forms)}
        raw_form = table.column(b.form).combine_chunks().take(pa.array(first))
        form = np.fromiter((form_ids.get(str(v).strip(), -1) for v in raw_form.to_pylist()), np.int16, n)
    else:
        raw_form, form = None, np.zeros(n, dtype=np.int16)
    yield Batch(
        source.index,
        lines[first],
        sheet_codes.dictionary,
        stratum,
        form,
        marks,
        raw_stratum,
        raw_form,
        (),
        preset,
    )


def _long_table(r: Round, source: BallotFile, kind: str, names: list[str]) -> tuple[pa.Table, np.ndarray]:
    if kind == "xlsx":
        header, rows, book = _xlsx_rows(r, source)
        try:
            _require(source, header, names, r.ballots.delimiter)
            position = {name: i for i, name in enumerate(header)}
            body = [(line, row) for line, row in rows if any(row)]
        finally:
            book.close()
        table = pa.table(
            {
                name: pa.array(
                    [row[position[name]] if position[name] < len(row) else "" for _, row in body], pa.string()
                )
                for name in names
            }
        )
        return table, np.array([line for line, _ in body], dtype=np.int64)
    with open(source.path, "rb") as f:
        sample = f.read(1 << 16)
    encoding = _encoding(r, source, sample)
    source.encoding = encoding
    _require(source, _header(source, sample, encoding, r.ballots.delimiter), names, r.ballots.delimiter)

    def on_invalid_row(row: Any) -> str:
        source.malformed.append((row.number or 0, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            source.path,
            read_options=pacsv.ReadOptions(encoding=encoding, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=r.ballots.delimiter, ignore_empty_lines=False, invalid_row_handler=on_invalid_row
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, include_columns=names, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise _read_error(source, encoding, exc) from None
    source.bytes_read = source.path.stat().st_size
    lines = _lines(0, table.num_rows, source.malformed)
    filled = np.zeros(table.num_rows, dtype=bool)
    for name in names:
        text = pc.utf8_trim_whitespace(table.column(name).combine_chunks())
        filled |= pc.not_equal(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    source.empty_lines += int((~filled).sum())
    return table.filter(pa.array(filled)), lines[filled]


def _require(source: BallotFile, header: list[str], names: list[str], delimiter: str) -> None:
    missing = [n for n in names if n not in header]
    if missing:
        raise source.problem(
            "missing_column", _missing_message(missing, header, delimiter), line=1, column=missing[0]
        )
