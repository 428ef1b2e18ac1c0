"""Options shared by several commands, defined once (STYLE 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "csv", "json")


def format_option(function: F) -> F:
    """``--format table|csv|json``: people read tables, scripts read csv or json."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(function)


def results_option(function: F) -> F:
    """``--results DIR``: a results directory written by ``pingyi tally``."""
    return click.option(
        "--results",
        "results_dir",
        type=click.Path(file_okay=False),
        default="pingyi-results",
        show_default=True,
        help="Results directory written by 'pingyi tally'.",
    )(function)


def quiet_option(function: F) -> F:
    """``--quiet``: no progress bar and no summary on stderr."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr.")(function)


def lang_option(function: F) -> F:
    """``--lang zh|en``: headings and words of human outputs (machine files stay English)."""
    return click.option(
        "--lang",
        type=click.Choice(("zh", "en")),
        default="zh",
        show_default=True,
        help="Language of headings in human outputs.",
    )(function)
