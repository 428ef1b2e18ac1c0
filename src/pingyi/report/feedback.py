"""Feedback workbooks: one per unit, what the appraisal office sends each department
(seed 000: 评议结果和意见建议反馈给各被评议单位).

Each holds the unit's score, its rank in its category, its satisfaction rate, its grade
in each grading with the reason (``测评结果：基本满意（满意票19张，…）``), in a round with
items each item's score and the item that pulled the unit down most, each option's
votes and share, its marks by stratum, its rank movement, the rules it met or missed, and
its written opinions grouped by class. Built from a results directory alone.
"""

from __future__ import annotations

import hashlib
import itertools
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pingyi.engine.against import Relation, percent_against, shown_against
from pingyi.flags import flag, flag_label
from pingyi.numbers import Shown, plain
from pingyi.report.confidence_words import unit_line
from pingyi.report.escaping import TERMINAL_UNSAFE
from pingyi.report.grades import grade_line, grade_word, gradings, unit_grade
from pingyi.report.i18n import word
from pingyi.report.items import items_of, unit_items_table, weakest_line
from pingyi.report.shares import share_codes, share_label, unit_shares
from pingyi.report.sheets import (
    Book,
    bold,
    fit_columns,
    for_print,
    note_replaced,
    put,
    replaced,
    table,
    workbook_bytes,
)
from pingyi.report.values import Figures, rectification_line

UNSAFE_IN_NAMES = '<>:"/\\|?*'
#: Bytes of a file name: file systems take 255, and the temporary file written beside it
#: (``.NAME.xxxxxxxx.tmp``) needs some more.
MAX_NAME_BYTES = 200
#: Names Windows keeps for devices, whatever the extension.
DEVICE_NAMES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def file_name(name: str, unit_id: str, taken: set[str]) -> str:
    """A file name from the unit's name that every file system takes: characters none
    accepts (and controls, bidi overrides) replaced by ``_``, no device name, at most
    :data:`MAX_NAME_BYTES` bytes (a longer name is cut and keeps the unit id), and
    unique in ``taken`` whatever the case (the unit id is added when two units clash)."""
    clean = "".join("_" if ch in UNSAFE_IN_NAMES or TERMINAL_UNSAFE.match(ch) else ch for ch in name)
    clean = clean.strip(" .")
    if clean.split(".")[0].upper() in DEVICE_NAMES:
        clean += "_"
    for n in itertools.count():
        suffix = None if n == 0 else unit_id if n == 1 else f"{unit_id}-{n}"
        candidate = _fitted(clean or unit_id, suffix, unit_id)
        if candidate.casefold() not in taken:
            break
    taken.add(candidate.casefold())
    return candidate


def _fitted(stem: str, suffix: str | None, unit_id: str) -> str:
    """``stem[-suffix].xlsx`` in :data:`MAX_NAME_BYTES` bytes. A stem that does not fit is
    cut at a character boundary and followed by the suffix or the unit id, so the file
    still says whose it is (an id too long to keep whole by a digest of it)."""
    name = f"{stem}-{suffix}.xlsx" if suffix else f"{stem}.xlsx"
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    keep = suffix or unit_id
    tail = f"-{keep}.xlsx"
    if len(tail.encode("utf-8")) > MAX_NAME_BYTES // 2:
        tail = f"-{hashlib.sha256(keep.encode('utf-8')).hexdigest()[:16]}.xlsx"
    budget = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .") + tail


def feedback_workbooks(
    document: dict[str, Any], unit_ids: list[str] | None = None, lang: str = "zh"
) -> dict[str, bytes]:
    """File name → workbook bytes, for the given units (default: all, in round order)."""
    return {name: book.data for name, book in feedback_books(document, unit_ids, lang).items()}


def feedback_books(
    document: dict[str, Any], unit_ids: list[str] | None = None, lang: str = "zh"
) -> dict[str, Book]:
    """File name → workbook and its notes (texts written with control characters escaped)."""
    taken: set[str] = set()
    chosen = unit_ids or [u["id"] for u in document["units"]]
    units = {u["id"]: u for u in document["units"]}
    return {file_name(units[i]["name"], i, taken): unit_book(document, i, lang) for i in chosen}


def unit_workbook(document: dict[str, Any], unit_id: str, lang: str = "zh") -> bytes:
    return unit_book(document, unit_id, lang).data


