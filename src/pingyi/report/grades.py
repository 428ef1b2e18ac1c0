"""Grades as people read them (SPEC "Grades and verdicts"): per unit, the grade with its
reason in words; per category, the units by grade in band order.

A published 测评 result reads ``测评结果：基本满意（满意票19张，未超过全体组成人员40人的
半数）`` for a unit, and ``满意 3（区发改局、区教育局、区民政局）`` for a category: how many
units got each grade and which, best grade first, each grade's units in rank order.
Every view (terminal, report.xlsx, feedback workbooks) draws its words from here.
A unit no band grades (no catch-all band, or a base the round does not give) is listed
last, as 无等次, with the reason why.
"""

from __future__ import annotations

from typing import Any

from pingyi.report.i18n import word

Groups = list[tuple[str | None, list[str]]]


def gradings(document: dict[str, Any]) -> list[dict[str, Any]]:
    """results.json's ``gradings`` (``[{id, name, grades}]``); none in an older result.
    A results.json may have been edited: an entry without a text id and name is left
    out, and only text grades are kept, so no view fails on it."""
    found = document.get("gradings")
    kept = []
    for g in found if isinstance(found, list) else []:
        if isinstance(g, dict) and isinstance(g.get("id"), str) and isinstance(g.get("name"), str):
            grades = g.get("grades")
            listed = [grade for grade in grades if isinstance(grade, str)] if isinstance(grades, list) else []
            kept.append({"id": g["id"], "name": g["name"], "grades": listed})
    return kept


def unit_grade(unit: dict[str, Any], grading_id: str) -> str | None:
    grades = unit.get("grades")
    grade = grades.get(grading_id) if isinstance(grades, dict) else None
    return grade if isinstance(grade, str) else None


def unit_reason(unit: dict[str, Any], grading_id: str) -> str:
    reasons = unit.get("grade_reasons")
    reason = reasons.get(grading_id) if isinstance(reasons, dict) else None
    return reason if isinstance(reason, str) else ""


def grade_word(grade: str | None, lang: str = "zh") -> str:
    return word("no_grade", lang) if grade is None else grade


def by_grade(document: dict[str, Any], category: dict[str, Any], grading: dict[str, Any]) -> Groups:
    """Each grade in band order with the category's units holding it, in rank order
    (``categories[].grades``); then, where any, the units without a grade (None)."""
    units = {u["id"]: u for u in document["units"]}
    groups: dict[str | None, list[str]] = {grade: [] for grade in grading["grades"]}
    ungraded: list[str] = []
    for unit_id in category["units"]:
        grade = unit_grade(units[unit_id], grading["id"])
        (groups[grade] if grade in groups else ungraded).append(unit_id)
    return [*groups.items(), *([(None, ungraded)] if ungraded else [])]


def grade_line(grading: dict[str, Any], unit: dict[str, Any], lang: str = "zh") -> str:
    """``测评结果：基本满意（满意票19张，未超过全体组成人员40人的半数）``."""
    grade = grade_word(unit_grade(unit, grading["id"]), lang)
    reason = unit_reason(unit, grading["id"])
    if lang == "zh":
        return f"{grading['name']}：{grade}" + (f"（{reason}）" if reason else "")
    return f"{grading['name']}: {grade}" + (f" ({reason})" if reason else "")


def grades_line(
    document: dict[str, Any], category: dict[str, Any], grading: dict[str, Any], lang: str = "zh"
) -> str:
    """``测评结果: 满意 3（区发改局、区教育局、区民政局）; 不满意 0``: each grade, how many
    units hold it and which."""
    names = {u["id"]: u["name"] for u in document["units"]}
    opened, closed, joined = ("（", "）", "、") if lang == "zh" else (" (", ")", ", ")
    parts = []
    for grade, unit_ids in by_grade(document, category, grading):
        listed = f"{opened}{joined.join(names[i] for i in unit_ids)}{closed}" if unit_ids else ""
        parts.append(f"{grade_word(grade, lang)} {len(unit_ids)}{listed}")
    return f"{grading['name']}: {'; '.join(parts)}"
