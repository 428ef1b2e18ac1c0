"""Supervised corrections of misreads, applied to the marks before anything is counted
(SPEC "Audit").

A card reader misreads a sheet now and then; a supervisor checks the paper and writes a
correction (sheet, unit, read, corrected, reason, by) instead of editing the scanned file,
so the evidence stays and the change leaves a trail. The correction file is read at the
edge (pingyi.sidefiles); here its rows are values.

:class:`Fixes` applies them in the counting pass: a batch's sheet ids are tested against
the corrected ids at once (Arrow ``is_in``) and only the few matching rows are visited in
Python, so a round with corrections costs one vectorised test per batch. Corrections
change ``batch.marks`` before the duplicate check and the counts, so every copy of a
corrected sheet is corrected alike and identical re-scans stay identical.

Copies of one sheet id that differ (a conflicting re-scan) are where a supervisor most
often looks at the paper. A correction's ``read`` must be what each copy reads, except
that a copy already reading ``corrected`` is left as it is: so "read C, corrected A" on a
sheet scanned once as C and once as A makes the copies agree (the second counts as a
duplicate), while a copy reading a third mark is an error. At least one copy must read
``read``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.marks import MarkCodes
from pingyi.errors import Problem
from pingyi.round.items import cell_id

APPLIED, AGREES, MISMATCH, OFF_FORM = 0, 1, 2, 3

#: What a correction did to one copy of its sheet: (row, correction, outcome, mark as read).
Event = tuple[int, int, int, int]


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file, as it is written, and where."""

    sheet: str
    unit: str
    read: str
    corrected: str
    reason: str
    by: str
    file: str
    line: int
    item: str | None = None  # in a round with items, the item of the unit corrected

    @property
    def cell(self) -> str:
        """The marked cell: the unit, or ``unit.item`` in a round with items."""
        return cell_id(self.unit, self.item)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (results.json ``corrections``; ``item`` only where there is one)."""
        return {
            "sheet": self.sheet,
            "unit": self.unit,
            **({"item": self.item} if self.item is not None else {}),
            "read": self.read,
            "corrected": self.corrected,
            "reason": self.reason,
            "by": self.by,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class _Seen:
    """What the counting pass found for one correction."""

    applied: int = 0
    agrees: int = 0
    problem: Problem | None = None  # the first copy that contradicts it, in file order


class Fixes:
    """The corrections of one counting run: applied per batch, checked at the end."""

    def __init__(
        self,
        corrections: Sequence[Correction],
        codes: MarkCodes,
        cell_ids: Sequence[str],
        on_form: np.ndarray,
    ) -> None:
        self.corrections = list(corrections)
        self.codes, self.on_form = codes, on_form
        index = {cell: i for i, cell in enumerate(cell_ids)}
        self.units = [index[c.cell] for c in self.corrections]  # each one's column in batch.marks
        self.read = [codes.code(c.read) for c in self.corrections]
        self.corrected = [codes.code(c.corrected) for c in self.corrections]
        self.by_sheet: dict[str, list[int]] = {}
        for k, c in enumerate(self.corrections):
            self.by_sheet.setdefault(c.sheet, []).append(k)
        self.ids = pa.array(sorted(self.by_sheet), pa.string())
        self.seen = [_Seen() for _ in self.corrections]

    def apply(self, batch: Batch) -> list[Event]:
        """Correct the marks of ``batch`` in place; what each correction did to each copy.

        Uses nothing that changes while counting, so reader threads run it (count.py
        ``prepare``); :meth:`record` takes the events on the main thread, in file order.
        """
        hits = pc.is_in(batch.sheet, value_set=self.ids).to_numpy(zero_copy_only=False)
        if batch.preset is not None:  # a malformed row is no copy of its sheet (count.py)
            hits &= batch.preset != Reason.malformed_row
        rows = np.flatnonzero(hits)
        if not len(rows):
            return []
        if not batch.marks.flags.writeable:
            batch.marks = batch.marks.copy()
        events: list[Event] = []
        for row in rows.tolist():
            form = int(batch.form[row])
            for k in self.by_sheet[str(batch.sheet[row].as_py())]:
                unit = self.units[k]
                mark = int(batch.marks[row, unit])
                if form >= 0 and not self.on_form[form, unit]:
                    outcome = OFF_FORM
                elif mark == self.read[k]:
                    batch.marks[row, unit] = self.corrected[k]
                    outcome = APPLIED
                else:
                    outcome = AGREES if mark == self.corrected[k] else MISMATCH
                events.append((row, k, outcome, mark))
        return events

    def record(self, batch: Batch, events: list[Event], display: str) -> dict[int, str]:
        """Note what the corrections did to a counted batch; per row, the corrections
        applied to it in words (``u3:C→A``), for the per-sheet log."""
        applied: dict[int, list[str]] = {}
        for row, k, outcome, mark in events:
            seen, c = self.seen[k], self.corrections[k]
            line = int(batch.lines[row])
            if outcome == APPLIED:
                seen.applied += 1
                applied.setdefault(row, []).append(
                    f"{c.cell}:{self.name(mark)}→{self.name(self.corrected[k])}"
                )
            elif outcome == AGREES:
                seen.agrees += 1
            elif seen.problem is None:
                seen.problem = self._contradiction(c, outcome, mark, f"{display}:{line}")
        return {row: ";".join(words) for row, words in applied.items()}

    def name(self, code: int) -> str:
        """A mark code's name: the option code, ``blank`` or ``invalid``."""
        return self.codes.names[code] if code < len(self.codes.names) else "not_rated"

    def problems(self) -> list[Problem]:
        """Every correction that names no sheet of the ballots or contradicts one."""
        found = []
        for k, (c, seen) in enumerate(zip(self.corrections, self.seen, strict=True)):
            if seen.problem is not None:
                found.append(seen.problem)
            elif not seen.applied and not seen.agrees:
                found.append(
                    Problem(
                        c.file,
                        c.line,
                        "sheet",
                        "unknown_sheet",
                        f"no sheet '{c.sheet}' in the ballots (expected the id of a scanned sheet)",
                    )
                )
            elif not seen.applied:
                found.append(
                    Problem(
                        c.file,
                        c.line,
                        "read",
                        "read_mismatch",
                        f"sheet '{c.sheet}' already reads {self._mark(self.corrected[k])} "
                        f"for unit '{c.cell}': nothing to correct",
                    )
                )
        return found

    def _contradiction(self, c: Correction, outcome: int, mark: int, where: str) -> Problem:
        if outcome == OFF_FORM:
            return Problem(
                c.file,
                c.line,
                "unit",
                "unit_not_on_form",
                f"unit '{c.cell}' is not on the form of sheet '{c.sheet}' ({where})",
            )
        return Problem(
            c.file,
            c.line,
            "read",
            "read_mismatch",
            f"sheet '{c.sheet}' reads {self._mark(mark)} for unit '{c.cell}' ({where}), "
            f"not {self._mark(self.codes.code(c.read))} as the correction says",
        )

    def _mark(self, code: int) -> str:
        name = self.name(code)
        return name if name in ("blank", "invalid") else f"'{name}'"
