"""Reading a results directory back (``pingyi rank``, ``feedback``, ``verify``, the next round).

A results.json may come from anywhere (another machine, an edited copy): before any field
is used, its shape is checked, and a malformed file is one located error, never a
traceback deep in a report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pingyi.errors import PingyiError, Problem
from pingyi.results.format import FORMAT_VERSION

#: The fields every reader relies on, with the JSON types they must have.
UNIT_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "name": (str,),
    "category": (str,),
    "rank": (int, type(None)),
    "flags": (list,),
    "counts": (dict,),
    "valid": (int,),
}
CATEGORY_FIELDS: dict[str, tuple[type, ...]] = {"id": (str,), "name": (str,), "units": (list,)}


def read_results(results_dir: str | Path) -> dict[str, Any]:
    """results.json of a results directory, checked for a format and shape this pingyi knows."""
    path = Path(results_dir) / "results.json"
    display = str(path)
    if not path.is_file():
        raise PingyiError(
            [
                Problem(
                    display,
                    None,
                    "",
                    "file_not_found",
                    "no results here: run 'pingyi tally' first, or give --results DIR",
                )
            ]
        )
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise PingyiError(
            [Problem(display, None, "", "unreadable", f"cannot read: {error.strerror}")]
        ) from error
    except (ValueError, RecursionError) as error:
        raise PingyiError([Problem(display, None, "", "bad_results", f"not valid JSON: {error}")]) from error
    if not isinstance(document, dict):
        raise PingyiError([Problem(display, None, "", "bad_results", "expected a JSON object")])
    if document.get("format_version") != FORMAT_VERSION:
        raise PingyiError(
            [
                Problem(
                    display,
                    None,
                    "format_version",
                    "bad_results",
                    f"format_version {document.get('format_version')!r}; this pingyi reads {FORMAT_VERSION}",
                )
            ]
        )
    problems = _shape_problems(document, display)
    if not problems:
        problems = _value_problems(document, display)
    if problems:
        raise PingyiError(problems)
    return document


def _shape_problems(document: dict[str, Any], display: str) -> list[Problem]:
    problems = []
    for key, fields in (("units", UNIT_FIELDS), ("categories", CATEGORY_FIELDS)):
        items = document.get(key)
        if not isinstance(items, list):
            problems.append(Problem(display, None, key, "bad_results", "expected a list"))
            continue
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                problems.append(Problem(display, None, where, "bad_results", "expected an object"))
                continue
            for name, types in fields.items():
                value = item.get(name)
                if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
                    wanted = " or ".join("null" if t is type(None) else t.__name__ for t in types)
                    problems.append(
                        Problem(
                            display,
                            None,
                            f"{where}.{name}",
                            "bad_results",
                            f"expected {wanted}, got {value!r}",
                        )
                    )
    return problems[:20]


_FRACTION = re.compile(r"^-?\d{1,200}(/[1-9]\d{0,199})?$")


def _value_problems(document: dict[str, Any], display: str) -> list[Problem]:
    """Values every view computes with: exact figures that are fractions, a precision in
    range, categories and flags that exist (an edited file must fail here, not deep in a
    report)."""
    from pingyi.flags import FLAG_IDS

    problems = []
    precision = document.get("precision")
    if not (
        isinstance(precision, dict)
        and all(
            isinstance(precision.get(k), int) and 0 <= precision[k] <= 10
            for k in ("score", "satisfaction_percent")
        )
    ):
        problems.append(
            Problem(
                display, None, "precision", "bad_results", "expected score and satisfaction_percent, 0 to 10"
            )
        )
    units = {u["id"] for u in document["units"]}
    categories = {c["id"] for c in document["categories"]}
    for index, unit in enumerate(document["units"]):
        where = f"units[{index}]"
        for key in ("score_exact", "satisfaction_rate_exact"):
            value = unit.get(key)
            if value is not None and not (isinstance(value, str) and _FRACTION.match(value)):
                problems.append(
                    Problem(
                        display,
                        None,
                        f"{where}.{key}",
                        "bad_results",
                        f"expected a fraction, got {value!r:.40}",
                    )
                )
        if unit["category"] not in categories:
            problems.append(
                Problem(
                    display, None, f"{where}.category", "bad_results", f"no category {unit['category']!r}"
                )
            )
        unknown = [f for f in unit["flags"] if f not in FLAG_IDS]
        if unknown:
            problems.append(
                Problem(display, None, f"{where}.flags", "bad_results", f"unknown flags {unknown!r:.60}")
            )
    for index, category in enumerate(document["categories"]):
        strangers = [u for u in category["units"] if u not in units]
        if strangers:
            problems.append(
                Problem(
                    display,
                    None,
                    f"categories[{index}].units",
                    "bad_results",
                    f"no unit {strangers[0]!r:.40}",
                )
            )
    return problems[:20]


def category_of(document: dict[str, Any], category_id: str, results_dir: str | Path) -> dict[str, Any]:
    """The category with this id, or an error that lists the known ones."""
    for category in document["categories"]:
        if category["id"] == category_id:
            return dict(category)
    known = ", ".join(f"{c['id']} ({c['name']})" for c in document["categories"])
    raise PingyiError(
        [
            Problem(
                str(Path(results_dir) / "results.json"),
                None,
                "category",
                "unknown_category",
                f"no category '{category_id}'; known: {known}",
            )
        ]
    )


def read_rejects(results_dir: str | Path) -> list[tuple[str, int, str, str, str]]:
    """rejects.csv of a results directory as (file, line, sheet, reason, detail) rows."""
    import csv
    import io

    path = Path(results_dir) / "rejects.csv"
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PingyiError([Problem(str(path), None, "", "bad_results", f"cannot read: {error}")]) from error
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        number = reader.line_num
        if number == 1:
            continue
        if len(row) != 5 or not row[1].isdigit():
            raise PingyiError(
                [Problem(str(path), number, "", "bad_results", "expected file,line,sheet,reason,detail")]
            )
        file, line, sheet, reason, detail = (_unescape(cell) for cell in row)
        rows.append((file, int(line), sheet, reason, detail))
    return rows


def _unescape(cell: str) -> str:
    from pingyi.report.escaping import csv_untext

    return csv_untext(cell)


def read_checked_results(results_dir: str | Path) -> dict[str, Any]:
    """results.json for people (``rank``, ``feedback``): refused when the directory's
    manifest records another SHA-256 for it (an edited result must not reach a department
    as its feedback); a directory without a manifest is read as it is."""
    import hashlib

    folder = Path(results_dir)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        try:
            record = json.loads(manifest.read_bytes().decode("utf-8"))
            recorded = next(o["sha256"] for o in record["outputs"] if o["path"] == "results.json")
        except (OSError, ValueError, RecursionError, KeyError, TypeError, StopIteration):
            recorded = None
        path = folder / "results.json"
        if (
            recorded is not None
            and path.is_file()
            and hashlib.sha256(path.read_bytes()).hexdigest() != recorded
        ):
            raise PingyiError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        "results_changed",
                        "has changed since pingyi wrote it (its SHA-256 is not the manifest's); "
                        "run 'pingyi verify' on the directory, or tally again",
                    )
                ]
            )
    return read_results(folder)
