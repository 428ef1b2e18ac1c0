"""An online export's rows, read whole: the header decides whether a file is an export.

Exports are small (a questionnaire's answers, not a province's OMR scans), and the IP
limit needs every export of a round before any sheet is counted, so an export is read
once, whole, into the columns the mapping uses. CSV exports (问卷星 writes GB18030 or
UTF-8) are decoded with the round's encoding rules (sniff.py) and parsed by Python's csv
module; XLSX exports are streamed by worksheet.py. A line is the file's physical line
(a CSV row's first line) or the Excel row number.

In a round that takes paper files too, a file whose header lacks the export's metadata
columns is a paper file, left to the paper readers.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from pingyi.ballots import sniff
from pingyi.ballots.files import BallotFile
from pingyi.ballots.online_header import (
    OnlineMapping,
    is_export,
    neither_error,
    online_mapping,
    paper_columns_present,
)
from pingyi.ballots.wide import TOTAL_WORDS
from pingyi.ballots.worksheet import Worksheet
from pingyi.errors import PingyiError
from pingyi.round.models import Round


@dataclass
class Export:
    """The rows of one export: their lines and the texts of the mapped columns."""

    source: BallotFile
    mapping: OnlineMapping
    encoding: str  # "utf-8", "gb18030" or "xlsx"
    lines: list[int] = field(default_factory=list)
    cells: dict[str, list[str]] = field(default_factory=dict)  # header -> one text per row
    malformed: dict[int, str] = field(default_factory=dict)  # row -> its text (wrong field count)
    empty_lines: int = 0

    def __len__(self) -> int:
        return len(self.lines)

    def column(self, name: str) -> list[str]:
        return self.cells[name]


def read_export(r: Round, paper: Round, source: BallotFile, kind: str) -> Export | None:
    """The rows of ``source`` if it is an online export, else None (a paper file)."""
    if kind == "xlsx":
        return _xlsx_export(r, paper, source)
    return _csv_export(r, paper, source)


def _read_columns(mapping: OnlineMapping) -> list[str]:
    return [*mapping.metadata.values(), mapping.stratum, *mapping.units.values()]


def _start(source: BallotFile, mapping: OnlineMapping, encoding: str) -> Export:
    return Export(source, mapping, encoding, cells={name: [] for name in _read_columns(mapping)})


def _add_row(export: Export, line: int, position: dict[str, int], row: list[str]) -> None:
    for name, values in export.cells.items():
        at = position[name]
        values.append(row[at].strip() if at < len(row) else "")
    export.lines.append(line)
    sheet = export.cells[export.mapping.metadata["sheet"]][-1]
    if sheet.lower() in TOTAL_WORDS:
        raise export.source.problem(
            "total_row",
            "looks like a total row (合计/total), not a sheet: remove it from the file",
            line=line,
        )


def _xlsx_export(r: Round, paper: Round, source: BallotFile) -> Export | None:
    try:
        sheet = Worksheet(source, r.ballots.sheet)
    except PingyiError as error:
        if r.ballots.sheet is not None and error.problems[0].code == "missing_sheet":
            return None  # the exports' worksheet is not in it: a paper workbook
        raise
    try:
        header = sheet.header
        if not is_export(r, header):
            if paper.ballots.sheet == r.ballots.sheet and not paper_columns_present(paper, header):
                raise neither_error(r, paper, source, header)
            return None
        mapping = online_mapping(r, paper, source, header)
        export = _start(source, mapping, "xlsx")
        position = {name: i for i, name in enumerate(header)}
        for line, row in sheet.body(_read_columns(mapping)):
            if not any(cell.strip() for cell in row):
                export.empty_lines += 1
                continue
            _add_row(export, line, position, row)
    finally:
        sheet.close()
    return export


def _csv_export(r: Round, paper: Round, source: BallotFile) -> Export | None:
    start = sniff.sample(source)
    first = _first_row(start, r.ballots.delimiter)
    if not is_export(r, first):
        if not paper_columns_present(paper, _first_row(start, paper.ballots.delimiter)):
            raise neither_error(r, paper, source, first)
        return None
    encoding = sniff.encoding(r, source, start)
    raw = source.path.read_bytes()
    try:
        text = raw.decode("utf-8-sig" if encoding.codec == "utf-8" else encoding.codec)
    except UnicodeDecodeError as bad:
        raise encoding.bad_bytes(source, raw.count(b"\n", 0, bad.start) + 1) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=r.ballots.delimiter)
    try:
        header = next(reader, [])
        mapping = online_mapping(r, paper, source, header)
        export = _start(source, mapping, encoding.codec)
        position = {name: i for i, name in enumerate(header)}
        line = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                export.empty_lines += 1
            else:
                if len(row) != len(header):
                    export.malformed[len(export)] = r.ballots.delimiter.join(row)
                _add_row(export, line, position, row)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise source.problem("unreadable", f"cannot be read as CSV: {exc}", line=reader.line_num) from None
    return export


def _first_row(start: bytes, delimiter: str) -> list[str]:
    """The header row of a CSV file's first bytes, decoded leniently (UTF-8, else
    GB18030): enough to tell an export from a paper file in any encoding."""
    head = start.split(b"\n", 1)[0]
    text = head.decode("utf-8", "replace")
    if "\ufffd" in text:
        text = head.decode("gb18030", "replace")
    text = text.removeprefix(codecs.BOM_UTF8.decode("utf-8"))
    return next(csv.reader([text.rstrip("\r")], delimiter=delimiter), [])
