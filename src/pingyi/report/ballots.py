"""What the ballots of a round amount to before scoring: the summary ``pingyi check``
prints, drawn from one :class:`~pingyi.ballots.count.BallotCounts` (STYLE 7a)."""

from __future__ import annotations

from typing import Any

import numpy as np

from pingyi.ballots.channels import by_channel
from pingyi.ballots.count import BallotCounts
from pingyi.ballots.quotas import QuotaStatus, issued_status, quota_status
from pingyi.engine.against import percent_against
from pingyi.errors import Problem
from pingyi.numbers import show_percent

COVERAGE_ROWS = 5


def ballot_summary(counts: BallotCounts) -> dict[str, Any]:
    """Sheets read/counted/rejected, per stratum and form, quotas, coverage, file notes."""
    r = counts.round
    quotas = quota_status(counts)
    issued = {s.stratum: s for s in issued_status(counts)}
    valid = _valid_marks(counts)
    order = np.lexsort((np.arange(len(r.units)), valid))[:COVERAGE_ROWS]
    problems = ballot_problems(counts)
    return {
        "round": r.round,
        "sheets": sheet_totals(counts),
        "strata": [
            {
                "id": s.id,
                "name": s.name,
                "read": int(counts.read_by_stratum[i]),
                "counted": int(counts.sheets_by_stratum[i]),
                "issued": s.issued,
                "return_rate": (show_percent(issued[s.id].return_rate, 2) if s.id in issued else None),
            }
            for i, s in enumerate(r.strata)
        ],
        "forms": [
            {"id": form, "counted": int(counts.sheets_by_form[i])} for i, form in enumerate(r.forms or {})
        ],
        "quotas": [
            {
                "label": q.label,
                "strata": list(q.strata),
                "count": q.count,
                "share": shown_share(q),
                "required": q.required,
                "met": q.met,
            }
            for q in quotas
        ],
        "coverage": [{"unit": r.units[i].id, "name": r.units[i].name, "valid": int(valid[i])} for i in order],
        "files": [
            {
                "file": f.display,
                "encoding": f.encoding,
                "empty_lines": f.empty_lines,
                "unused_columns": f.unused_columns,
                **({"mapping": f.notes.online.mapping} if f.notes.online is not None else {}),
            }
            for f in counts.files
        ],
        "failures": [p.message for p in problems if p.severity == "failure"],
        "void": [p.message for p in problems if p.severity == "void"],
    }


def sheet_totals(counts: BallotCounts) -> dict[str, Any]:
    """Sheets read = counted + rejected, by reason (and by channel with online exports):
    the same figures in check's summary and results.json."""
    channels = by_channel(counts)
    return {
        "read": counts.read,
        "counted": counts.counted,
        "rejected": counts.rejected,
        "rejected_by_reason": counts.rejected_by_reason,
        **({"by_channel": channels} if channels is not None else {}),
    }


def ballot_problems(counts: BallotCounts) -> list[Problem]:
    """What the ballots as a whole fail: quotas missed and conflicting sheets (``failure``:
    exit 1 under --strict), more sheets counted than issued (``void``, a 政协 rule)."""
    failures = [
        Problem(
            "",
            None,
            "",
            "quota_missed",
            f"quota missed: {q.label} ({shown_share(q)}, {q.count} sheets; required {q.required})",
            "failure",
        )
        for i, q in enumerate(quota_status(counts))
        if not q.met
    ]
    conflicts = counts.rejected_by_reason.get("conflicting_duplicate", 0)
    if conflicts:
        failures.append(
            Problem(
                "",
                None,
                "",
                "conflicting_sheets",
                f"{conflicts} sheets share an id with different contents",
                "failure",
            )
        )
    void = [
        Problem(
            "",
            None,
            "",
            "over_issued",
            f"stratum {s.stratum}: {s.counted} sheets counted but only {s.issued} issued",
            "void",
        )
        for s in issued_status(counts)
        if s.over_issued
    ]
    return failures + void


def _valid_marks(counts: BallotCounts) -> np.ndarray:
    """Valid marks per unit: options that are valid, and blanks where the scheme counts them."""
    r = counts.round
    per_code = counts.by_unit().sum(axis=1)  # with items: a unit's marks on all its items
    valid_codes = [i for i, o in enumerate(r.mark_options()) if o.valid]
    if r.scale.blank.valid:
        valid_codes.append(counts.codes.blank)
    valid: np.ndarray = per_code[:, valid_codes].sum(axis=1)
    return valid


def shown_share(q: QuotaStatus) -> str:
    """A quota's share as shown beside its lines: a missed one on its side of the line it
    misses (``59.995%`` against ``≥ 60%``, never ``60.00%``: engine.against)."""
    if q.missed is None:
        return show_percent(q.share, 2)
    return percent_against(q.share, q.missed[0], q.missed[1], 2)