def unit_book(document: dict[str, Any], unit_id: str, lang: str = "zh") -> Book:
    """One unit's feedback workbook; a note at its foot lists texts written escaped."""
    figures = Figures(document)
    unit = figures.units[unit_id]
    category = next(c for c in document["categories"] if c["id"] == unit["category"])
    wb = Workbook()
    ws = wb.active
    ws.title = word("feedback", lang)[:31]
    put(ws, 1, 1, f"{document['title']} {word('feedback', lang)}")
    bold(ws, 1, 1, size=14)
    row = _standing(ws, 3, document, figures, unit, category, lang)
    verdicts = [grade_line(grading, unit, lang) for grading in gradings(document)]
    verdicts_top = row + 1
    if verdicts:
        row = verdicts_top + len(verdicts)
    weakest, weakest_row = weakest_line(document, figures, unit, lang), 0
    if items_of(document):  # each item's figures, and which pulled the unit down
        weakest_row = row = unit_items_table(ws, row + 1, document, figures, unit, lang)
        row += 1 if weakest else 0
    row = _shares(ws, row + 1, document, figures, unit, lang)
    row = _rules(ws, row + 1, document, unit, category, lang)
    row = _by_stratum(ws, row + 1, document, figures, unit, lang)
    if "opinions" in unit:
        _opinions(ws, row + 1, document, unit, lang)
    fit_columns(ws, maximum=36, skip_rows=1)
    for i, verdict in enumerate(verdicts, start=verdicts_top):  # after fitting: it overflows to the right
        put(ws, i, 1, verdict)
        bold(ws, i, 1)
    if weakest and weakest_row:
        put(ws, weakest_row, 1, weakest)
    for_print(ws, title=f"{document['title']} {unit['name']}")
    notes = replaced(wb, lang)
    note_replaced(ws, ws.max_row + 2, notes, lang)
    return Book(workbook_bytes(wb), notes)


def _standing(
    ws: Worksheet,
    top: int,
    document: dict[str, Any],
    figures: Figures,
    unit: dict[str, Any],
    category: dict[str, Any],
    lang: str,
) -> int:
    ranked = [i for i in category["units"] if figures.units[i]["rank"] is not None]
    of_units = word("of_units", lang, n=len(ranked))
    rank = (
        f"{word('rank_in_category', lang, rank=unit['rank'])}（{of_units}）"
        if unit["rank"] is not None
        else word("not_ranked", lang)
    )
    flags = "、".join(flag_label(f, lang) for f in unit["flags"]) or word("none", lang)
    facts: list[tuple[str, Any, str | None]] = [
        (word("unit", lang), unit["name"], None),
        (word("category", lang), category["name"], None),
        (word("score", lang), figures.score(unit["score_exact"]), figures.score_format),
        (word("rank", lang), rank, None),
        (word("rate", lang), figures.rate(unit["satisfaction_rate_exact"]), figures.rate_format),
        (word("valid", lang), unit["valid"], None),
        (word("flags", lang), flags, None),
    ]
    sure = unit_line(unit, lang)  # "末位单位：在82%的重抽样中列入；名次区间 43–45"
    if sure:
        facts.append((word("confidence", lang), sure, None))
    if "previous_rank" in unit:
        facts += [
            (word("previous_rank", lang), unit["previous_rank"], None),
            (word("rank_change", lang), unit["rank_change"], None),
            (word("bonus", lang), unit["bonus"], None),
            (word("bonus_reason", lang), unit.get("bonus_reason") or unit.get("movement_note") or "", None),
        ]
    for i, (label, value, number_format) in enumerate(facts, start=top):
        put(ws, i, 1, label)
        bold(ws, i, 1)
        put(ws, i, 2, value, number_format)
    return top + len(facts)


def _shares(
    ws: Worksheet, top: int, document: dict[str, Any], figures: Figures, unit: dict[str, Any], lang: str
) -> int:
    """Each option's votes and its share beside them, as published tables print them
    (``满意 | 19 | 65.52%``; SPEC "Per-option shares"): the shares as results.json shows
    them, so a largest-remainder round's add up to exactly 100 %."""
    codes = share_codes(document)
    rows = [
        [share_label(document, code), unit["counts"].get(code), share]
        for code, share in zip(codes, unit_shares(document, unit), strict=True)
    ]
    headers = [word(k, lang) for k in ("option", "votes", "share")]
    return table(ws, top, headers, rows, [None, None, figures.rate_format])


def _rules(
    ws: Worksheet,
    top: int,
    document: dict[str, Any],
    unit: dict[str, Any],
    category: dict[str, Any],
    lang: str,
) -> int:
    """Each decision of the round about the unit as a yes or no with its grounds:
    ``列入重点整改单位 | 是 | 满意率 89.34% < 90%``. (Issue 10d: "重点整改单位 | 达到" was read
    as "listed to rectify" by some and as "met the line" by others.)"""
    if unit["rank"] is None:
        return top
    ranked = sum(1 for u in document["units"] if u["category"] == category["id"] and u["rank"] is not None)
    reasons, flags = unit["reasons"], unit["flags"]
    rows = []
    if category["winners_allowed"]:
        grounds = reasons.get("winner") or word(
            "winner_grounds", lang, rank=unit["rank"], n=category["winners_allowed"]
        )
        if "veto" in reasons:
            grounds += f"，{reasons['veto']}"
        rows.append(_decision("winner", grounds, flags, lang))
    if category["last_place"]:
        grounds = reasons.get("last_place") or word("last_place_grounds", lang, rank=unit["rank"], n=ranked)
        rows.append(_decision("last_place", grounds, flags, lang))
    grounds = _rectification_grounds(document, unit, lang)
    if grounds is not None:
        rows.append(_decision("rectification", grounds, flags, lang))
    if "escalation" in reasons:
        rows.append([word("escalation", lang), word("yes", lang), reasons["escalation"]])
    if not rows:
        return top
    return table(ws, top, [word(k, lang) for k in ("decision", "outcome", "grounds")], rows)


