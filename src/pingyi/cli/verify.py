"""``pingyi verify``: prove a results directory from its inputs."""

from __future__ import annotations

import click

from pingyi.errors import EXIT_CHECK_FAILED


@click.command(name="verify")
@click.argument("results_dir", type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print only differences.")
def command(results_dir: str, quiet: bool) -> None:
    """Re-hash the inputs a manifest names, re-run the tally in memory, compare every output.

    Exit codes: 0 every input and output is identical; 1 something differs (each
    difference is listed); 2 the directory has no usable manifest.

    Example:

        pingyi verify pingyi-results
    """
    from pingyi.results.verify import verify

    report = verify(results_dir)
    for line in report.differences:
        click.echo(f"differs: {line}", err=True)
    for line in report.notes:
        click.echo(f"note: {line}", err=True)
    if report.differences:
        click.echo(f"{results_dir}: NOT verified ({len(report.differences)} differences)")
        raise SystemExit(EXIT_CHECK_FAILED)
    if not quiet:
        click.echo(
            f"{results_dir}: verified: {report.inputs} inputs unchanged, {report.outputs} outputs identical"
        )
