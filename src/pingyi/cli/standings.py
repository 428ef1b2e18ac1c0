"""A category's ranking as people and scripts see it, drawn from results.json's data.

``pingyi tally`` and ``pingyi rank`` print the same rows, so they share this module.
People get a table with coloured flags (a grade per grading, and in a round with items
each item's score), a one-line summary, the units by grade (``测评结果: 满意 3（…）;
基本满意 4（…）``) and the award lists with their reasons, in Chinese or English
(``--lang``); scripts get csv or json, in English, the csv with a column per grading
headed by its id (and per item, ``item_<id>``).
"""

from __future__ import annotations

from typing import Any

from pingyi.cli.output import echo, emit, emit_json, print_table
from pingyi.flags import AWARD_FLAGS, flag
from pingyi.numbers import Shown
from pingyi.report.grades import grades_line, gradings, unit_grade
from pingyi.report.i18n import word
from pingyi.report.items import item_figures, items_of, pulled_down

MAX_ITEM_COLUMNS = 5
MACHINE_COLUMNS = [
    (key, key) for key in ("category", "rank", "unit", "name", "score", "satisfaction_rate", "valid", "flags")
]


def _columns(document: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The table's columns; a round with gradings gets one per grading, headed by its name."""
    return [
        ("rank", word("rank", lang)),
        ("name", word("unit", lang)),
        ("id", word("unit_id", lang)),
        ("shown_score", word("score", lang)),
        ("satisfaction", word("rate", lang)),
        ("valid", word("valid", lang)),
        *_item_columns(document, lang),
        *((f"grade:{g['id']}", g["name"]) for g in gradings(document)),
        ("flags", word("flags", lang)),
    ]


def _item_columns(document: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """A round with items: each item's score, headed 项1, 项2 … (the legend under the
    table names them); with more than MAX_ITEM_COLUMNS items only the item that pulled
    the unit down most, so the table stays one screen wide."""
    items = items_of(document)
    if len(items) > MAX_ITEM_COLUMNS:
        return [("weakest_item", word("weakest_item", lang))]
    return [(f"item:{i['id']}", word("item_short", lang, n=n)) for n, i in enumerate(items, start=1)]


def _fitted(rows: list[dict[str, Any]], columns: list[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """The columns, without the item columns where they would not fit the terminal (the
    item that pulled each unit down in their place, if that fits)."""
    from rich.console import Console

    from pingyi.report.sheets import display_width

    def width(chosen: list[tuple[str, str]]) -> int:
        widest = [
            max([display_width(heading), *(display_width(_plain(row.get(key))) for row in rows)])
            for key, heading in chosen
        ]
        return sum(widest) + 3 * len(chosen) + 1

    available = Console().width
    if width(columns) <= available or not any(key.startswith("item:") for key, _ in columns):
        return columns
    plain = [c for c in columns if not c[0].startswith("item:")]
    at = next(i for i, (key, _) in enumerate(columns) if key.startswith("item:"))
    weakest = [*plain[:at], ("weakest_item", word("weakest_item", lang)), *plain[at:]]
    return weakest if width(weakest) <= available else plain


def _plain(value: Any) -> str:
    return "" if value is None else str(getattr(value, "plain", value))


def item_legend(document: dict[str, Any], lang: str) -> str | None:
    """``分项: 项1 比依法行政，项2 比行政效能 …``: what the short item headings stand for."""
    items = items_of(document)
    if not items or len(items) > MAX_ITEM_COLUMNS:
        return None
    separator = word("list_separator", lang)
    listed = separator.join(
        f"{word('item_short', lang, n=n)} {i['name']}" for n, i in enumerate(items, start=1)
    )
    return f"{word('items', lang)}: {listed}"


def category_rows(document: dict[str, Any], category: dict[str, Any]) -> list[dict[str, Any]]:
    """The category's units in rank order, with their figures as the files show them."""
    units = {u["id"]: u for u in document["units"]}
    shown = Shown.of_document(document)
    items = [i["id"] for i in items_of(document)]
    names = {i["id"]: i["name"] for i in items_of(document)}
    rows = []
    for unit_id in category["units"]:
        u = units[unit_id]
        rate = u["satisfaction_rate_exact"]
        weakest = pulled_down(document, u) if items else None
        rows.append(
            {
                "category": u["category"],
                "rank": u["rank"],
                "id": u["id"],
                "name": u["name"],
                "valid": u["valid"],
                "flags": u["flags"],
                "shown_score": shown.score(u["score_exact"]),
                "shown_rate": shown.share(rate),
                "satisfaction": shown.percent(rate),
                **{f"grade:{g['id']}": unit_grade(u, g["id"]) for g in gradings(document)},
                **{f"item:{i}": shown.score(item_figures(u, i).get("score_exact")) for i in items},
                "weakest_item": names.get(weakest[0]) if weakest else None,
            }
        )
    return rows


def show_category(document: dict[str, Any], category: dict[str, Any], fmt: str, lang: str = "zh") -> None:
    """One category: its table and, for people, its summary and award lists with reasons."""
    rows = category_rows(document, category)
    if fmt == "json":
        units = {u["id"]: u for u in document["units"]}
        emit_json([units[unit_id] for unit_id in category["units"]])
        return
    if fmt == "csv":
        graded = [g["id"] for g in gradings(document)]
        items = [f"item_{i['id']}" for i in items_of(document)]  # as scores.csv heads them
        emit(
            [
                {
                    **row,
                    "unit": row["id"],
                    "score": row["shown_score"],
                    "satisfaction_rate": row["shown_rate"],
                    "flags": ";".join(row["flags"]),
                    **{g: row[f"grade:{g}"] for g in graded},
                    **{i: row[f"item:{i[5:]}"] for i in items},
                }
                for row in rows
            ],
            [*MACHINE_COLUMNS, *((g, g) for g in graded), *((i, i) for i in items)],
            fmt,
            numbers=("score", "satisfaction_rate", *items),
        )
        return
    from rich.text import Text

    def flags(names: list[str]) -> Text:
        return Text(" ").join(Text(flag(f).label(lang), style=flag(f).style) for f in names)

    table_rows = [
        {**row, "rank": "—" if row["rank"] is None else row["rank"], "flags": flags(row["flags"])}
        for row in rows
    ]
    columns = _fitted(table_rows, _columns(document, lang), lang)
    print_table(table_rows, columns, title=f"{category['name']} ({category['id']})")
    legend = item_legend(document, lang)
    if legend and any(key.startswith("item:") for key, _ in columns):
        echo(f"  {legend}")
    echo(summary_line(document, category, lang))
    for grading in gradings(document):
        echo(f"  {grades_line(document, category, grading, lang)}")
    if category["ranked"]:
        _lists(document, category, lang)
    for line in confidence_lines(document, category, lang):
        echo(f"  {line}")


def summary_line(document: dict[str, Any], category: dict[str, Any], lang: str) -> str:
    """``地方管理部门: 45 个单位，优胜 5，末位 1，整改 15，总体满意率 90.32%``."""
    parts = [f"{len(category['units'])} {word('units_word', lang)}"]
    if category["ranked"]:
        parts += [f"{award.list_title(lang)} {len(award.listed(category))}" for award in AWARD_FLAGS]
    else:
        parts.append(word("not_ranked", lang))
    rate = category["satisfaction_rate_exact"]
    if rate is not None:
        parts.append(f"{word('overall_rate', lang)} {Shown.of_document(document).percent(rate)}")
    separator = "，" if lang == "zh" else ", "
    return f"{category['name']}: {separator.join(parts)}"


def _lists(document: dict[str, Any], category: dict[str, Any], lang: str) -> None:
    units = {u["id"]: u for u in document["units"]}
    for award in AWARD_FLAGS:
        ids = award.listed(category)
        if not ids and (award.id != "winner" or not category["winners_allowed"]):
            continue
        names = "、".join(units[i]["name"] for i in ids) or word("none", lang)
        echo(f"  {award.list_title(lang)}: {names}")
        for i in ids:
            reason = units[i]["reasons"].get(award.id) or (
                word("winner_grounds", lang, rank=units[i]["rank"], n=category["winners_allowed"])
                if award.id == "winner"
                else ""
            )
            echo(f"    - {units[i]['name']}: {reason}")
    if category["winners_tie_at_cutoff"]:
        echo(
            f"  ! {word('winners', lang)}: {len(category['winners'])} > {category['winners_allowed']} "
            f"({flag('tie').label(lang)})"
        )
    for unit_id in category["units"]:
        reasons = units[unit_id]["reasons"]
        for key in ("veto", "escalation"):
            if key in reasons:
                echo(f"  {units[unit_id]['name']}: {reasons[key]}")


def confidence_lines(document: dict[str, Any], category: dict[str, Any], lang: str) -> list[str]:
    """How sure each award list is: ``重抽样1000次中 末位单位: 农办 82%，外经局 17%`` (SPEC
    "How sure is a rank?"); units held in every replicate are not repeated."""
    held = category.get("confidence")
    config = document.get("confidence")
    if not held or not config:
        return []
    units = {u["id"]: u for u in document["units"]}
    lines = []
    for award in AWARD_FLAGS:
        shares = [(unit, share) for unit, share in held.get(award.id, []) if share < 1]
        if not shares:
            continue
        listed = "，".join(f"{units[unit]['name']} {_percent(share)}" for unit, share in shares)
        if lang == "en":
            lines.append(f"in {config['replicates']} resamples, {award.list_title(lang)}: {listed}")
        else:
            lines.append(f"重抽样{config['replicates']}次中 {award.list_title(lang)}: {listed}")
    return lines


def _percent(share: float) -> str:
    if share < 0.01:
        return "<1%"
    return ">99%" if share > 0.99 else f"{share:.0%}"
