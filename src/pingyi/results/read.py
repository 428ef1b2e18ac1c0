"""Reading a results directory back (``pingyi rank``, ``pingyi verify``, the next round)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pingyi.errors import PingyiError, Problem
from pingyi.results.document import FORMAT_VERSION


def read_results(results_dir: str | Path) -> dict[str, Any]:
    """results.json of a results directory, checked for a format this pingyi knows."""
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
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise PingyiError([Problem(display, None, "", "bad_results", f"not valid JSON: {error}")]) from error
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
    return document


def category_of(document: dict[str, Any], category_id: str, results_dir: str | Path) -> dict[str, Any]:
    """The category with this id, or an error that lists the known ones."""
    for category in document["categories"]:
        if category["id"] == category_id:
            return category
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
