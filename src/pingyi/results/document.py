"""results.json: the whole result, machine-readable (SPEC "Results directory").

Every score and rate appears twice: rounded half-up to the scheme's precision as a JSON
number (``score``, ``satisfaction_rate`` 0–1), and exactly as a fraction string
(``score_exact: "2469/2"``), which is what ranks and thresholds used. Nothing in this
file depends on the names, order or split of the ballot files, nor on the time: the
same ballots give the same bytes (those details are in rejects.csv and manifest.json).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingyi import __version__
from pingyi.ballots.count import BallotCounts
from pingyi.ballots.quotas import quota_status
from pingyi.engine.opinions import Opinion, class_order
from pingyi.engine.result import CategoryResult, TallyResult, UnitResult
from pingyi.engine.score import Tallied
from pingyi.engine.shares import exact_shares, shown_shares
from pingyi.errors import Problem
from pingyi.numbers import Shown, plain, show
from pingyi.report.ballots import sheet_totals
from pingyi.report.rules import describe_rules
from pingyi.results.format import FORMAT_VERSION
from pingyi.results.items import items_list, listed_options, scale_document, unit_items
from pingyi.results.jsontext import dumps_indented
from pingyi.round.models import Round


def exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def number(text: str | None) -> float | int | None:
    """A rounded decimal text as a JSON number (its shortest repr reads back the same)."""
    if text is None:
        return None
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def results_document(
    counts: BallotCounts, result: TallyResult, problems: list[Problem], version: str = __version__
) -> dict[str, Any]:
    """The whole result as JSON-ready data. ``problems`` are every failure and warning of
    the run (STYLE 7a); ``version`` is the pingyi that wrote it (``pingyi verify`` passes
    the version its manifest records, so a newer pingyi can prove an older result)."""
    r = counts.round
    numbers = Shown(r.scoring.precision, r.satisfaction.precision, r.scoring.rounding)
    opinions = result.opinions
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "round": r.round,
        "title": r.title or r.round,
        "date": r.date,
        "scheme": r.scheme,
        "pingyi_version": version,
        "scale": scale_document(r),
        "rectification": (
            None
            if r.awards.rectification is None
            else {
                "below": exact(r.awards.rectification.below),
                "measure": r.awards.rectification.measure,
                "grade": None if r.awards.rectification.grade is None else dict(r.awards.rectification.grade),
            }
        ),
        "precision": {
            "score": numbers.score_places,
            "satisfaction_percent": numbers.percent_places,
            "rounding": numbers.rounding,
        },
        "sheets": sheet_totals(counts),
        "strata": [
            {
                "id": s.id,
                "name": s.name,
                "weight": plain(s.weight),
                "issued": s.issued,
                "read": int(counts.read_by_stratum[i]),
                "counted": int(counts.sheets_by_stratum[i]),
            }
            for i, s in enumerate(r.strata)
        ],
        "quotas": [
            {
                "label": q.label,
                "strata": list(q.strata),
                "count": q.count,
                "share_exact": str(q.share),
                "required": q.required,
                "met": q.met,
            }
            for q in quota_status(counts)
        ],
        "satisfaction_rate": number(numbers.share(result.satisfaction_rate)),
        "satisfaction_rate_exact": exact(result.satisfaction_rate),
        "satisfaction_rate_formed": r.satisfaction.overall,
        "shares_rounding": r.satisfaction.shares_rounding,
        "members": r.members,
        "gradings": [{"id": g.id, "name": g.name, "grades": g.grades()} for g in r.grades],
        "rules": describe_rules(r),
        "failures": [str(p) for p in problems if p.severity in ("failure", "void")],
        "warnings": [str(p) for p in problems if p.severity == "warning"],
        "problems": [p.as_dict() for p in problems],
        "previous": result.previous,
        **({"items": items_list(r)} if r.items else {}),
        "units": [unit_document(r, numbers, counts.codes.names, u) for u in result.units],
        "categories": [category_document(r, numbers, c) for c in result.categories],
    }
    if result.confidence is not None:
        document["confidence"] = result.confidence
    if r.corrections is not None:  # SPEC "Audit": every correction, in file order
        document["corrections"] = [c.as_dict() for c in counts.corrections]
    if r.opinions is not None:
        document["opinion_classes"] = class_order(r.opinions)
        for unit in document["units"]:
            unit["opinions"] = opinions_document(r, [o for o in opinions if o.unit == unit["id"]])
    return document


def opinions_document(r: Round, opinions: list[Opinion]) -> dict[str, Any]:
    """A unit's opinions: how many, per class, and each one (file order)."""
    assert r.opinions is not None
    by_class = {label: 0 for label in class_order(r.opinions)}
    for opinion in opinions:
        by_class[opinion.opinion_class] += 1
    return {
        "count": len(opinions),
        "by_class": by_class,
        "items": [
            {"class": o.opinion_class, "text": o.text, "stratum": o.stratum, "sheet": o.sheet}
            for o in opinions
        ],
    }


def tallied_document(numbers: Shown, names: tuple[str, ...], t: Tallied) -> dict[str, Any]:
    return {
        "counts": dict(zip(names, t.counts, strict=True)),
        "valid": t.valid,
        "score": number(numbers.score(t.score)),
        "score_exact": exact(t.score),
        "satisfaction_rate": number(numbers.share(t.satisfaction_rate)),
        "satisfaction_rate_exact": exact(t.satisfaction_rate),
    }


