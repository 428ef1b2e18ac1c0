"""A commented starter round file for a scheme: what ``pingyi init`` writes.

The text is built so that ``pingyi check`` accepts it as written; the user then replaces
the placeholder units, categories and strata with the round's own.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

import yaml

from pingyi.errors import PingyiError, Problem
from pingyi.round import schemes
from pingyi.round.load import load_scheme
from pingyi.round.tablefile import read_rows

PLACEHOLDER_UNITS = [("u01", "单位一", "local"), ("u02", "单位二", "local"), ("u03", "单位三", "local")]


def starter_round(scheme: str, out: Path, units_file: Path | None = None) -> dict[str, str]:
    """The files to write: ``{path: text}`` (the round file, and a template adjustments
    file when the scheme's composite needs one)."""
    if schemes.builtin_path(scheme) is None:
        known = ", ".join(schemes.builtin_names())
        raise PingyiError(
            [
                Problem(
                    "--scheme",
                    None,
                    "",
                    "scheme_not_found",
                    f"no built-in scheme '{scheme}' (known: {known})",
                )
            ]
        )
    doc = load_scheme(scheme).data
    base = out.parent
    lines = [
        f"# Round file for pingyi, written by `pingyi init --scheme {scheme}`.",
        f"# The scheme ({doc.get('title', scheme)}) sets the scale, scoring and award rules;",
        "# any of its keys can be overridden here (see `pingyi schemes`).",
        f"# Check it with: pingyi check {_comment(out.name)}",
        "round: my-round              # the round's id, used in results.json",
        "title: 民主评议机关活动",
        f"extends: {yaml_scalar(scheme)}",
    ]
    if units_file is None:
        categories = [c for _, _, c in PLACEHOLDER_UNITS]
        units_lines = ["units:                      # or: units: units.csv (columns id,name,category)"]
        units_lines += [f"  - {{id: {i}, name: {n}, category: {c}}}" for i, n, c in PLACEHOLDER_UNITS]
        unit_ids = [i for i, _, _ in PLACEHOLDER_UNITS]
    else:
        rows = read_rows(units_file, str(units_file), ("id", "name", "category"))
        categories = [row["category"] for _, row in rows]
        unit_ids = [row["id"] for _, row in rows]
        relative = os.path.relpath(units_file, base if str(base) else ".")
        units_lines = [f"units: {yaml_scalar(relative)}              # columns id,name,category"]
    lines.append("categories:                   # ranked separately; winners = how many 优胜单位")
    names = {"local": "地方管理部门"}
    last_place = doc.get("awards", {}).get("last_place", 1)
    for category, size in Counter(categories).items():
        # one winner where the category has room for it beside its last places
        winners = 1 if not isinstance(last_place, int) or size > last_place else 0
        name = names.get(category, category)
        lines.append(f"  - {{id: {yaml_scalar(category)}, name: {yaml_scalar(name)}, winners: {winners}}}")
    if "strata" not in doc:
        lines += [
            "strata:                       # voter groups (评议层面) and their weight coefficients",
            "  - {id: service,   name: 服务对象, weight: 1}",
            "  - {id: officials, name: 党政干部, weight: 1}",
            "quotas:",
            "  - {strata: [service], min_share: 0.60, label: 服务对象不少于60%}",
        ]
    lines += units_lines
    lines += ["veto: []                      # unit ids under 一票否决"]
    bands = [band for grading in doc.get("grades", []) for band in grading.get("bands", [])]
    if any(band.get("of") == "members" for band in bands):
        lines.append(
            "members: 35                   # 全体组成人员: the body's full membership, grades count over it"
        )
    files: dict[str, str] = {}
    composite = doc.get("composite")
    if composite:
        columns = [c["column"] for c in composite["components"] if c.get("column")]
        columns += list(composite.get("deductions", []))
        adjustments = base / "adjustments.csv"
        lines.append("adjustments: adjustments.csv  # unit + one column per adjustment")
        table = io.StringIO()
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(["unit", *columns])
        writer.writerows([unit, *("0" for _ in columns)] for unit in unit_ids)
        files[str(adjustments)] = table.getvalue()
    lines += [
        "ballots:",
        "  layout: wide                # wide: one row per sheet; long: one row per mark",
        "  sheet_id: sheet             # column names in the scanned file",
        "  stratum: stratum",
        "  encoding: auto              # auto | utf-8 | gb18030",
    ]
    files[str(out)] = "\n".join(lines) + "\n"
    return files


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same text, on one line, inside a
    flow mapping: bare where that is safe (``地方管理部门``), quoted otherwise (``'a, b'``,
    ``'on'``, ``'007'``, ``'#x'``), double-quoted with escapes for line breaks and tabs.

    PyYAML's emitter decides, so its resolver and ours agree on what bare text means.
    """
    style = None if text.isprintable() else '"'
    dumped = yaml.safe_dump(
        [text], default_flow_style=True, default_style=style, allow_unicode=True, width=2**31 - 1
    )
    return dumped.strip()[1:-1]  # "[x]\n" -> "x"


def _comment(text: str) -> str:
    """``text`` fit for a YAML comment: one line."""
    return text if text.isprintable() else repr(text)
