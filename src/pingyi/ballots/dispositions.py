"""What the counting core tells a per-sheet log (``pingyi tally --audit-log``) as it counts.

The counting core writes nothing itself: it hands each counted batch's dispositions to a
:class:`SheetLog` in file order, and at the end says which dispositions were decided later
(malformed rows, known once a file is read; first copies of a conflicting re-scan, known
once a later copy differs). pingyi.results.auditlog writes such a log to a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    from pingyi.ballots.count import Reject
    from pingyi.ballots.files import BallotFile


class SheetLog(Protocol):
    def sheets(
        self,
        display: str,
        lines: np.ndarray,
        sheet: pa.Array,
        reasons: np.ndarray,
        corrections: dict[int, str],
    ) -> None:
        """One batch: each row's line, sheet id and Reason code (0: counted), and the
        corrections applied to some rows (``u3:C→A``), in file order."""

    def finish(self, files: Sequence[BallotFile], rejects: Sequence[Reject], revised: bool) -> None:
        """The count is done: ``rejects`` are final, and ``revised`` says that some
        were decided after their batch was logged (a conflicting re-scan)."""
