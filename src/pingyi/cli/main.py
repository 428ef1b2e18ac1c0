"""The ``pingyi`` command group: options common to all commands and error handling.

A :class:`~pingyi.errors.PingyiError` becomes its problems on stderr and the SPEC's exit
code; an ``OSError`` that a command did not turn into one (a path the system refuses, a
device gone) becomes one line ``error: file: reason [os_error]`` and exit 2; a traceback
is shown only with ``--debug`` (STYLE 7). Command modules import only click at the top,
so ``pingyi --help`` loads neither pandas nor pyarrow.
"""

from __future__ import annotations

import errno
import gc
import importlib.abc
import os
import sys
from typing import Any

import click

from pingyi import __version__
from pingyi.errors import EXIT_USAGE, PingyiError, Problem, os_words
from pingyi.report.escaping import terminal_text


class PingyiGroup(click.Group):
    """Turns a PingyiError raised by any command into messages and an exit code, and so
    an OSError that escapes one: the net under every path a command did not check."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PingyiError as error:
            if ctx.params.get("debug"):
                raise
            report_problems(error)
            ctx.exit(error.exit_code)
        except (OSError, RuntimeError) as error:
            cause = _os_error(error)
            if cause is None or cause.errno == errno.EPIPE or ctx.params.get("debug"):
                raise  # a closed pipe (| head) is click's to quiet
            file = cause.filename
            name = os.fsdecode(file) if isinstance(file, str | bytes | os.PathLike) else ""
            report_problems(PingyiError([Problem(name, None, "", "os_error", os_words(cause))]))
            ctx.exit(EXIT_USAGE)


def _os_error(error: BaseException) -> OSError | None:
    """The OSError behind ``error``: itself, or the one Python 3.11's ``Path.resolve``
    turns into a RuntimeError ("Symlink loop from ...") for a loop of links."""
    if isinstance(error, OSError):
        return error
    if isinstance(error.__context__, OSError) and str(error).startswith("Symlink loop"):
        return error.__context__
    return None


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
    _keep_pandas_out()
    _collect_less()
    try:
        cli(prog_name="pingyi")
    finally:
        gc.freeze()


def _collect_less() -> None:
    """The command line is one short process. Python's cycle collector, tuned for long
    ones, ran 250 times during a city round's tally (0.03-0.05 s, mostly while modules were
    imported and the workbook built, which make objects that live to the end, not
    garbage), and swept every object again at exit (0.05 s). The command collects young
    objects every 200,000 allocations instead of every 700 (none in a city round's tally,
    one at 10^6 sheets), and :func:`main` freezes what is left before the interpreter
    exits, so the exit frees memory without that last sweep. The library keeps Python's
    defaults."""
    gc.set_threshold(200_000, *gc.get_threshold()[1:])


def _keep_pandas_out() -> None:
    """pyarrow imports pandas, when it is installed, on its first array (to ask whether an
    input is a pandas object): 0.2 s and 35 MB of a city round's 0.6 s. No command needs
    pandas — only the library's frames do (pingyi.results.frames) — so the command line
    tells Python that pandas is absent, and pyarrow goes on without it."""
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())


class _NoPandas(importlib.abc.MetaPathFinder):
    """An import finder for which pandas is not installed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r} (kept out of the command line)", name=name)
