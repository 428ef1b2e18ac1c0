"""Sheets per channel: how many came in on paper and how many online (SPEC "Online
questionnaires": each sheet keeps its channel, the file's ``source``).

Practice tallies channels apart and weighs them (镇海: residents 60 + leaders 30 +
online 10), so a round that takes online exports says, per channel, how many sheets were
read, counted and rejected, and how many were counted per stratum. An export's rows and
strata are known from its reader (:class:`~pingyi.ballots.files.OnlineNotes`); the paper
channel is the rest, so ``read = counted + rejected`` holds per channel as it does for
the round.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from pingyi.ballots.count import BallotCounts
from pingyi.round.online import is_online

PAPER = "paper"


def by_channel(counts: BallotCounts) -> dict[str, dict[str, Any]] | None:
    """``{channel: {read, counted, rejected, counted_by_stratum}}``, paper first, then the
    online channels by name; None for a round without online sources (its outputs stay
    as they were)."""
    r = counts.round
    if not is_online(r):
        return None
    rejected_lines: dict[str, set[int]] = {}
    for reject in counts.rejects:
        rejected_lines.setdefault(reject.file, set()).add(reject.line)
    strata = len(r.strata)
    read: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    by_stratum: dict[str, np.ndarray] = {}
    has_paper = False
    for source in counts.files:
        notes = source.notes.online
        if notes is None:
            has_paper = True
            continue
        channel = notes.channel
        out = np.isin(notes.lines, np.fromiter(rejected_lines.get(source.display, ()), dtype=np.int64))
        read[channel] += len(notes.lines)
        rejected[channel] += int(out.sum())
        kept = notes.strata[~out]
        add = np.bincount(kept[kept >= 0], minlength=strata)
        by_stratum[channel] = by_stratum.get(channel, np.zeros(strata, dtype=np.int64)) + add
    channels = sorted(read)
    if has_paper:
        read[PAPER] = counts.read - sum(read.values())
        rejected[PAPER] = counts.rejected - sum(rejected.values())
        by_stratum[PAPER] = counts.sheets_by_stratum - sum(by_stratum.values(), np.zeros(strata, np.int64))
        channels.insert(0, PAPER)
    return {
        channel: {
            "read": read[channel],
            "counted": read[channel] - rejected[channel],
            "rejected": rejected[channel],
            "counted_by_stratum": {s.id: int(by_stratum[channel][i]) for i, s in enumerate(r.strata)},
        }
        for channel in channels
    }
