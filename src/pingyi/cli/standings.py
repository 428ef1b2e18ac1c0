"""A category's ranking as people and scripts see it, drawn from results.json's data.

``pingyi tally`` and ``pingyi rank`` print the same rows, so they share this module.
"""

from __future__ import annotations

from typing import Any

import click

from pingyi.cli.output import emit, emit_json, print_table

FLAG_WORDS = {"winner": "优胜", "last_place": "末位", "rectification": "整改", "veto": "否决",
              "tie": "并列"}
COLUMNS = [("rank", "名次"), ("name", "单位"), ("id", "unit"), ("shown_score", "得分"),
           ("satisfaction", "满意率"), ("valid", "有效票"), ("flags", "标记")]
MACHINE_COLUMNS = [(key, key) for key in ("category", "rank", "unit", "name", "score",
                                           "satisfaction_rate", "valid", "flags")]
LISTS = [("winners", "优胜单位", "winner"), ("last_place", "末位单位", "last_place"),
         ("rectification", "重点整改单位", "rectification")]


def category_rows(document: dict[str, Any], category: dict[str, Any]) -> list[dict[str, Any]]:
    """The category's units in rank order, with their figures as the files show them."""
    units = {u["id"]: u for u in document["units"]}
    rows = []
    for unit_id in category["units"]:
        u = units[unit_id]
        rate = u["satisfaction_rate"]
        rows.append({
            "category": u["category"], "rank": u["rank"], "id": u["id"], "name": u["name"],
            "score": u["score"], "satisfaction_rate": rate, "valid": u["valid"],
            "shown_score": None if u["score_exact"] is None else _decimal(u["score_exact"], document),
            "shown_rate": None if rate is None else _decimal(u["satisfaction_rate_exact"], document, 2),
            "satisfaction": None if rate is None else _percent(u["satisfaction_rate_exact"], document),
            "flags": u["flags"],
        })
    return rows


def _decimal(exact: str, document: dict[str, Any], rate_places: int | None = None) -> str:
    """A score as the round shows it (its precision and rounding); with ``rate_places``, a
    0–1 rate with that many places beyond its percentage precision, as scores.csv has it."""
    from fractions import Fraction

    from pingyi.numbers import show

    shown = document["precision"]
    places = shown["score"] if rate_places is None else shown["satisfaction_percent"] + rate_places
    return show(Fraction(exact), places, shown["rounding"])


def _percent(exact: str, document: dict[str, Any]) -> str:
    """A rate as the round shows percentages (its precision and rounding)."""
    from fractions import Fraction

    from pingyi.numbers import show_percent

    shown = document["precision"]
    return show_percent(Fraction(exact), shown["satisfaction_percent"], shown["rounding"])


def show_category(document: dict[str, Any], category: dict[str, Any], fmt: str) -> None:
    """One category: its table and, for people, its award lists with the reasons."""
    rows = category_rows(document, category)
    if fmt == "json":
        units = {u["id"]: u for u in document["units"]}
        emit_json([units[unit_id] for unit_id in category["units"]])
        return
    if fmt == "csv":
        emit([{**row, "unit": row["id"], "score": row["shown_score"], "satisfaction_rate": row["shown_rate"],
               "flags": ";".join(row["flags"])} for row in rows], MACHINE_COLUMNS, fmt)
        return
    table_rows = [{**row, "rank": "—" if row["rank"] is None else row["rank"],
                   "flags": " ".join(FLAG_WORDS[f] for f in row["flags"])} for row in rows]
    rate = category["satisfaction_rate_exact"]
    heading = (f"{category['name']} ({category['id']}): {len(rows)} 个单位"
               + ("" if rate is None else f"，总体满意率 {_percent(rate, document)}"))
    print_table(table_rows, COLUMNS, title=heading)
    if not category["ranked"]:
        click.echo("  (不排名 not ranked)")
        return
    units = {u["id"]: u for u in document["units"]}
    for key, label, flag in LISTS:
        ids = category[key]
        if not ids and key != "winners":
            continue
        names = "、".join(units[i]["name"] for i in ids) or "无"
        click.echo(f"  {label}: {names}")
        if flag != "winner":
            for i in ids:
                click.echo(f"    - {units[i]['name']}: {units[i]['reasons'].get(flag, '')}")
    if category["winners_tie_at_cutoff"]:
        click.echo(f"  注意: 优胜名额线上并列，{len(category['winners'])} 个单位入选 "
                   f"(名额 {category['winners_allowed']})")
    for unit_id in category["units"]:
        u = units[unit_id]
        for flag in ("veto",):
            if flag in u["flags"]:
                click.echo(f"  {u['name']}: {u['reasons'][flag]}")
        if "escalation" in u["reasons"]:
            click.echo(f"  {u['name']}: {u['reasons']['escalation']}")
