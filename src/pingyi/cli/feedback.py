"""``pingyi feedback``: one workbook per unit, from a results directory."""

from __future__ import annotations

from pathlib import Path

import click

from pingyi.cli.options import lang_option, quiet_option, results_option


@click.command(name="feedback")
@results_option
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(),
    default="feedback",
    show_default=True,
    help="Folder to write the workbooks to.",
)
@click.option("--unit", "unit_ids", multiple=True, help="Only this unit (by id); may be repeated.")
@click.option("--force", is_flag=True, help="Replace workbooks that exist already (never an input).")
@lang_option
@quiet_option
def command(
    results_dir: str, output: str, unit_ids: tuple[str, ...], force: bool, lang: str, quiet: bool
) -> None:
    """Write one feedback workbook per unit: its score, rank in its category, satisfaction
    rate, marks by stratum, movement, the rules it met or missed, and its opinions.

    File names come from the units' names (e.g. 市委办公室.xlsx).

    Example:

        pingyi feedback --results pingyi-results -o feedback --unit swbgs
    """
    from pingyi.cli.output import echo
    from pingyi.errors import PingyiError, Problem, refuse_os
    from pingyi.report.feedback import feedback_books
    from pingyi.results.read import read_checked_results
    from pingyi.results.write import write_file_atomically

    refuse_os(results_dir)
    refuse_os(output)
    document = read_checked_results(results_dir)
    known = {u["id"] for u in document["units"]}
    unknown = [u for u in unit_ids if u not in known]
    if unknown:
        raise PingyiError(
            [
                Problem(
                    f"{results_dir}/results.json",
                    None,
                    "unit",
                    "unknown_unit",
                    f"no unit '{u}' in this result",
                )
                for u in unknown
            ]
        )
    folder = Path(output)
    _make_folder(folder)
    books = feedback_books(document, list(unit_ids) or None, lang)
    _refuse_overwrites(Path(results_dir), folder, list(books), force)
    for name, book in books.items():
        write_file_atomically(folder / name, book.data)
        for note in book.notes:
            echo(f"warning: {folder / name}: control characters written as \\x..: {note}", err=True)
    if not quiet:
        echo(f"wrote {len(books)} workbook{'s' if len(books) != 1 else ''} to {folder}/", err=True)


def _make_folder(folder: Path) -> None:
    """The output folder, made if need be; a file in its place, or a folder that cannot
    be made, is a one-line error (exit 2), never a traceback."""
    from pingyi.errors import PingyiError, Problem

    def refuse(message: str, code: str) -> PingyiError:
        return PingyiError([Problem(str(folder), None, "output", code, message)])

    if folder.exists() and not folder.is_dir():
        raise refuse("is a file, not a folder; choose another -o", "not_a_folder")
    if any(p.exists() and not p.is_dir() for p in folder.parents):
        raise refuse("is inside a file, not a folder; choose another -o", "not_a_folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise refuse(f"cannot make the folder: {error.strerror or error}", "write_failed") from error


def _refuse_overwrites(results_dir: Path, folder: Path, names: list[str], force: bool) -> None:
    """Never write over a file of the results directory or an input of its round; never
    over an existing workbook without --force. All refusals at once, before any write."""
    from pingyi.cli.outfile import refuse_overwrite
    from pingyi.errors import PingyiError
    from pingyi.results.manifest import read_manifest, resolve_stored

    protected = [p for p in results_dir.iterdir() if p.is_file()] if results_dir.is_dir() else []
    try:
        record = read_manifest(results_dir)
        protected += [resolve_stored(item["path"], results_dir) for item in record["inputs"]]
    except PingyiError:
        pass
    problems = []
    for name in names:
        try:
            refuse_overwrite(folder / name, force, protected)
        except PingyiError as error:
            problems.extend(error.problems)
    if problems:
        raise PingyiError(problems)
