"""``pingyi init``: write a starter round file."""

from __future__ import annotations

from pathlib import Path

import click

from pingyi.errors import PingyiError, Problem, refuse_os


@click.command(name="init")
@click.option("--scheme", required=True, help="Built-in scheme to extend (see 'pingyi schemes').")
@click.option(
    "--units",
    "units_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CSV or XLSX of units (id,name,category) for the round to use.",
)
@click.option(
    "-o",
    "--output",
    "output",
    default="round.yaml",
    show_default=True,
    help="Round file to write ('-' for stdout).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def command(scheme: str, units_file: Path | None, output: str, force: bool) -> None:
    """Write a commented starter round file that 'pingyi check' accepts as written.

    Replace its placeholder units, categories and strata with the round's own, or give
    --units to use a units file. A composite scheme also gets an adjustments.csv template.

    Example:

        pingyi init --scheme qianren-2-1-0 --units units.csv -o round.yaml
    """
    from pingyi.round.starter import starter_round

    out = Path("round.yaml" if output == "-" else output)
    if output != "-":
        refuse_os(out)
    files = starter_round(scheme, out, units_file)
    if output == "-":
        click.echo(files[str(out)], nl=False)
        return
    existing = [p for p in files if Path(p).exists()]
    if existing and not force:
        raise PingyiError(
            [
                Problem(p, None, "", "file_exists", "already exists (use --force to overwrite)")
                for p in existing
            ]
        )
    from pingyi.results.write import write_file_atomically

    for path, text in files.items():
        if not Path(path).parent.is_dir():
            raise PingyiError(
                [Problem(path, None, "", "output_refused", f"the folder {Path(path).parent} does not exist")]
            )
        write_file_atomically(Path(path), text.encode("utf-8"))
        click.echo(f"wrote {path}", err=True)
