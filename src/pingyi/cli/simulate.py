"""``pingyi simulate``: synthetic ballots for rehearsals, tests and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pingyi.round.models import Round
    from pingyi.simulate import Mix


@click.command(name="simulate")
@click.argument("round_file", type=click.Path())
@click.option("--sheets", type=click.IntRange(min=1), required=True, help="Sheets to make.")
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed (0 or more)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    required=True,
    help="CSV file to write (wide layout); '-' for stdout.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file (never an input of the round).")
@click.option("--encoding", type=click.Choice(["utf-8", "gb18030"]), default="utf-8", show_default=True)
@click.option(
    "--duplicates",
    type=click.FloatRange(0, 1),
    default=0.005,
    show_default=True,
    help="Share of sheets scanned twice (identical re-scans).",
)
@click.option(
    "--conflicts",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Sheets whose id is re-used with different marks.",
)
def command(
    round_file: str,
    sheets: int,
    seed: int,
    output: str,
    force: bool,
    encoding: str,
    duplicates: float,
    conflicts: int,
) -> None:
    """Write synthetic wide ballots for a round, deterministic for a seed.

    Strata follow the round's quotas, each unit has its own tendency over the scale, and
    a small share of blanks, invalid marks, all-blank sheets and re-scans is mixed in.
    The file is written whole or not at all; it never replaces a file the round reads,
    nor an existing file without --force.

    Example:

        pingyi simulate examples/yixing/round.yaml --sheets 1200 --seed 2007 -o ballots.csv
    """
    from pingyi.cli.outfile import refuse_overwrite
    from pingyi.round.load import load_round
    from pingyi.simulate import Mix, simulate

    r = load_round(round_file)
    if output == "-":
        rows = _to_stdout(r, sheets, seed, Mix(duplicates=duplicates, conflicts=conflicts), encoding)
        _summary("stdout", rows, sheets)
        return
    sides = [r.adjustments, r.opinions.file if r.opinions else None]
    refuse_overwrite(Path(output), force, [*r.files, *(r.base_dir / side for side in sides if side)])
    if Path(output).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".json", ".yaml", ".yml"):
        from pingyi.errors import PingyiError, Problem

        raise PingyiError(
            [Problem(output, None, "", "output_refused", "simulate writes CSV text: name the file .csv")]
        )
    rows = simulate(
        r, sheets, seed, output, Mix(duplicates=duplicates, conflicts=conflicts), encoding=encoding
    )
    _summary(output, rows, sheets)


def _summary(output: str, rows: int, sheets: int) -> None:
    from pingyi.cli.output import echo

    echo(f"wrote {output}: {rows} rows ({sheets} sheets + {rows - sheets} re-scans)", err=True)


def _to_stdout(r: Round, sheets: int, seed: int, mix: Mix, encoding: str) -> int:
    """The same bytes as ``-o FILE`` on stdout: written to a temporary file first (the
    writer needs a path), then copied out, so a pipe gets the file whole or nothing."""
    import shutil
    import sys
    import tempfile

    from pingyi.simulate import simulate

    with tempfile.TemporaryDirectory(prefix="pingyi-simulate-") as folder:
        path = Path(folder) / "ballots.csv"
        rows = simulate(r, sheets, seed, path, mix, encoding=encoding)
        with open(path, "rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer, 1 << 20)
        sys.stdout.buffer.flush()
    return rows
