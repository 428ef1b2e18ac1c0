"""A ballot file's header: which column holds the sheet id, the stratum, the form and each unit.

The round names the columns (``ballots.sheet_id``, ``ballots.stratum``, ``ballots.form``,
``ballots.columns`` for units whose column is not their id, ``ballots.item_column`` for a
unit × item: pingyi.round.items). A column the round needs and the file lacks is an error
on line 1 naming it; a header of one column holding another delimiter is reported as a
wrong delimiter, the commonest cause.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from pingyi.ballots.decode import BadBytes, DecodingReader, text_end
from pingyi.ballots.files import BallotFile
from pingyi.ballots.lines import first_line_longer, line_at, text_breaks
from pingyi.ballots.sniff import TextEncoding, read_error
from pingyi.round.items import cell_columns, round_cells
from pingyi.round.models import Round

HEADER_BLOCK = 1 << 20  # the header is parsed from the first block of this size


@dataclass(frozen=True)
class Columns:
    """Where a wide file's columns are, by the names in its header."""

    sheet: str
    stratum: str
    form: str | None
    units: dict[int, str]  # cell index (a unit, or unit × item) -> column name present in the file
    missing_units: tuple[int, ...]  # cells
    unused: tuple[str, ...]  # header names the round does not read

    @property
    def read(self) -> list[str]:
        """The columns read, fixed ones first."""
        return [self.sheet, self.stratum] + ([self.form] if self.form else []) + list(self.units.values())


def columns(r: Round, source: BallotFile, header: list[str]) -> Columns:
    """Map the round's columns onto a wide file's header. Names match after trimming
    whitespace (``swbgs `` is column ``swbgs``); the columns keep the header's own names,
    which the parser reads them by."""
    b = r.ballots
    named = _by_trimmed_name(source, header)
    trimmed = list(named)
    fixed = [b.sheet_id, b.stratum] + ([b.form] if b.form else [])
    missing = [c for c in fixed if c not in named]
    if missing:
        raise source.problem(
            "missing_column", missing_message(missing, trimmed, b.delimiter), line=1, column=missing[0]
        )
    wanted = dict(enumerate(cell_columns(r)))
    units = {i: named[c] for i, c in wanted.items() if c in named}
    absent = tuple(i for i in wanted if i not in units)
    if absent and not r.forms:
        ids = round_cells(r).ids
        names = ", ".join(f"{wanted[i]} ({ids[i]})" for i in absent[:8])
        more = f" and {len(absent) - 8} more" if len(absent) > 8 else ""
        what = "unit item(s)" if r.items else "unit(s)"
        raise source.problem(
            "missing_column",
            f"no column for {what} {names}{more} (map unit ids to the file's columns in ballots.columns)",
            line=1,
            column=wanted[absent[0]],
        )
    used = set(fixed) | set(wanted.values())
    unused = tuple(c for c in trimmed if c not in used)
    form = named[b.form] if b.form else None
    return Columns(named[b.sheet_id], named[b.stratum], form, units, absent, unused)


def require(source: BallotFile, header: list[str], names: list[str], delimiter: str) -> list[str]:
    """The header's own names of ``names`` (the long layout's fixed columns), matched after
    trimming whitespace; a missing one is an error."""
    named = _by_trimmed_name(source, header)
    missing = [n for n in names if n not in named]
    if missing:
        raise source.problem(
            "missing_column", missing_message(missing, list(named), delimiter), line=1, column=missing[0]
        )
    return [named[n] for n in names]


PAST = "\x00past"  # the parse names of unnamed columns after the header's last name


def past_header(header: list[str]) -> list[str]:
    """The header with its unnamed columns after the last name renamed (``PAST`` and their
    place), so that the parser hands them over: a spreadsheet saved as CSV writes them when
    a row reaches past the header, and a value there is a row shifted by a cell, its marks
    on the wrong units (a malformed row, as in a workbook). ``[]`` when there are none, or
    when a name holds a line break (the header must be one line, read past with
    ``skip_rows``)."""
    named = [i for i, name in enumerate(header) if name.strip()]
    last = named[-1] if named else -1
    if last == len(header) - 1 or any(text_breaks(name) for name in header):
        return []
    return header[: last + 1] + [f"{PAST}{i}" for i in range(last + 1, len(header))]


