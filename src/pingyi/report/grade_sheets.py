"""report.xlsx: one sheet per grading, named after it (测评结果, 测评等次 …).

A round that ends in grades publishes them as a list, not as a ranking (SPEC "Grades and
verdicts"): per category, the units by grade, best grade first, each grade's units in
rank order, each with the grade's reason in words (``满意票19张，未超过全体组成人员40人
的半数``), so an office can hand the sheet on and answer "why 基本满意?" from it.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from pingyi.report.grades import by_grade, grade_word, unit_reason
from pingyi.report.i18n import word
from pingyi.report.shares import rate_heading
from pingyi.report.sheets import fit_columns, flag_fill, for_print, sheet_title, table
from pingyi.report.values import Figures


def grading_sheet(
    ws: Worksheet,
    document: dict[str, Any],
    figures: Figures,
    grading: dict[str, Any],
    lang: str,
    taken: set[str],
) -> None:
    """类别 | 测评结果 | 名次 | 单位 | 代码 | 得分 | 满意率 | 依据, one row per unit."""
    ws.title = sheet_title(grading["name"], taken)
    headers = [word("category", lang), grading["name"]]
    headers += [word(k, lang) for k in ("rank", "unit", "unit_id", "score")]
    headers += [rate_heading(document, lang), word("grounds", lang)]
    rows, fills = [], []
    for category in document["categories"]:
        for grade, unit_ids in by_grade(document, category, grading):
            for unit_id in unit_ids:
                u = figures.units[unit_id]
                rows.append(
                    [
                        category["name"],
                        grade_word(grade, lang),
                        u["rank"],
                        u["name"],
                        u["id"],
                        figures.score(u["score_exact"]),
                        figures.rate(u["satisfaction_rate_exact"]),
                        unit_reason(u, grading["id"]),
                    ]
                )
                fills.append(flag_fill(u["flags"]))
    formats = [None] * 5 + [figures.score_format, figures.rate_format, None]
    table(ws, 1, headers, rows, formats, fills)
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {grading['name']}")
