"""``pingyi schemes``: list the built-in schemes."""

from __future__ import annotations

from typing import Any

import click

from pingyi.cli.options import format_option
from pingyi.cli.output import emit

COLUMNS = [("name", "scheme"), ("title", "title"), ("seed", "seed"), ("scale", "scale"), ("method", "method")]


@click.command(name="schemes")
@format_option
def command(fmt: str) -> None:
    """List the built-in schemes (计分办法) a round can extend.

    Each comes from a source document (seed) and sets the scale, the scoring method and
    the award rules; a round file names one with `extends:` and overrides what it needs.

    Example:

        pingyi schemes --format csv
    """
    emit(scheme_rows(), COLUMNS, fmt, title="Built-in schemes")


def scheme_rows() -> list[dict[str, Any]]:
    """The catalogue in words: one row per built-in scheme, as listed and as JSON."""
    from pingyi.report.rules import describe_method, describe_scale
    from pingyi.round.catalog import scheme_catalog

    return [
        {
            "name": entry.name,
            "title": entry.title,
            "seed": ", ".join(entry.seeds),
            "scale": describe_scale(entry.rules.scale),
            "method": describe_method(entry.rules),
            "composite": entry.composite,
            "movement": entry.movement,
        }
        for entry in scheme_catalog()
    ]