def _by_trimmed_name(source: BallotFile, header: list[str]) -> dict[str, str]:
    """Trimmed name -> the header's own name, in header order; two names that are one
    after trimming are an error on line 1."""
    named: dict[str, str] = {}
    for original in header:
        name = original.strip()
        if not name:  # an unnamed column (a spreadsheet's used range past the header) is not read
            continue
        if name in named:
            first = named[name]
            message = (
                f"column '{name}' appears twice"
                if first == original
                else f"columns '{first}' and '{original}' are one column after trimming spaces: "
                "rename one of them"
            )
            raise source.problem("duplicate_column", message, line=1, column=name)
        named[name] = original
    return named


def missing_message(missing: list[str], header: list[str], delimiter: str) -> str:
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


def parse_options(delimiter: str, quoted: bool = True, on_invalid_row: Any = None) -> pacsv.ParseOptions:
    """How a ballot CSV file is tokenized. Empty lines are kept (as rows), so that lines
    stay exact; a quoted cell may hold line breaks (else pyarrow cuts its blocks inside
    such a cell); a file without any quote character is tokenized without quote handling
    (faster)."""
    return pacsv.ParseOptions(
        delimiter=delimiter,
        ignore_empty_lines=False,
        invalid_row_handler=on_invalid_row,
        quote_char='"' if quoted else False,
        double_quote=quoted,
        newlines_in_values=quoted,
    )


def csv_header(source: BallotFile, encoding: TextEncoding, delimiter: str, quoted: bool = True) -> list[str]:
    """The header's names exactly as the parser reads them (not trimmed): the first block
    of the file, parsed by pyarrow with the options the file is read with. A file that is
    only a header with no line break after it is a header (pyarrow finds no row in it)."""
    size = text_end(source.path)  # a DOS end-of-file tail is not text (decode.py)
    with open(source.path, "rb") as raw:
        stream = DecodingReader(raw, 0, size, encoding.codec)
        if header_only(source):
            data = raw.read(size) + b"\n"
            stream = DecodingReader(io.BytesIO(data), 0, len(data), encoding.codec)
        try:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(encoding="utf8", use_threads=False, block_size=HEADER_BLOCK),
                parse_options=parse_options(delimiter, quoted, lambda row: "skip"),
            )
        except BadBytes as bad:
            raise encoding.bad_bytes(source, line_at(source.path, 0, bad.offset)) from None
        except pa.ArrowInvalid as exc:
            if (
                "Empty CSV file" in str(exc)
                and first_line_longer(source.path, HEADER_BLOCK, encoding.codec) == 1
            ):
                raise source.problem(
                    "row_too_long",
                    f"the first line is longer than {HEADER_BLOCK >> 20} MB: a ballot file's first line "
                    "is its header, a line of column names; is this a ballot file?",
                    line=1,
                ) from None
            if "Empty CSV file" in str(exc):
                raise source.problem("empty_file", "has no header row", line=1) from None
            # a row longer than the header's block: its line, where the file has no quote
            line = None if quoted else first_line_longer(source.path, HEADER_BLOCK, encoding.codec)
            raise read_error(source, exc, line, quoted) from None
        names: list[str] = reader.schema.names
    if not "".join(names).replace("\x1a", "").strip():
        with open(source.path, "rb") as raw:
            more = raw.read(HEADER_BLOCK).strip(b" \t\r\n\x0c\x1a" + delimiter.encode())
        if more:
            raise source.problem(
                "blank_header",
                "the first line is empty: the header (sheet id, stratum, unit columns) must be the "
                "first line; remove the empty lines before it",
                line=1,
            )
        raise source.problem("empty_file", "has no header row", line=1)
    return names


def header_only(source: BallotFile) -> bool:
    """Whether the file is one line with no line break at its end (a header without rows,
    as a spreadsheet may save it): pyarrow reads no header from such a file."""
    size = text_end(source.path)
    if not size or size > HEADER_BLOCK:
        return False
    with open(source.path, "rb") as f:
        data = f.read(size)
    return b"\n" not in data and b"\r" not in data
