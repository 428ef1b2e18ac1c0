"""Wide CSV files, streamed by pyarrow in blocks: memory does not grow with the file.

The hot path of a province-wide round (10^6 sheets × 100 units): pyarrow's ``open_csv``
parses blocks, marks are decoded straight from the Arrow string buffers, and large UTF-8
files are read in byte ranges on two threads (ranges.py). A malformed row (wrong number
of fields) is skipped by pyarrow and returned to the counting core, which rejects it with
its line; it never shifts the lines of the rows after it.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from pingyi.ballots import ranges, sniff
from pingyi.ballots.batch import Batch
from pingyi.ballots.decode import BadBytes, DecodingReader, text_end
from pingyi.ballots.files import BallotFile, FileNotes, Prepare
from pingyi.ballots.header import (
    HEADER_BLOCK,
    PAST,
    Columns,
    columns,
    csv_header,
    header_only,
    parse_options,
    past_header,
)
from pingyi.ballots.lines import (
    RowLines,
    line_at,
    row_breaks,
    text_breaks,
)
from pingyi.ballots.marks import MarkCodes
from pingyi.ballots.runaway import RowShape, refuse_runaway_quotes, refuse_swallowed_rows
from pingyi.ballots.wide import values_past, wide_batch
from pingyi.round.models import Round

BLOCK_SIZE = 2 << 20
_DICT = pa.dictionary(pa.int32(), pa.string())
#: A byte range read again: start, end, read with quotes, lines of the file before it.
Span = tuple[int, int, bool, int]
HEAD_SCAN = HEADER_BLOCK  # a quote in a cut file's first bytes: the file is read whole, with quotes


def csv_batches(
    r: Round,
    codes: MarkCodes,
    source: BallotFile,
    prepare: Prepare | None,
    spans: Sequence[Span] | None = None,
) -> Generator[Batch, None, FileNotes]:
    """The sheets of a wide CSV file, in file order; returns what reading noticed.

    ``spans`` reads only those byte ranges again (as batches recorded them: start, end,
    with quotes, lines before): the conflict pass (count.py) needs only the batches that
    hold a first copy, and the notes it gets back are not used.
    """
    start = sniff.sample(source)
    encoding = sniff.encoding(r, source, start)
    cuts = ranges.byte_ranges(source, encoding.codec)
    # a file read in one stream is scanned for quotes first; a file cut into ranges is, if
    # its header's block holds none, read without quotes until a range meets one (ranges.py)
    quoted = ranges.has_quotes(source, end=None if len(cuts) == 1 else max(HEAD_SCAN, _header_end(source)))
    if quoted:
        cuts = [(0, text_end(source.path))]
    header = csv_header(source, encoding, r.ballots.delimiter, quoted)
    cols = columns(r, source, header)
    if header_only(source):  # a header with no line break after it: no rows
        return FileNotes(encoding.codec, cols.unused, bytes_read=source.path.stat().st_size)
    plan = _Plan(r, codes, source, cols, encoding, header, prepare, quoted, past_header(header))
    if spans is not None:
        for first, end, with_quotes, offset in spans:
            yield from ranges.read_on(replace(plan, quoted=with_quotes).read(first, end), offset)
        return FileNotes(encoding.codec, cols.unused)
    if len(cuts) == 1:
        notes = yield from plan.read(*cuts[0])
    else:
        notes = yield from ranges.parallel_batches(plan.read, cuts, replace(plan, quoted=True).read)
    size = source.path.stat().st_size  # all of it read (a DOS end-of-file tail is not text)
    sheet_at = header.index(cols.sheet)
    return FileNotes(encoding.codec, cols.unused, notes.malformed, notes.empty_lines, size, sheet_at=sheet_at)


def _header_end(source: BallotFile) -> int:
    """The offset just past the first line (a header's quote decides how it is parsed,
    however long it is)."""
    with open(source.path, "rb") as f:
        newline = ranges.next_newline(f, 0)
    return newline + 1 if newline >= 0 else source.path.stat().st_size


@dataclass(frozen=True)
class _Plan:
    """What every byte range of one CSV file is read with."""

    r: Round
    codes: MarkCodes
    source: BallotFile
    cols: Columns
    encoding: sniff.TextEncoding
    header: list[str]  # the names as the parser reads them, given to ranges after the first
    prepare: Prepare | None
    quoted: bool  # the file holds a quote character somewhere
    renamed: list[str]  # the header with unnamed columns past its last name renamed (or [])

    @property
    def shape(self) -> RowShape:
        """What a row of this file looks like (runaway.py)."""
        strata = frozenset(s.id for s in self.r.strata)
        return RowShape(
            len(self.header), self.r.ballots.delimiter, self.header.index(self.cols.stratum), strata
        )

    def options(self, first: bool, on_invalid_row: Any) -> dict[str, Any]:
        cols, b = self.cols, self.r.ballots
        # units are decoded by MarkCodes.columns; a quoted file is read whole, so that line
        # breaks inside any of its cells are seen (lines.py)
        read_all = (self.renamed or self.header) if self.quoted else cols.units.values()
        types = {c: pa.string() for c in read_all}
        types |= {c: pa.binary() for c in self.renamed if c.startswith(PAST)}
        if self.codes.numeric is None:
            # marks are read as bytes: DecodingReader has checked every byte's UTF-8, and
            # pyarrow's string conversion would check it again (a fifth of the parse)
            types |= {c: pa.binary() for c in cols.units.values()}
        types[cols.stratum] = _DICT
        if cols.form:
            types[cols.form] = _DICT
        types[cols.sheet] = pa.string()
        # use_threads=False: only then does pyarrow give a malformed row its line number
        read = pacsv.ReadOptions(
            block_size=BLOCK_SIZE,
            encoding="utf8",  # the DecodingReader hands on checked UTF-8
            use_threads=False,
            column_names=self.renamed or (None if first else self.header),
            skip_rows=1 if first and self.renamed else 0,  # the header line, named already
        )
        parse = parse_options(b.delimiter, self.quoted, on_invalid_row)
        convert = pacsv.ConvertOptions(
            column_types=types,
            include_columns=list(types),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,  # DecodingReader has checked every byte
        )
        return {"read_options": read, "parse_options": parse, "convert_options": convert}

    def read(self, start: int, end: int) -> Generator[Batch, None, ranges.RangeNotes]:
        """The batches of bytes ``start..end``; lines are counted from the range's first
        line as line 1 (line 2 after the header in the first range)."""
        first = start == 0
        header_breaks = sum(text_breaks(name) for name in self.header) if first else 0
        where = RowLines(2 if first else 1, header_breaks)

        def on_invalid_row(row: Any) -> str:
            where.skip(row.number or 0, row.text)
            return "skip"

        empty = reported = 0
        with open(self.source.path, "rb") as raw:
            raw.seek(start)
            decoded = DecodingReader(raw, start, end - start, self.encoding.codec, quotes=self.quoted)
            stream = io.BufferedReader(decoded, buffer_size=BLOCK_SIZE)
            try:
                reader = pacsv.open_csv(stream, **self.options(first, on_invalid_row))
                for record in reader:
                    breaks = row_breaks(record) if self.quoted else None
                    lines = where.kept(len(record), breaks)
                    refuse_swallowed_rows(self.source, record, lines, breaks, self.shape, set(self.cols.read))
                    shifted = values_past(record, [c for c in self.renamed if c.startswith(PAST)])
                    batch, blank = wide_batch(
                        self.r, self.codes, self.source, self.cols, record, lines, shifted
                    )
                    empty += blank
                    if batch is not None:
                        batch.bytes_read, reported = decoded.done - reported, decoded.done
                        batch.span = (start, end, self.quoted)
                        if self.prepare is not None:
                            self.prepare(batch)
                        yield batch
            except BadBytes as bad:
                line = line_at(self.source.path, start, bad.offset)
                raise self.encoding.bad_bytes(self.source, line) from None
            except pa.ArrowInvalid as exc:
                raise sniff.read_error(self.source, exc, where.next_row + where.below, self.quoted) from None
        malformed = tuple(where.finish())
        refuse_runaway_quotes(self.source, malformed, self.shape)
        rows = where.rows + first  # and the header; in a range (never quoted), a row is a line
        return ranges.RangeNotes(malformed, empty, decoded.done, rows)
