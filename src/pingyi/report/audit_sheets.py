"""The workbook's audit sheets (SPEC "Audit", "How sure is a rank?"): the corrections
made before counting (更正记录), and how sure each award is (置信度), with the confidence
columns of a category sheet. Each is there only when results.json has its figures, so a
round without corrections or a bootstrap gets the workbook it always got.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from pingyi.flags import flag
from pingyi.report.confidence_words import AWARDS, SHARE_FORMAT, award_line, interval, method_line
from pingyi.report.i18n import word
from pingyi.report.sheets import bold, fit_columns, for_print, put, sheet_title, table


def confidence_headings(document: dict[str, Any], lang: str) -> list[str]:
    """The category sheet's confidence columns (none without a bootstrap)."""
    if "confidence" not in document:
        return []
    return [word(k, lang) for k in ("rank_interval", *(f"share_{a}" for a in AWARDS))]


def confidence_cells(document: dict[str, Any], unit: dict[str, Any]) -> list[Any]:
    """A unit's rank interval and the share of replicates holding each award."""
    if "confidence" not in document:
        return []
    figures = unit.get("confidence")
    if not figures:
        return [None] * (1 + len(AWARDS))
    return [interval(figures.get("rank_interval")), *(figures.get(a) for a in AWARDS)]


def confidence_formats(document: dict[str, Any]) -> list[str | None]:
    return [] if "confidence" not in document else [None] + [SHARE_FORMAT] * len(AWARDS)


def confidence_sheet(ws: Worksheet, document: dict[str, Any], lang: str, taken: set[str]) -> None:
    """How sure each award list is, per category, in words, after how it was measured."""
    title = word("confidence", lang)
    ws.title = sheet_title(title, taken)
    put(ws, 1, 1, method_line(document, lang))
    bold(ws, 1, 1)
    rows = []
    for category in document["categories"]:
        for award in AWARDS:
            line = award_line(document, category, award, lang)
            if line is not None:
                rows.append([category["name"], flag(award).list_title(lang), line])
    table(ws, 3, [word("category", lang), word("decision", lang), word("reasons", lang)], rows)
    fit_columns(ws, maximum=80, skip_rows=1)
    for_print(ws, header_row=3, title=f"{document['title']} {title}")


def corrections_sheet(ws: Worksheet, document: dict[str, Any], lang: str, taken: set[str]) -> None:
    """Every correction of a misread, in the corrections file's order."""
    title = word("corrections", lang)
    ws.title = sheet_title(title, taken)
    names = {u["id"]: u["name"] for u in document["units"]}
    headers = [word("sheet", lang), word("unit", lang), word("unit_id", lang)]
    headers += [word(k, lang) for k in ("read", "corrected", "correction_reason", "by")]
    headers += [word("file", lang), word("line", lang)]
    rows = [
        [c["sheet"], names.get(c["unit"], ""), _cell(c), c["read"], c["corrected"], c["reason"], c["by"]]
        + [c["file"], c["line"]]
        for c in document["corrections"]
    ]
    table(ws, 1, headers, rows)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {title}")


def summary_facts(document: dict[str, Any], operator: str | None, lang: str) -> list[tuple[str, Any]]:
    """The summary sheet's audit facts: who counted, how many marks were corrected."""
    facts: list[tuple[str, Any]] = []
    if operator:
        facts.append((word("operator", lang), operator))
    if "corrections" in document:
        n = len(document["corrections"])
        facts.append((word("correction_count", lang), word("correction_count_value", lang, n=n)))
    return facts


def _cell(correction: dict[str, Any]) -> str:
    """The unit id, or ``unit.item`` where the round has items."""
    item = correction.get("item")
    return f"{correction['unit']}.{item}" if item else str(correction["unit"])
