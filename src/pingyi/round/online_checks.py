"""Cross-checks of a round's online keys (SPEC "Online questionnaires"), each located.

The online keys mean something only with an online ``ballots.source``, the paper-only
keys only for paper files; a mapped answer names a stratum the round has; a check that
needs a metadata column (the IP for ``max_per_ip``, the time taken for ``min_seconds``)
has one; ``ballots.paper`` is a paper layout.
"""

from __future__ import annotations

from typing import Any, Protocol

from pingyi.round.models import Ballots, Scale, Stratum, Unit
from pingyi.round.online import PAPER_ONLY_KEYS, metadata_columns
from pingyi.round.yamlfile import Path_

ONLINE_ONLY_KEYS = ("strata_answers", "units_by", "online", "paper")


class Reporter(Protocol):
    def add(self, path: Path_, code: str, message: str) -> None: ...


def check_online(report: Reporter, values: dict[str, Any]) -> None:
    """Add a located problem for every online key that cannot work as written."""
    ballots: Ballots | None = values.get("ballots")
    if ballots is None:
        return
    given = ballots.model_fields_set
    if ballots.source == "paper":
        for key in ONLINE_ONLY_KEYS:
            if key in given:
                report.add(
                    ("ballots", key),
                    "bad_value",
                    f"ballots.{key} is for online exports: set ballots.source: wjx (or online) to use it",
                )
        return
    for key in PAPER_ONLY_KEYS:
        if key in given:
            report.add(
                ("ballots", key),
                "bad_value",
                f"ballots.{key} is a paper-file key, but ballots.source is {ballots.source}: "
                f"put it under ballots.paper (the layout of this round's paper files)",
            )
    _check_metadata(report, ballots)
    strata: list[Stratum | None] = values.get("strata") or []
    if strata and None not in strata:
        known = [s.id for s in strata if s]
        for answer, stratum in ballots.strata_answers.items():
            if stratum not in known:
                report.add(
                    ("ballots", "strata_answers", answer),
                    "unknown_reference",
                    f"'{stratum}' is not a stratum (known: {', '.join(known[:12])})",
                )
    if ballots.paper is not None:
        _check_paper(report, ballots.paper, values)


def _check_metadata(report: Reporter, ballots: Ballots) -> None:
    columns = metadata_columns(ballots)
    where = ("ballots", "online", "columns")
    if "sheet" not in columns:
        report.add(
            ("ballots", "online") if ballots.online else ("ballots", "source"),
            "missing_key",
            "source: online names the export's sheet-number column in online.columns.sheet "
            "(e.g. {sheet: 编号, submitted: 提交时间, seconds: 答题时长, ip: IP地址})",
        )
    online = ballots.online
    if online is None:
        return
    if online.max_per_ip is not None and "ip" not in columns:
        report.add(
            ("ballots", "online", "max_per_ip"),
            "missing_key",
            "max_per_ip needs the IP column: online.columns.ip",
        )
    if online.max_per_ip is not None and "submitted" not in columns:
        report.add(
            ("ballots", "online", "max_per_ip"),
            "missing_key",
            "max_per_ip keeps an IP's first sheets in submit order: name the submit-time column "
            "in online.columns.submitted",
        )
    if online.min_seconds is not None and "seconds" not in columns:
        report.add(
            ("ballots", "online", "min_seconds"),
            "missing_key",
            "min_seconds needs the time-taken column: online.columns.seconds",
        )
    roles: dict[str, str] = {}
    for role, name in columns.items():
        if name.strip() in roles:
            report.add(
                (*where, role),
                "duplicate_id",
                f"column '{name}' is both the {roles[name.strip()]} and the {role} column",
            )
        roles[name.strip()] = role


def _check_paper(report: Reporter, paper: Ballots, values: dict[str, Any]) -> None:
    """``ballots.paper`` is a paper layout: no source or online keys of its own, and its
    unit columns and marks name units and options the round has."""
    for key in ("source", *ONLINE_ONLY_KEYS):
        if key in paper.model_fields_set:
            report.add(
                ("ballots", "paper", key),
                "bad_value",
                f"ballots.paper is the layout of paper files: {key} belongs to ballots, not ballots.paper",
            )
    units: list[Unit | None] = values.get("units") or []
    unit_ids = [u.id for u in units if u]
    if units and None not in units:
        for unit_id in paper.columns:
            if unit_id not in unit_ids:
                report.add(
                    ("ballots", "paper", "columns", unit_id),
                    "unknown_reference",
                    f"'{unit_id}' is not a unit (known: {', '.join(unit_ids[:12])})",
                )
    scale: Scale | None = values.get("scale")
    if scale is not None:
        codes = [o.code for o in scale.options]
        for read, code in paper.marks.items():
            if code not in codes:
                report.add(
                    ("ballots", "paper", "marks", read),
                    "unknown_reference",
                    f"'{code}' is not a scale option (known: {', '.join(codes)})",
                )
