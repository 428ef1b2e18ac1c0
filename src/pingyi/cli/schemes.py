"""``pingyi schemes``: list the built-in schemes."""

from __future__ import annotations

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
    from pingyi.round.catalog import scheme_catalog

    emit(scheme_catalog(), COLUMNS, fmt, title="Built-in schemes")
