"""Read one scanned ballot file into normalised batches: CSV or XLSX, wide or long.

What card readers and typists actually produce: UTF-8 with or without BOM, GB18030/GBK
from Chinese Windows software, XLSX, unit columns named Q1..Qn, codes ``1/2/3`` or ``√``.
A file that is not what its extension says, a wrong delimiter, a total row (合计), or
bytes that do not decode stop the run with file and line; a malformed row is a rejected
sheet, never a silently wrong count.

Each concern has its module: sniff.py (file kind, encoding), decode.py (every byte
checked in its one encoding), header.py (columns), csv_wide.py and ranges.py (streamed
CSV on reader threads), lines.py (the physical line of each row), runaway.py (a stray
quote swallowing sheets), worksheet.py and xlsx.py (workbooks), long.py (the long
layout's pivot), wide.py (wide rows into a batch) and online.py with online_rows.py and
online_header.py (问卷星-like exports).
Readers return what they noticed (:class:`FileNotes`) rather than changing the
:class:`BallotFile` they read.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

from pingyi.ballots.batch import Batch
from pingyi.ballots.csv_wide import Span, csv_batches
from pingyi.ballots.files import BallotFile, FileNotes, Prepare
from pingyi.ballots.long import LongSheets
from pingyi.ballots.marks import MarkCodes
from pingyi.ballots.online import OnlineSheets
from pingyi.ballots.sniff import file_kind
from pingyi.ballots.xlsx import xlsx_batches
from pingyi.round.models import Round


def read_batches(
    r: Round,
    codes: MarkCodes,
    source: BallotFile,
    prepare: Prepare | None = None,
    online: OnlineSheets | None = None,
    spans: Sequence[Span] | None = None,
    long: LongSheets | None = None,
) -> Generator[Batch, None, FileNotes]:
    """All sheets of one file, as normalised batches, in file order; returns what reading
    noticed besides sheets.

    ``prepare`` is applied to each CSV batch by the thread that read it, so work that
    needs only the batch runs in parallel with the other readers. ``online`` holds a
    round's online exports (online.py): an export is read from it, a paper file with
    the round's ``ballots.paper`` layout. ``spans`` reads only those byte ranges of a wide
    CSV file again (csv_wide.py). ``long`` holds a long-layout round's files, pivoted
    together (long.py); without it a long file is pivoted on its own.
    """
    kind = file_kind(source)
    if online is not None:
        if source.index in online.exports:
            return (yield from online.batches(source))
        r, codes = online.paper, online.paper_codes
    if r.ballots.layout == "long":
        return (yield from (long or LongSheets(r, codes, [source])).batches(source))
    if kind == "xlsx":
        return (yield from xlsx_batches(r, codes, source))
    return (yield from csv_batches(r, codes, source, prepare, spans))


def long_sheets(
    r: Round, codes: MarkCodes, files: list[BallotFile], online: OnlineSheets | None = None
) -> LongSheets | None:
    """A round's long-layout paper files, to be pivoted together; None when its paper
    files are wide."""
    if online is not None:
        r, codes = online.paper, online.paper_codes
        files = [source for source in files if source.index not in online.exports]
    return LongSheets(r, codes, files) if r.ballots.layout == "long" else None
