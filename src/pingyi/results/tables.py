"""scores.csv, strata.csv and rejects.csv: the machine tables of the results directory.

English headers, UTF-8 without BOM, ``\\n`` line ends, one header row; each figure is given
rounded to the round's precision, then exactly (the ``_exact`` fraction of results.json).
Text from inputs (ids, names, sheet ids, file names, details, grading ids and grades)
that a spreadsheet would run as a formula gets a leading ``'``
(:func:`~pingyi.report.escaping.csv_text`); figures never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pingyi.ballots.count import Reject
from pingyi.numbers import Shown
from pingyi.report.escaping import csv_lines, csv_text
from pingyi.report.grades import gradings, unit_grade
from pingyi.report.shares import share_codes, share_text, unit_shares
from pingyi.round.practice_checks import UNIT_EXTRA_COLUMNS

REJECT_FIELDS = ("file", "line", "sheet", "reason", "detail")
NUMBER_FIELDS = ("score", "score_exact", "satisfaction_rate", "satisfaction_rate_exact")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as they are given: the caller escapes the text columns from inputs."""
    lines = csv_lines([header, *(["" if v is None else v for v in row] for row in rows)])
    return "".join(lines).encode("utf-8")


def _shown(document: dict[str, Any], figures: dict[str, Any]) -> list[str | None]:
    """score, score_exact, satisfaction_rate, satisfaction_rate_exact as decimal text with
    the round's precision (the rate as a 0–1 share with two more places)."""
    shown = Shown.of_document(document)
    score, rate = figures["score_exact"], figures["satisfaction_rate_exact"]
    return [shown.score(score), score, shown.share(rate), rate]


def scores_csv(document: dict[str, Any]) -> bytes:
    """One row per unit, categories in round order, each in rank order. After the counts
    and valid marks come the shown shares (``share_A`` …, 0–1 text like
    ``satisfaction_rate``; SPEC "Per-option shares") and the grade of each grading
    (headed by the grading's id); in a round with items, last, each item's shown score
    (``item_<id>``)."""
    units = {u["id"]: u for u in document["units"]}
    first = document["units"][0]
    codes = list(first["counts"])
    shares = share_codes(document)
    places = Shown.of_document(document).percent_places
    graded = [g["id"] for g in gradings(document)]
    extra = [k for k in UNIT_EXTRA_COLUMNS if k in first]
    components = list(first.get("components", {}))
    items = [i["id"] for i in document.get("items", [])]
    shown = Shown.of_document(document)
    header = [
        "category",
        "rank",
        "unit",
        "name",
        *NUMBER_FIELDS,
        *codes,
        "valid",
        *(f"share_{c}" for c in shares),
        *(csv_text(g) for g in graded),
        "flags",
        *components,
        *extra,
        *(csv_text(f"item_{i}") for i in items),
    ]
    rows = []
    for category in document["categories"]:
        for unit_id in category["units"]:
            u = units[unit_id]
            rows.append(
                [
                    csv_text(u["category"]),
                    u["rank"],
                    csv_text(u["id"]),
                    csv_text(u["name"]),
                    *_shown(document, u),
                    *(u["counts"][c] for c in codes),
                    u["valid"],
                    *(share_text(v, places) for v in unit_shares(document, u)),
                    *(_text(unit_grade(u, g)) for g in graded),
                    ";".join(u["flags"]),
                    *(u["components"][c]["value"] for c in components),
                    *(_cell(u[k]) for k in extra),
                    *(shown.score(u["items"][i]["score_exact"]) for i in items),
                ]
            )
    return to_csv(header, rows)


def strata_csv(document: dict[str, Any]) -> bytes:
    """One row per unit × stratum: its counts, valid marks, score and rate there; in a
    round with items, one row per unit × item × stratum (an ``item`` column after
    ``unit``), the unit's own figures being in scores.csv."""
    first = document["units"][0]
    codes = list(first["counts"])
    items = [i["id"] for i in document.get("items", [])]
    header = ["unit", *(["item"] if items else []), "stratum", *codes, "valid", *NUMBER_FIELDS]
    rows = []
    for u in document["units"]:
        parts = [([csv_text(i)], u["items"][i]) for i in items] if items else [([], u)]
        for item, figures in parts:
            for stratum, t in figures["strata"].items():
                rows.append(
                    [
                        csv_text(u["id"]),
                        *item,
                        csv_text(stratum),
                        *(t["counts"][c] for c in codes),
                        t["valid"],
                        *_shown(document, t),
                    ]
                )
    return to_csv(header, rows)


def rejects_csv(rejects: Iterable[Reject]) -> bytes:
    """Every rejected sheet; the reason is pingyi's code, the rest may come from inputs."""
    return to_csv(
        REJECT_FIELDS,
        ([csv_text(j.file), j.line, csv_text(j.sheet), j.reason, csv_text(j.detail)] for j in rejects),
    )


def _text(value: str | None) -> str | None:
    return None if value is None else csv_text(value)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
