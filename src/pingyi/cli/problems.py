"""Printing the problems of a run: one line each on stderr, from the one list
(STYLE 7a). Errors that stop a run are printed by the command group (cli/main.py)."""

from __future__ import annotations

from collections.abc import Iterable

import click

from pingyi.errors import Problem
from pingyi.report.escaping import terminal_text

#: How a notice starts, by severity.
PREFIX = {"void": "error", "failure": "warning", "warning": "warning", "error": "error"}


def report_notices(problems: Iterable[Problem]) -> None:
    """Warnings and failed checks (and void conditions), each with its code."""
    for problem in problems:
        suffix = ": the round is void" if problem.severity == "void" else ""
        click.echo(terminal_text(f"{PREFIX[problem.severity]}: {problem}{suffix} [{problem.code}]"), err=True)
