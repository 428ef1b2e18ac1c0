"""The ``pingyi`` command group: options common to all commands and error handling.

A :class:`~pingyi.errors.PingyiError` becomes its problems on stderr and the SPEC's exit
code; a traceback is shown only with ``--debug`` (STYLE 7). Command modules import only
click at the top, so ``pingyi --help`` loads neither pandas nor pyarrow.
"""

from __future__ import annotations

from typing import Any

import click

from pingyi import __version__
from pingyi.errors import PingyiError
from pingyi.report.escaping import terminal_text


class PingyiGroup(click.Group):
    """Turns a PingyiError raised by any command into messages and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PingyiError as error:
            if ctx.params.get("debug"):
                raise
            report_problems(error)
            ctx.exit(error.exit_code)


def report_problems(error: PingyiError) -> None:
    for problem in error.problems:
        click.echo(terminal_text(f"error: {problem} [{problem.code}]"), err=True)
    count = len(error.problems)
    if count > 1:
        click.echo(f"{count} problems", err=True)


@click.group(cls=PingyiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pingyi")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """pingyi (评议): tabulate the ballots of a democratic appraisal round.

    Scores, satisfaction rates, ranks per category and the lists of winners, last-place
    units and units to rectify, reproducible to the byte.

    Example:

        pingyi check examples/yixing/round.yaml
    """


def _register() -> None:
    from pingyi.cli import check, feedback, init, rank, schemes, simulate, tally, verify

    for module in (tally, rank, check, feedback, schemes, init, simulate, verify):
        cli.add_command(module.command)


_register()


def main() -> None:
    cli(prog_name="pingyi")
