"""report.xlsx: the official workbook an appraisal office hands on without retouching.

Drawn from results.json's document (and the rejected sheets), in the round's Chinese
names: a summary with the rules in words, one ranked sheet per category with its bar
charts (each option's share beside its count, and the grades), in a round with items
each unit's item scores and rates (report/items.py), one sheet per grading
listing the units by grade with the reasons, the lists of winners, last place and
rectification with reasons, the stratum breakdown, rank movement when a previous round
is given, the opinions and every rejected sheet. Figures are stored rounded as the
scheme shows them (so Excel shows the same digits as the terminal) with number formats
of the scheme's precision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from pingyi.ballots.count import Reject
from pingyi.flags import AWARD_FLAGS, Flag, flag_label
from pingyi.report.audit_sheets import (
    confidence_cells,
    confidence_formats,
    confidence_headings,
    confidence_sheet,
    corrections_sheet,
    summary_facts,
)
from pingyi.report.channels import channel_sheet
from pingyi.report.escaping import xlsx_text
from pingyi.report.grade_sheets import grading_sheet
from pingyi.report.grades import gradings, unit_grade
from pingyi.report.i18n import reject_reason, word
from pingyi.report.items import items_of, items_sheet
from pingyi.report.shares import rate_heading, share_headings, unit_shares
from pingyi.report.sheets import (
    Book,
    bold,
    fit_columns,
    flag_fill,
    for_print,
    note_replaced,
    put,
    replaced,
    sheet_title,
    table,
    workbook_bytes,
)
from pingyi.report.values import Figures

CHART_ANCHOR_GAP = 2  # rows between a table and its first chart
CHART_ROWS = 17  # rows a chart of height 8 cm takes


def report_workbook(
    document: dict[str, Any], rejects: Sequence[Reject], lang: str = "zh", operator: str | None = None
) -> bytes:
    """The bytes of report.xlsx (see :func:`report_book` for its notes too)."""
    return report_book(document, rejects, lang, operator).data


def report_book(
    document: dict[str, Any], rejects: Sequence[Reject], lang: str = "zh", operator: str | None = None
) -> Book:
    """report.xlsx and its notes: each input text whose control characters had to be
    written escaped, also listed at the foot of the summary sheet. ``operator`` (who ran
    the count, SPEC "Audit") is on the summary sheet."""
    figures = Figures(document)
    wb = Workbook()
    taken: set[str] = set()
    summary = wb.active
    _summary(summary, document, figures, lang, taken, operator)
    for category in document["categories"]:
        _category(wb.create_sheet(), document, figures, category, lang, taken)
    if items_of(document):  # a round with items: each unit's item scores and rates
        items_sheet(wb.create_sheet(), document, figures, lang, taken)
    for grading in gradings(document):
        grading_sheet(wb.create_sheet(), document, figures, grading, lang, taken)
    for award in AWARD_FLAGS:
        _award_list(wb.create_sheet(), document, figures, award, lang, taken)
    if "confidence" in document:
        confidence_sheet(wb.create_sheet(), document, lang, taken)
    _strata(wb.create_sheet(), document, figures, lang, taken)
    if "by_channel" in document["sheets"]:  # a round with online exports
        channel_sheet(wb.create_sheet(), document, lang, taken)
    if document.get("previous"):
        _movement(wb.create_sheet(), document, figures, lang, taken)
    if "opinion_classes" in document:
        _opinions(wb.create_sheet(), document, lang, taken)
    if "corrections" in document:
        corrections_sheet(wb.create_sheet(), document, lang, taken)
    _rejects(wb.create_sheet(), rejects, lang, taken)
    notes = replaced(wb, lang)
    note_replaced(summary, summary.max_row + 2, notes, lang)
    return Book(workbook_bytes(wb), notes)


def _summary(
    ws: Worksheet,
    document: dict[str, Any],
    figures: Figures,
    lang: str,
    taken: set[str],
    operator: str | None,
) -> None:
    ws.title = sheet_title(word("summary", lang), taken)
    put(ws, 1, 1, document["title"])
    bold(ws, 1, 1, size=14)
    sheets = document["sheets"]
    reasons = word("list_separator", lang).join(
        f"{reject_reason(k, lang)} {v}" for k, v in sheets["rejected_by_reason"].items()
    )
    facts = [
        (word("round", lang), document["round"]),
        (word("date", lang), document.get("date") or ""),
        (word("scheme", lang), scheme_title(document)),
        (word("sheets_read", lang), sheets["read"]),
        (word("sheets_counted", lang), sheets["counted"]),
        (word("sheets_rejected", lang), sheets["rejected"]),
        (word("rejected_by_reason", lang), reasons or word("none", lang)),
        (word("overall_rate", lang), figures.rate(document["satisfaction_rate_exact"])),
    ]
    facts[3:3] = summary_facts(document, operator, lang)  # the overall rate stays last
    for i, (label, value) in enumerate(facts, start=3):
        put(ws, i, 1, label)
        bold(ws, i, 1)
        put(ws, i, 2, value, figures.rate_format if i == 2 + len(facts) else None)
    row = 3 + len(facts)
    if document["quotas"]:
        quota_rows = [
            (
                q["label"],
                q["count"],
                figures.rate(q["share_exact"]),
                q["required"],
                word("yes" if q["met"] else "no", lang),
            )
            for q in document["quotas"]
        ]
        fills = [None if q["met"] else flag_fill(["last_place"]) for q in document["quotas"]]
        row = table(
            ws,
            row + 1,
            [word(k, lang) for k in ("quota", "count", "share", "required", "met")],
            quota_rows,
            [None, None, figures.rate_format, None, None],
            fills,
        )
    fit_columns(ws, maximum=40, skip_rows=1)
    put(ws, row + 1, 1, word("rules", lang))  # after fitting: a rule overflows to the right
    bold(ws, row + 1, 1)
    for i, rule in enumerate(document["rules"], start=row + 2):
        put(ws, i, 1, rule)
    for_print(ws, title=document["title"])


def _category(
    ws: Worksheet,
    document: dict[str, Any],
    figures: Figures,
    category: dict[str, Any],
    lang: str,
    taken: set[str],
) -> None:
    ws.title = sheet_title(category["name"], taken)
    units = figures.units
    options = document["scale"]["options"]
    shares, graded = share_headings(document, lang), gradings(document)
    headers = [word(k, lang) for k in ("rank", "unit", "unit_id", "score")] + [rate_heading(document, lang)]
    headers += [o["label"] for o in options]
    headers += [document["scale"]["blank"]["label"]]
    headers += [word(k, lang) for k in ("invalid", "valid")] + shares + [g["name"] for g in graded]
    headers += [word(k, lang) for k in ("flags", "reasons")] + confidence_headings(document, lang)
    threshold = figures.rate_threshold()
    if threshold is not None:
        headers.append(word("threshold", lang))
    rows, fills = [], []
    for unit_id in category["units"]:
        u = units[unit_id]
        counts = u["counts"]
        row = [
            u["rank"],
            u["name"],
            u["id"],
            figures.score(u["score_exact"]),
            figures.rate(u["satisfaction_rate_exact"]),
        ]
        row += [counts[o["code"]] for o in options] + [counts["blank"], counts["invalid"], u["valid"]]
        row += unit_shares(document, u) + [unit_grade(u, g["id"]) for g in graded]
        row += ["、".join(flag_label(f, lang) for f in u["flags"]), "；".join(u["reasons"].values())]
        row += confidence_cells(document, u)
        if threshold is not None:
            row.append(threshold)
        rows.append(row)
        fills.append(flag_fill(u["flags"]))
    formats = [None, None, None, figures.score_format, figures.rate_format] + [None] * (len(options) + 3)
    formats += [figures.rate_format] * len(shares) + [None] * (len(graded) + 2) + confidence_formats(document)
    formats += [figures.rate_format] if threshold is not None else []
    end = table(ws, 1, headers, rows, formats, fills)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {category['name']}")
    if rows:
        _charts(ws, category, len(headers), end - 1, threshold is not None, lang)


def _charts(
    ws: Worksheet, category: dict[str, Any], width: int, last_row: int, with_threshold: bool, lang: str
) -> None:
    """Native bar charts below the table (so the page stays one table wide): scores, and
    rates with the rectification line."""
    names = Reference(ws, min_col=2, min_row=2, max_row=last_row)
    scores = BarChart()
    scores.type, scores.style = "col", 10
    scores.title = xlsx_text(f"{category['name']} {word('score', lang)}")
    scores.add_data(Reference(ws, min_col=4, min_row=1, max_row=last_row), titles_from_data=True)
    scores.set_categories(names)
    scores.legend = None
    scores.height, scores.width = 8, min(max(16, 0.55 * (last_row - 1)), 32)
    ws.add_chart(scores, ws.cell(row=last_row + CHART_ANCHOR_GAP, column=1).coordinate)
    rates = BarChart()
    rates.type, rates.style = "col", 10
    rates.title = xlsx_text(f"{category['name']} {word('rate', lang)}")
    rates.add_data(Reference(ws, min_col=5, min_row=1, max_row=last_row), titles_from_data=True)
    rates.set_categories(names)
    rates.y_axis.number_format = "0%"
    rates.height, rates.width = 9, scores.width
    if with_threshold:
        line = LineChart()
        line.add_data(Reference(ws, min_col=width, min_row=1, max_row=last_row), titles_from_data=True)
        line.set_categories(names)
        rates += line
    ws.add_chart(rates, ws.cell(row=last_row + CHART_ANCHOR_GAP + CHART_ROWS, column=1).coordinate)


def _award_list(
    ws: Worksheet, document: dict[str, Any], figures: Figures, award: Flag, lang: str, taken: set[str]
) -> None:
    title = award.list_title(lang)
    ws.title = sheet_title(title, taken)
    headers = [word(k, lang) for k in ("category", "rank", "unit", "unit_id", "score", "rate", "reasons")]
    rows = []
    for category in document["categories"]:
        for unit_id in award.listed(category):
            u = figures.units[unit_id]
            rows.append(
                [
                    *figures.listing(category, u),
                    _award_reason(u, category, award, lang),
                ]
            )
    table(ws, 1, headers, rows, [None, None, None, None, figures.score_format, figures.rate_format, None])
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {title}")


def _award_reason(unit: dict[str, Any], category: dict[str, Any], award: Flag, lang: str) -> str:
    """Why the unit is on the list, in words (the engine's reason; for a winner without
    one, its rank against the category's places)."""
    reason = unit["reasons"].get(award.id)
    if reason:
        return str(reason)
    if award.id == "winner":
        return word("winner_grounds", lang, rank=unit["rank"], n=category["winners_allowed"])
    return ""


def scheme_title(document: dict[str, Any]) -> str:
    """The scheme by its title (``千人评议机关 三档计分 2:1:0，弃权 0.5``): results.json's
    ``scheme_title`` where it has one, else the built-in scheme of that id's title, else the id."""
    scheme = document.get("scheme") or ""
    if document.get("scheme_title") or not scheme:
        return str(document.get("scheme_title") or scheme)
    from pingyi.round.load import load_scheme
    from pingyi.round.schemes import builtin_path

    if builtin_path(scheme) is None:
        return str(scheme)
    data = load_scheme(scheme).data
    if data.get("scheme") != scheme or not data.get("title"):
        return str(scheme)
    return str(data["title"])


def _strata(ws: Worksheet, document: dict[str, Any], figures: Figures, lang: str, taken: set[str]) -> None:
    ws.title = sheet_title(word("strata", lang), taken)
    options = document["scale"]["options"]
    names = {s["id"]: s["name"] for s in document["strata"]}
    categories = {c["id"]: c["name"] for c in document["categories"]}
    headers = [word(k, lang) for k in ("category", "unit", "unit_id", "stratum")]
    headers += [o["label"] for o in options] + [
        document["scale"]["blank"]["label"],
        word("invalid", lang),
        word("valid", lang),
        word("score", lang),
        word("rate", lang),
    ]
    rows = []
    for category in document["categories"]:
        for unit_id in category["units"]:
            u = figures.units[unit_id]
            for stratum_id, t in u["strata"].items():
                rows.append(
                    [
                        categories[u["category"]],
                        u["name"],
                        u["id"],
                        names[stratum_id],
                        *(t["counts"][o["code"]] for o in options),
                        t["counts"]["blank"],
                        t["counts"]["invalid"],
                        t["valid"],
                        figures.score(t["score_exact"]),
                        figures.rate(t["satisfaction_rate_exact"]),
                    ]
                )
    formats = [None] * (len(headers) - 2) + [figures.score_format, figures.rate_format]
    table(ws, 1, headers, rows, formats)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {word('strata', lang)}")


def _movement(ws: Worksheet, document: dict[str, Any], figures: Figures, lang: str, taken: set[str]) -> None:
    ws.title = sheet_title(word("movement", lang), taken)
    headers = [
        word(k, lang)
        for k in (
            "category",
            "unit",
            "unit_id",
            "previous_rank",
            "rank",
            "rank_change",
            "bonus",
            "bonus_reason",
        )
    ]
    rows, fills = [], []
    for category in document["categories"]:
        for unit_id in category["units"]:
            u = figures.units[unit_id]
            why = u.get("bonus_reason") or u.get("movement_note")
            rows.append(
                [
                    category["name"],
                    u["name"],
                    u["id"],
                    u.get("previous_rank"),
                    u["rank"],
                    u.get("rank_change"),
                    u.get("bonus"),
                    why,
                ]
            )
            fills.append(flag_fill(["winner"]) if u.get("bonus") else None)
    table(ws, 1, headers, rows, None, fills)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {word('movement', lang)}")


def _opinions(ws: Worksheet, document: dict[str, Any], lang: str, taken: set[str]) -> None:
    ws.title = sheet_title(word("opinions", lang), taken)
    headers = [word(k, lang) for k in ("unit", "unit_id", "opinion_class", "text", "stratum", "sheet")]
    rows = [
        [u["name"], u["id"], item["class"], item["text"], item["stratum"], item["sheet"]]
        for u in document["units"]
        for item in u["opinions"]["items"]
    ]
    table(ws, 1, headers, rows)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {word('opinions', lang)}")


def _rejects(ws: Worksheet, rejects: Sequence[Reject], lang: str, taken: set[str]) -> None:
    ws.title = sheet_title(word("rejects", lang), taken)
    headers = [word(k, lang) for k in ("file", "line", "sheet", "reason", "reason_code", "detail")]
    rows = [[j.file, j.line, j.sheet, reject_reason(j.reason, lang), j.reason, j.detail] for j in rejects]
    table(ws, 1, headers, rows)
    fit_columns(ws)
    for_print(ws, header_row=1, title=word("rejects", lang))
