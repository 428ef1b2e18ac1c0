"""The counting core: every sheet read is counted or rejected, and counts are integers.

Counts are kept per unit × stratum × mark code (the options, blank, invalid) as int64 and
summed with one ``numpy.bincount`` per unit column of a batch: no Python loop per mark. A round with items
counts each unit × item as a unit of its own (a *cell*, pingyi.round.items); a numeric
round also sums its numbers per cell × stratum, as integers × 10**4 (numeric.py). Scores are formed
from these integers later, exactly. Files are read in sorted path order, so which copy of
a re-scanned sheet is kept, and so the rejects, never depend on the order of arguments.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.ballots import hashing
from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.bootstrap import Replicates
from pingyi.ballots.corrections import Correction, Fixes
from pingyi.ballots.csv_wide import Span
from pingyi.ballots.dispositions import SheetLog
from pingyi.ballots.duplicates import CONFLICT, DUPLICATE, FIRST, SheetIndex
from pingyi.ballots.files import BallotFile, FileNotes
from pingyi.ballots.given import ballot_files
from pingyi.ballots.lines import blank_rows_as_empty_lines
from pingyi.ballots.marks import MarkCodes, mark_codes
from pingyi.ballots.numeric import stratum_sums
from pingyi.ballots.online import OnlineSheets
from pingyi.ballots.read import long_sheets, read_batches
from pingyi.ballots.runaway import field_at
from pingyi.ballots.validity import on_form_matrix, reason_detail, row_reasons
from pingyi.errors import PingyiError
from pingyi.round.items import round_cells
from pingyi.round.models import Round

Progress = Callable[[int, int], None]


_Bins = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]  # counts, strata, forms, sums


@dataclass
class _Prepared:
    """A batch's own verdicts and counts, computed by the reader (see _Counter.prepare)."""

    reasons: np.ndarray
    ids: np.ndarray
    contents: np.ndarray
    passing: np.ndarray
    bins: _Bins
    fixes: list[tuple[int, int, int, int]] = field(default_factory=list)  # corrections.Event


@dataclass(frozen=True, order=True)
class Reject:
    """One rejected sheet: where it is, its id, and why (a stable reason code)."""

    file: str
    line: int
    sheet: str
    reason: str
    detail: str


@dataclass
class BallotCounts:
    """All that the ballots of a round say, as integer counts, and every reject."""

    round: Round
    codes: MarkCodes
    files: list[BallotFile]
    counts: np.ndarray  # int64 (units, strata, codes.counted)
    sheets_by_stratum: np.ndarray  # counted sheets per stratum
    read_by_stratum: np.ndarray  # sheets read per stratum (known strata only)
    sheets_by_form: np.ndarray  # counted sheets per form
    read: int
    rejects: list[Reject] = field(default_factory=list)
    replicates: np.ndarray | None = None  # int64 (replicates, units, strata, codes): the bootstrap
    corrections: list[Correction] = field(default_factory=list)  # applied before counting
    sums: np.ndarray | None = None  # int64 (cells, strata): numeric marks × 10**4 (numeric.py)
    replicate_sums: np.ndarray | None = None  # int64 (replicates, cells, strata), numeric marks

    @property
    def counted(self) -> int:
        return int(self.sheets_by_stratum.sum())

    def by_unit(self) -> np.ndarray:
        """Counts per unit × stratum × code: a round with items adds up its units' items."""
        units = len(self.round.units)
        summed: np.ndarray = self.counts.reshape(units, -1, *self.counts.shape[1:]).sum(axis=1)
        return summed

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        """Reject counts per reason, in the order of :class:`Reason`."""
        tally = Counter(r.reason for r in self.rejects)
        return {reason.name: tally[reason.name] for reason in Reason if tally[reason.name]}


def read_ballots(
    r: Round,
    paths: Iterable[str | os.PathLike[str]],
    progress: Progress | None = None,
    displays: list[str] | None = None,
    replicates: tuple[int, int] | None = None,
    corrections: Sequence[Correction] = (),
    log: SheetLog | None = None,
) -> BallotCounts:
    """Read and count every ballot file of a round.

    ``displays`` names the files in rejects and messages (default: the paths as given).
    ``replicates`` (number, seed) also counts Poisson bootstrap replicates in the same
    pass (pingyi.ballots.bootstrap). ``corrections`` are applied to the marks before
    anything is counted (pingyi.ballots.corrections); ``log`` is told every sheet's
    disposition as it is counted (pingyi.ballots.dispositions).
    Raises :class:`PingyiError` for unusable input (a file that cannot be read, a missing
    column, a total row); a bad sheet is a reject, not an error.
    """
    files = ballot_files(paths, displays)
    counter = _Counter(r, files, progress, replicates)
    counter.fixes = (
        Fixes(corrections, counter.codes, list(round_cells(r).ids), counter.on_form) if corrections else None
    )
    counter.log = log
    return counter.run()


