"""The per-sheet disposition log (``pingyi tally --audit-log FILE``, SPEC "Audit").

One row per sheet read, ``file,line,sheet,disposition,correction``: the disposition is
``counted`` or the reject reason (the codes of rejects.csv), the correction the
corrections applied to that copy (``u3:C→A``, several joined by ``;``). So a notary can
follow every sheet from the scanned file to the count.

It streams: each counted batch is written as the counting core hands it over (a 10^6-sheet
round never holds its log in memory), to a temporary file beside the target, built with
Arrow's string kernels rather than a Python loop per row. Two kinds of disposition are
known only later: a malformed row (known when its file is read to the end) and the first
copy of a sheet whose later re-scan differs (logged ``counted``, then rejected as
``conflicting_duplicate``). When either happened, the log is copied once more, row by
row, with the final dispositions from the rejects (which the count keeps in memory
anyway) and the malformed rows merged in at their lines: a second sequential pass over
the log, bounded in memory by the rejects. The file takes the target's place only when
the whole run succeeds (:meth:`AuditLog.commit`); a failed run leaves the old file, or
none, and no temporary file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.ballots import arrowtext
from pingyi.ballots.batch import Reason
from pingyi.ballots.count import Reject
from pingyi.ballots.files import BallotFile
from pingyi.errors import PingyiError, Problem
from pingyi.report.escaping import csv_lines, csv_text

HEADER = ("file", "line", "sheet", "disposition", "correction")
COUNTED = "counted"
#: Sheet ids that need quoting or a formula guard in a CSV cell (the rest are joined as they are).
_SPECIAL = r"^['=+\-@\t\r]|[,\"\r\n]"


class AuditLog:
    """A per-sheet log being written to a temporary file beside ``path``.

    Use it as a context manager: leaving the block by an exception removes the
    temporary file; :meth:`commit` puts the log in place.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as error:
            raise _cannot_write(path, error) from error
        self.temporary = Path(temporary)
        self.out: IO[bytes] = os.fdopen(handle, "wb")
        self.out.write(_line(HEADER))
        self.names = np.empty(max(Reason) + 1, dtype=object)  # a Reason code's name
        for reason in Reason:
            self.names[reason] = COUNTED if reason == Reason.none else reason.name
        self.rows = 0

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not self.out.closed or self.temporary.exists():
            self.discard()

    def sheets(
        self,
        display: str,
        lines: np.ndarray,
        sheet: pa.Array,
        reasons: np.ndarray,
        corrections: dict[int, str],
    ) -> None:
        """Write one counted batch (see :class:`pingyi.ballots.dispositions.SheetLog`)."""
        n = len(lines)
        if not n:
            return
        sheet = pc.fill_null(sheet.cast(pa.string()), "")
        special = pc.match_substring_regex(sheet, _SPECIAL).to_numpy(zero_copy_only=False)
        dispositions = self.names[reasons.astype(np.int64)]
        if corrections or special.any():
            self.out.write(self._rows(display, lines, sheet, dispositions, corrections))
        else:
            joined = pc.binary_join_element_wise(
                pa.scalar(_cell(display)),
                pa.array(lines, pa.int64()).cast(pa.string()),
                sheet,
                pa.array(dispositions, pa.string()),
                pa.scalar("\n"),
                ",",
            )
            self.out.write(_data(joined))
        self.rows += n

    def _rows(
        self,
        display: str,
        lines: np.ndarray,
        sheet: pa.Array,
        dispositions: np.ndarray,
        corrections: dict[int, str],
    ) -> bytes:
        """A batch row by row (one holding corrections, or ids that need quoting)."""
        file = csv_text(display)
        rows = (
            (file, line, csv_text(text), disposition, corrections.get(row, ""))
            for row, (line, text, disposition) in enumerate(
                zip(lines.tolist(), sheet.to_pylist(), dispositions.tolist(), strict=True)
            )
        )
        return "".join(csv_lines(rows)).encode("utf-8")

    def finish(self, files: Sequence[BallotFile], rejects: Sequence[Reject], revised: bool) -> None:
        """The count is done: rewrite the log once if a disposition was decided after its
        batch was written, or a file had malformed rows (see the module's docstring)."""
        malformed = {f.display: f.malformed for f in files if f.malformed}
        if not revised and not malformed:
            return
        final = {(csv_text(j.file), j.line): j for j in rejects}
        self.out.close()
        written = self.temporary
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        self.temporary, self.out = Path(temporary), os.fdopen(handle, "wb")
        try:
            self.out.write(_line(HEADER))
            with open(written, encoding="utf-8", newline="") as old:
                rows = csv.reader(old)
                next(rows)
                for row in _merged(rows, files, final, malformed):
                    self.out.write(_line(row))
        finally:
            written.unlink()

    def commit(self, inputs: Sequence[Path] = ()) -> None:
        """Put the log in place of ``path`` (atomically: by a rename in its folder), unless
        ``path`` is one of the run's ``inputs``."""
        resolved = self.path.resolve()
        if any(resolved == p.resolve() for p in inputs):
            self.discard()
            raise PingyiError(
                [
                    Problem(
                        str(self.path),
                        None,
                        "",
                        "output_refused",
                        "is an input of this run; it is never overwritten",
                    )
                ]
            )
        try:
            self.out.flush()
            os.fsync(self.out.fileno())
            self.out.close()
            os.chmod(self.temporary, 0o666 & ~_umask())
            os.replace(self.temporary, self.path)
        except OSError as error:
            self.discard()
            raise _cannot_write(self.path, error) from error

    def discard(self) -> None:
        """Remove the temporary file (a failed run leaves the old log, or none)."""
        self.out.close()
        self.temporary.unlink(missing_ok=True)


def _merged(
    rows: Iterator[list[str]],
    files: Sequence[BallotFile],
    final: dict[tuple[str, int], Reject],
    malformed: dict[str, list[tuple[int, str]]],
) -> Iterator[Sequence[str | int]]:
    """The logged rows with their final dispositions, and each file's malformed rows at
    their lines (the logged rows are in file order, each file's in line order)."""
    pending = next(rows, None)
    for source in files:
        file = csv_text(source.display)
        extra = sorted(line for line, _ in malformed.get(source.display, []))
        while pending is not None and pending[0] == file:
            line = int(pending[1])
            while extra and extra[0] < line:
                yield _malformed(file, extra.pop(0), final)
            reject = final.get((file, line))
            yield [*pending[:3], reject.reason if reject else COUNTED, pending[4]]
            pending = next(rows, None)
        for line in extra:
            yield _malformed(file, line, final)
    if pending is not None:
        raise AssertionError(f"a logged row of no ballot file, or out of file order: {pending[:2]}")


def _malformed(file: str, line: int, final: dict[tuple[str, int], Reject]) -> list[str | int]:
    reject = final[(file, line)]
    return [file, line, csv_text(reject.sheet), reject.reason, ""]


def _line(row: Sequence[str | int]) -> bytes:
    return next(csv_lines([row])).encode("utf-8")


def _cell(text: str) -> str:
    """A text as one CSV cell: a formula guard, and quotes where it needs them."""
    return next(csv_lines([[csv_text(text)]]))[:-1]


def _data(joined: pa.Array) -> bytes:
    """The bytes of a string array's values, end to end (each already ends ``\\n``)."""
    return arrowtext.joined(joined).tobytes()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, error: OSError) -> PingyiError:
    why = error.strerror or str(error)
    return PingyiError(
        [Problem(str(path), None, "", "write_failed", f"cannot write: {why}; nothing was changed")]
    )
