"""Items in the human outputs (SPEC "Items and numeric marks"): each item's score and
rate beside the unit's, and which item pulled the unit down.

A unit's score is the weighted mean of its items' (engine/items.py), so the items below it
are what pulled it down, each by ``w_i × (S − s_i) / Σ w`` points (the shortfalls add up
to what the items above the unit's score lift it by). The item that pulled it down most
is what its feedback names first: seed 000 wants each unit told where it fell short.
Everything here reads results.json's ``items`` and ``units[].items``, exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pingyi.report.i18n import word
from pingyi.report.values import Figures

if TYPE_CHECKING:  # the terminal (pingyi rank) reads items without loading openpyxl
    from openpyxl.worksheet.worksheet import Worksheet


def items_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """results.json's ``items`` ([] for a round without items, or an edited file)."""
    items = document.get("items")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def item_figures(unit: dict[str, Any], item_id: str) -> dict[str, Any]:
    figures = unit.get("items", {}).get(item_id)
    return figures if isinstance(figures, dict) else {}


def pulled_down(document: dict[str, Any], unit: dict[str, Any]) -> tuple[str, Fraction] | None:
    """The item that lowered the unit's score most, and by how many points; None when no
    item is below the unit's score (or the unit has no score)."""
    total = unit.get("ballot_score_exact", unit.get("score_exact"))  # items make the ballot score
    if total is None:
        return None
    rated = []
    for item in items_of(document):
        score = item_figures(unit, item["id"]).get("score_exact")
        if score is not None:
            rated.append((item["id"], Fraction(str(item["weight"])), Fraction(score)))
    weight = sum((w for _, w, _ in rated), Fraction(0))
    if not weight:
        return None
    best: tuple[str, Fraction] | None = None
    for item_id, w, s in rated:  # the first of equal pulls, in the round's item order
        pull = w * (Fraction(total) - s) / weight
        if pull > 0 and (best is None or pull > best[1]):
            best = (item_id, pull)
    return best


def items_sheet(
    ws: Worksheet, document: dict[str, Any], figures: Figures, lang: str, taken: set[str]
) -> None:
    """One row per unit (categories in order, units in rank order): its score and rate,
    each item's score and rate, and the item that pulled it down most."""
    from pingyi.report.sheets import fit_columns, flag_fill, for_print, sheet_title, table

    ws.title = sheet_title(word("items", lang), taken)
    items = items_of(document)
    names = {i["id"]: i["name"] for i in items}
    headers = [word(k, lang) for k in ("category", "rank", "unit", "unit_id", "score", "rate")]
    headers += [word("item_score", lang, name=i["name"]) for i in items]
    headers += [word("item_rate", lang, name=i["name"]) for i in items]
    headers.append(word("weakest_item", lang))
    rows, fills = [], []
    for category in document["categories"]:
        for unit_id in category["units"]:
            u = figures.units[unit_id]
            weakest = pulled_down(document, u)
            rows.append(
                [
                    *figures.listing(category, u),
                    *(figures.score(item_figures(u, i["id"]).get("score_exact")) for i in items),
                    *(figures.rate(item_figures(u, i["id"]).get("satisfaction_rate_exact")) for i in items),
                    names[weakest[0]] if weakest else None,
                ]
            )
            fills.append(flag_fill(u["flags"]))
    formats = [None, None, None, None, figures.score_format, figures.rate_format]
    formats += [figures.score_format] * len(items) + [figures.rate_format] * len(items) + [None]
    table(ws, 1, headers, rows, formats, fills)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {word('items', lang)}")


def unit_items_table(
    ws: Worksheet, top: int, document: dict[str, Any], figures: Figures, unit: dict[str, Any], lang: str
) -> int:
    """A feedback workbook's items: each item's weight, score, rate and valid marks; the
    next free row."""
    from pingyi.report.sheets import table

    headers = [word(k, lang) for k in ("item", "weight", "score", "rate", "valid")]
    rows = []
    for item in items_of(document):
        t = item_figures(unit, item["id"])
        rows.append(
            [
                item["name"],
                _number(str(item["weight"])),
                figures.score(t.get("score_exact")),
                figures.rate(t.get("satisfaction_rate_exact")),
                t.get("valid"),
            ]
        )
    formats = [None, None, figures.score_format, figures.rate_format, None]
    return table(ws, top, headers, rows, formats)


def weakest_line(document: dict[str, Any], figures: Figures, unit: dict[str, Any], lang: str) -> str | None:
    """``最低分项：行政效能（得分 1.50，单位得分 2.93）``: the item that pulled the unit down
    most; None when none is below the unit's score."""
    weakest = pulled_down(document, unit)
    if weakest is None:
        return None
    item = next(i for i in items_of(document) if i["id"] == weakest[0])
    return word(
        "weakest_item_line",
        lang,
        name=item["name"],
        score=figures.shown.score(item_figures(unit, item["id"])["score_exact"]),
        unit=figures.shown.score(unit.get("ballot_score_exact", unit["score_exact"])),
    )


def _number(text: str) -> int | float | str:
    """A weight as Excel shows a number (``4``, ``0.4``); a fraction stays text (``2/3``)."""
    if "/" in text:
        return text
    value = float(text)
    return int(value) if value.is_integer() else value