def unit_document(r: Round, numbers: Shown, names: tuple[str, ...], u: UnitResult) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": u.id, "name": u.unit.name, "category": u.unit.category}
    doc.update(tallied_document(numbers, names, u.tallied))
    doc.update(shares_document(r, names, u.tallied))
    if r.composite is not None:
        doc["ballot_score"], doc["ballot_score_exact"] = doc["score"], doc["score_exact"]
        doc["score"], doc["score_exact"] = number(numbers.score(u.score)), exact(u.score)
        doc["components"] = {
            name: {"value": number(numbers.score(v)), "exact": exact(v)}
            for name, v in (u.components or {}).items()
        }
        doc["deductions"] = number(numbers.score(u.deductions))
        doc["deductions_exact"] = exact(u.deductions)
    doc["rank"] = u.rank
    doc["flags"] = u.ordered_flags()
    doc["reasons"] = {
        flag: u.reasons[flag] for flag in (*u.ordered_flags(), "escalation") if flag in u.reasons
    }
    if u.confidence is not None:
        doc["confidence"] = {
            "rank_interval": list(u.confidence.rank_interval) if u.confidence.rank_interval else None,
            **{award: round(share, 4) for award, share in u.confidence.shares.items()},
        }
    doc["grades"] = {g.id: u.grades[g.id].grade for g in r.grades}
    doc["grade_reasons"] = {g.id: u.grades[g.id].reason for g in r.grades}
    if r.previous is not None and u.movement is not None:
        m = u.movement
        doc.update(
            {
                "previous_rank": m.previous_rank,
                "rank_change": m.rank_change,
                "movement_note": m.note,
                "bonus": number(numbers.score(m.bonus)),
                "bonus_exact": exact(m.bonus),
                "bonus_reason": m.bonus_reason,
            }
        )
    if r.escalation is not None and u.movement is not None:
        doc["last_place_streak"] = u.movement.last_place_streak
        doc["escalated"] = u.movement.escalated
    doc["strata"] = {
        s.id: tallied_document(numbers, names, t) for s, t in zip(r.strata, u.tallied.by_stratum, strict=True)
    }
    if r.items:
        doc["items"] = unit_items(r, u, lambda t: tallied_document(numbers, names, t))
    return doc


def shares_document(r: Round, names: tuple[str, ...], t: Tallied) -> dict[str, Any]:
    """Each valid option's share of the unit's valid marks (and the blank's, where blanks
    are valid), shown as the round rounds them, and exact (SPEC "Per-option shares")."""
    codes = [o.code for o in listed_options(r) if o.valid] + (["blank"] if r.scale.blank.valid else [])
    exact_ = exact_shares(dict(zip(names, t.counts, strict=True)), codes)
    if exact_ is None:
        return {"shares": {code: None for code in codes}, "shares_exact": {code: None for code in codes}}
    shown = shown_shares(exact_, r.satisfaction.precision, r.satisfaction.shares_rounding)
    places = r.satisfaction.precision + 2
    return {
        "shares": {code: number(show(value, places)) for code, value in shown.items()},
        "shares_exact": {code: str(value) for code, value in exact_.items()},
    }


def category_grades(r: Round, c: CategoryResult) -> dict[str, dict[str, list[str]]]:
    """Per grading, the category's units by grade, in rank order (SPEC: categories[].grades)."""
    return {
        g.id: {grade: [u.id for u in c.units if u.grades[g.id].grade == grade] for grade in g.grades()}
        for g in r.grades
    }


def category_document(r: Round, numbers: Shown, c: CategoryResult) -> dict[str, Any]:
    return {
        "id": c.category.id,
        "name": c.category.name,
        "ranked": c.category.ranked,
        "winners_allowed": c.winners_allowed,
        "winners": c.winners,
        "winners_tie_at_cutoff": c.winners_tie_at_cutoff,
        "last_place": c.last_place,
        "rectification": c.rectification,
        "satisfaction_rate": number(numbers.share(c.satisfaction_rate)),
        "satisfaction_rate_exact": exact(c.satisfaction_rate),
        "units": [u.id for u in c.units],
        "grades": category_grades(r, c),
    } | ({"confidence": category_confidence(c)} if any(u.confidence for u in c.units) else {})


def category_confidence(c: CategoryResult) -> dict[str, list[list[Any]]]:
    """Per award, the units that hold it in any replicate, most often first: "末位单位 in
    71 % of resamples; 外经局 in 29 %" (SPEC "How sure is a rank?")."""
    lists: dict[str, list[list[Any]]] = {}
    for award in ("winner", "last_place", "rectification"):
        held = [(u.confidence.shares[award], u.id) for u in c.units if u.confidence is not None]
        ordered = sorted(
            (h for h in held if h[0] > 0),
            key=lambda h: (-h[0], c.units.index(next(u for u in c.units if u.id == h[1]))),
        )
        lists[award] = [[unit, round(share, 4)] for share, unit in ordered]
    return lists


def dumps(document: dict[str, Any]) -> bytes:
    """Stable bytes: UTF-8, Chinese as is, two-space indent, one final newline."""
    return (dumps_indented(document) + "\n").encode("utf-8")