class _Counter:
    def __init__(
        self, r: Round, files: list[BallotFile], progress: Progress | None, replicates: tuple[int, int] | None
    ) -> None:
        self.r, self.files, self.progress = r, files, progress
        self.codes = mark_codes(r)
        self.on_form = on_form_matrix(r)
        units, strata = len(round_cells(r)), len(r.strata)  # with items, "units" are unit × item cells
        self.shape = (units, strata, self.codes.counted)
        self.counts = np.zeros(units * strata * self.codes.counted, dtype=np.int64)
        self.sums = np.zeros(units * strata, dtype=np.int64) if self.codes.numeric is not None else None
        self.sheets_by_stratum = np.zeros(strata, dtype=np.int64)
        self.read_by_stratum = np.zeros(strata, dtype=np.int64)
        self.sheets_by_form = np.zeros(self.on_form.shape[0], dtype=np.int64)
        self.read = 0
        self.index = SheetIndex()
        self.origins: list[tuple[int, tuple[int, int, bool] | None, int]] = []  # per batch indexed
        self.rejects: dict[tuple[int, int], Reject] = {}  # (file, line) -> reject
        self.total_bytes = sum(f.path.stat().st_size for f in files)
        self.bytes_before = self.bytes_done = 0  # of the files read / including the current one
        self.replicates = (
            Replicates(units, strata, self.codes.counted, self.on_form, *replicates) if replicates else None
        )
        self.online = OnlineSheets.of(r, files)  # a round's online exports, read before counting
        self.long = long_sheets(r, self.codes, files, self.online)  # long files, pivoted together
        self.fixes: Fixes | None = None
        self.log: SheetLog | None = None

    def run(self) -> BallotCounts:
        for source in self.files:
            reading = read_batches(self.r, self.codes, source, self.prepare, self.online, long=self.long)
            while True:
                try:
                    batch = next(reading)
                except StopIteration as stop:
                    notes: FileNotes = stop.value
                    break
                self._count(batch)
                self._report(batch.bytes_read)
            notes = blank_rows_as_empty_lines(notes, self.r.ballots.delimiter)
            self.files[source.index] = replace(source, notes=notes)
            self.bytes_done = self.bytes_before = self.bytes_before + notes.bytes_read
            self._report(0)
            for line, text in notes.malformed:
                sheet = field_at(text, self.r.ballots.delimiter, notes.sheet_at)
                shown = text[:80].replace("\r", "\\r").replace("\n", "\\n")  # a reject is one line
                detail = f"wrong number of fields: {shown}"
                self._reject(source.index, line, sheet, Reason.malformed_row, detail)
                self.read += 1
        wrong = self.fixes.problems() if self.fixes is not None else []
        if wrong:
            raise PingyiError(wrong)
        if self.index.conflicted:
            self._remove_first_copies_of_conflicts()
        self.index.texts.close()
        rejects = sorted(self.rejects.values(), key=lambda j: (j.file, j.line))
        if self.log is not None:
            self.log.finish(self.files, rejects, bool(self.index.conflicted))
        return BallotCounts(
            self.r,
            self.codes,
            self.files,
            self.counts.reshape(self.shape),
            self.sheets_by_stratum,
            self.read_by_stratum,
            self.sheets_by_form,
            self.read,
            rejects,
            self.replicates.counts if self.replicates is not None else None,
            self.fixes.corrections if self.fixes is not None else [],
            self.sums.reshape(self.shape[:2]) if self.sums is not None else None,
            self.replicates.sums if self.replicates is not None else None,
        )

    def _report(self, bytes_read: int) -> None:
        """Progress in bytes: the files read, and the batches of the file being read."""
        self.bytes_done += bytes_read
        if self.progress is not None:
            self.progress(min(self.bytes_done, self.total_bytes), self.total_bytes)

    def prepare(self, batch: Batch) -> None:
        """What a batch says on its own, before the duplicate check: reasons, hashes and
        the counts of its rows that pass. Uses nothing that changes while counting, so
        readers run it in their own threads (read.READERS). Corrections come first."""
        fixes = self.fixes.apply(batch) if self.fixes is not None else []
        reasons = row_reasons(self.r, self.codes, self.on_form, batch)
        ids, contents = self._hashes(batch)
        passing = reasons == Reason.none
        batch.prepared = _Prepared(reasons, ids, contents, passing, self._bins(batch, passing), fixes)

    def _count(self, batch: Batch) -> None:
        if batch.prepared is None:
            self.prepare(batch)
        prepared: _Prepared = batch.prepared
        reasons, ids = prepared.reasons, prepared.ids
        # a malformed row is no copy of a sheet (its fields are not where they belong): it
        # neither is a first copy nor repeats one, and its stratum is not read from it
        malformed = reasons == Reason.malformed_row
        indexed = (reasons != Reason.missing_sheet_id) & ~malformed
        status = np.zeros(len(batch), dtype=np.int8)
        sheet = batch.sheet if indexed.all() else batch.sheet.filter(pa.array(indexed))
        status[indexed] = self.index.check(ids[indexed], prepared.contents[indexed], sheet)
        if indexed.any():  # the index numbers the batches it checked: where each came from
            self.origins.append((batch.file, batch.span, batch.line_offset))
        reasons[status == DUPLICATE] = Reason.duplicate
        reasons[status == CONFLICT] = Reason.conflicting_duplicate
        if self.index.conflicted:  # a first copy in this batch, of an id a later row conflicts with
            first = (status == FIRST) & indexed & self.index.is_conflicted(batch.sheet)
            reasons[first] = Reason.conflicting_duplicate
        self.read += len(batch)
        known = (batch.stratum >= 0) & ~malformed
        self.read_by_stratum += np.bincount(batch.stratum[known], minlength=len(self.r.strata))
        counted = reasons == Reason.none
        self._apply(prepared.bins, +1)
        self._add(batch, prepared.passing & ~counted, -1)  # passed on their own, but re-scans
        if self.replicates is not None:
            self._replicate(batch, counted, ids, +1)
        batch.prepared = None
        for row in np.nonzero(~counted)[0]:
            why = Reason(int(reasons[row]))
            detail = reason_detail(self.r, self.codes, self.on_form, batch, int(row), why)
            self._reject(batch.file, int(batch.lines[row]), str(batch.sheet[int(row)].as_py()), why, detail)
        display = self.files[batch.file].display
        fixed = self.fixes.record(batch, prepared.fixes, display) if self.fixes is not None else {}
        if self.log is not None:
            self.log.sheets(display, batch.lines, batch.sheet, reasons, fixed)

    def _hashes(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        ids = hashing.hash_strings(batch.sheet)
        content = hashing.combine(hashing.start(len(batch)), batch.stratum)
        content = hashing.combine(content, batch.form)
        for word in hashing.words(batch.marks).T:
            content = hashing.combine(content, word)
        for value in batch.values.T if batch.values is not None else ():  # numbers differ: conflicting
            content = hashing.combine(content, value)
        return ids, content

    def _bins(self, batch: Batch, rows: np.ndarray) -> _Bins:
        """The unit × stratum × code counts of ``rows``, and their sheets per stratum and form.

        One bincount per unit column (the marks are column-major): a row's key is its
        stratum's first bin, or a spare bin past the end for a row not in ``rows`` or a
        unit not on its form, so no row is copied out of the batch.
        """
        units, strata, k = self.shape
        spare = strata * k
        key_row = np.where(rows, batch.stratum.astype(np.intp) * k, spare)
        rated = None if self.on_form.all() else self.on_form.T[:, np.maximum(batch.form, 0)]  # (units, rows)
        counts = np.empty((units, spare), dtype=np.int64)
        for unit in range(units):
            keys = key_row + batch.marks[:, unit]
            if rated is not None:
                keys[~rated[unit]] = spare
            counts[unit] = np.bincount(keys, minlength=spare + k)[:spare]
        stratum = batch.stratum[rows]
        form = np.maximum(batch.form[rows], 0)
        values = batch.values[rows] if batch.values is not None else None
        return (
            counts.ravel(),
            np.bincount(stratum, minlength=strata),
            np.bincount(form, minlength=len(self.sheets_by_form)),
            stratum_sums(values, stratum, strata) if values is not None else None,
        )

    def _apply(self, bins: _Bins, sign: int) -> None:
        counts, by_stratum, by_form, sums = bins
        self.counts += sign * counts
        self.sheets_by_stratum += sign * by_stratum
        self.sheets_by_form += sign * by_form
        if self.sums is not None and sums is not None:
            self.sums += sign * sums

    def _add(self, batch: Batch, rows: np.ndarray, sign: int) -> None:
        """Add (or take away) the marks of ``rows`` to the unit × stratum × code counts."""
        if rows.any():
            self._apply(self._bins(batch, rows), sign)

    def _replicate(self, batch: Batch, rows: np.ndarray, ids: np.ndarray, sign: int) -> None:
        """The bootstrap replicates of the counted ``rows`` (weights from their id hashes)."""
        assert self.replicates is not None
        if rows.any():
            form = np.maximum(batch.form[rows], 0)
            values = batch.values[rows] if batch.values is not None else None
            self.replicates.add(batch.marks[rows], batch.stratum[rows], form, ids[rows], sign, values)

    def _reject(self, file: int, line: int, sheet: str, why: Reason, detail: str) -> None:
        display = self.files[file].display
        self.rejects[(file, line)] = Reject(display, line, sheet, why.name, detail)

    def _remove_first_copies_of_conflicts(self) -> None:
        """A second pass, only when sheets with one id conflict: the first copy was counted
        before the conflict was known, so take it away and reject it too. Ids are matched
        by their text."""
        conflicted = self.index.conflicted
        for key, reject in list(self.rejects.items()):
            if reject.reason == Reason.duplicate.name and reject.sheet in conflicted:
                self._relabel(key, "copies of this sheet id differ")
        found: set[str] = set()
        for source, spans in self._first_copy_spans():
            again = read_batches(self.r, self.codes, source, online=self.online, spans=spans, long=self.long)
            for batch in again:
                if self.fixes is not None:  # the marks counted were the corrected ones
                    self.fixes.apply(batch)
                wanted = pa.array(sorted(conflicted - found), pa.string())
                hits = pc.is_in(batch.sheet, value_set=wanted).to_numpy(zero_copy_only=False)
                for row in np.nonzero(hits)[0]:
                    sheet = str(batch.sheet[int(row)].as_py())
                    if sheet in found or _is_malformed(batch, int(row)):  # no copy: never indexed
                        continue
                    found.add(sheet)
                    key = (batch.file, int(batch.lines[row]))
                    if key in self.rejects:
                        self._relabel(key, "copies of this sheet id differ")
                        continue
                    only = np.zeros(len(batch), dtype=bool)
                    only[row] = True
                    self._add(batch, only, -1)
                    if self.replicates is not None:
                        self._replicate(batch, only, hashing.hash_strings(batch.sheet), -1)
                    self._reject(
                        batch.file,
                        key[1],
                        sheet,
                        Reason.conflicting_duplicate,
                        "copies of this sheet id differ",
                    )
                if found == conflicted:
                    return

    def _first_copy_spans(self) -> list[tuple[BallotFile, list[Span] | None]]:
        """The files to read again for the first copies of conflicted ids, each with the
        byte ranges that hold them (None: the whole file). Only a CSV file read in byte
        ranges can be read in part; a file with no first copy is not read at all."""
        batches = self.index.batches_of_first_copies()
        if batches is None:
            return [(source, None) for source in self.files]
        spans: dict[int, set[Span]] = {}
        whole: set[int] = set()
        for number in batches.tolist():
            file, span, offset = self.origins[number]
            if span is None:
                whole.add(file)
            else:
                spans.setdefault(file, set()).add((*span, offset))
        wanted = whole | set(spans)
        return [
            (source, None if source.index in whole else sorted(spans[source.index]))
            for source in self.files
            if source.index in wanted
        ]

    def _relabel(self, key: tuple[int, int], detail: str) -> None:
        reject = self.rejects[key]
        self.rejects[key] = Reject(
            reject.file, reject.line, reject.sheet, Reason.conflicting_duplicate.name, detail
        )


def _is_malformed(batch: Batch, row: int) -> bool:
    return batch.preset is not None and batch.preset[row] == Reason.malformed_row