def _decision(flag_id: str, grounds: str, flags: list[str], lang: str) -> list[str]:
    return [flag(flag_id).decision(lang), word("yes" if flag_id in flags else "no", lang), grounds]


def _rectification_grounds(document: dict[str, Any], unit: dict[str, Any], lang: str) -> str | None:
    """The unit's figure against the rectification line, and why a unit under the line
    is not listed (seed 002: apart from last-place units)."""
    rule = document.get("rectification")
    if rule is None:
        return None
    if "rectification" in unit["flags"]:
        return str(unit["reasons"]["rectification"])
    below = rectification_line(document)
    if below is None:  # ordered by a grade: the engine's reason names it for listed units
        return _grade_grounds(document, rule, unit, lang)
    by_rate = rule["measure"] == "satisfaction_rate"
    exact = unit["satisfaction_rate_exact"] if by_rate else unit["score_exact"]
    if exact is None:
        return None
    shown = Shown.of_document(document)
    under = Fraction(exact) < below
    relation: Relation = "<" if under else "≥"
    if by_rate:
        value = percent_against(Fraction(exact), relation, below, shown.percent_places, shown.rounding)
    else:
        value = shown_against(Fraction(exact), relation, below, shown.score_places, shown.rounding)
    line = f"{plain(below * 100)}%" if by_rate else plain(below)
    text = f"{word('rate' if by_rate else 'score', lang)} {value} {relation} {line}"
    return text + _excluded(unit, lang) if under else text


def _excluded(unit: dict[str, Any], lang: str) -> str:
    """``，但末位单位不列入重点整改单位`` for a unit the rule would list but for an award it
    holds (seed 002: apart from last-place units)."""
    held = next((f for f in unit["flags"] if f in ("last_place", "winner")), None)
    if held is None:
        return ""
    name = flag(held).list_title(lang) if lang == "zh" else flag(held).label(lang)
    return word("not_listed_as", lang, held=name)


def _grade_grounds(document: dict[str, Any], rule: dict[str, Any], unit: dict[str, Any], lang: str) -> str:
    """``测评结果为基本满意``: the unit's grade in the grading the rule names (where
    results.json says which), else its grades."""
    names = {g["id"]: g["name"] for g in gradings(document)}
    grades: dict[str, Any] = unit["grades"] if isinstance(unit.get("grades"), dict) else {}
    wanted: dict[str, Any] = rule["grade"] if isinstance(rule.get("grade"), dict) else {}
    shown = [i for i in grades if i in wanted] or list(grades)
    text = "，".join(f"{names.get(i, i)}为{grade_word(unit_grade(unit, i), lang)}" for i in shown)
    if any(unit_grade(unit, i) == grade for i, grade in wanted.items()):
        text += _excluded(unit, lang)
    return text


def _by_stratum(
    ws: Worksheet, top: int, document: dict[str, Any], figures: Figures, unit: dict[str, Any], lang: str
) -> int:
    options = document["scale"]["options"]
    names = {s["id"]: s["name"] for s in document["strata"]}
    headers = [
        word("stratum", lang),
        *(o["label"] for o in options),
        document["scale"]["blank"]["label"],
        word("invalid", lang),
        word("valid", lang),
        word("score", lang),
        word("rate", lang),
    ]
    rows = [
        [
            names[sid],
            *(t["counts"][o["code"]] for o in options),
            t["counts"]["blank"],
            t["counts"]["invalid"],
            t["valid"],
            figures.score(t["score_exact"]),
            figures.rate(t["satisfaction_rate_exact"]),
        ]
        for sid, t in unit["strata"].items()
    ]
    formats = [None] * (len(headers) - 2) + [figures.score_format, figures.rate_format]
    return table(ws, top, headers, rows, formats)


def _opinions(ws: Worksheet, top: int, document: dict[str, Any], unit: dict[str, Any], lang: str) -> int:
    opinions = unit["opinions"]
    put(ws, top, 1, f"{word('opinions', lang)}（{opinions['count']}）")
    bold(ws, top, 1)
    rows = []
    for label in document["opinion_classes"]:
        items = [item for item in opinions["items"] if item["class"] == label]
        for i, item in enumerate(items):
            rows.append([f"{label}（{len(items)}）" if i == 0 else "", item["text"], item["stratum"]])
    return table(ws, top + 1, [word("opinion_class", lang), word("text", lang), word("stratum", lang)], rows)
