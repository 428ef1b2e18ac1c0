"""``pingyi tally``: check, count, score, rank; print the tables; write the results."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pingyi.cli.options import format_option, lang_option, quiet_option
from pingyi.cli.output import echo, machine_bytes

if TYPE_CHECKING:
    from pingyi.results.bundle import Tally


@click.command(name="tally")
@click.argument("round_file", type=click.Path())
@click.argument("ballots", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False),
    default="pingyi-results",
    show_default=True,
    help="Results directory to write (replaced atomically).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 and write nothing when a check fails (quota missed, conflicting sheets).",
)
@click.option("--operator", help="Who runs the count, recorded in manifest.json and report.xlsx.")
@click.option(
    "--confidence",
    type=click.IntRange(0, 5000),
    help="Bootstrap replicates: how sure each rank and award is (0: off; default: the round's confidence:).",
)
@click.option(
    "--audit-log",
    "audit_log",
    type=click.Path(dir_okay=False),
    help="Write every sheet's disposition (counted, or why not, and its corrections) to this CSV file.",
)
@click.option("--force", is_flag=True, help="Replace an existing --audit-log file.")
@format_option
@lang_option
@quiet_option
def command(
    round_file: str,
    ballots: tuple[str, ...],
    output: str,
    strict: bool,
    operator: str | None,
    confidence: int | None,
    audit_log: str | None,
    force: bool,
    fmt: str,
    lang: str,
    quiet: bool,
) -> None:
    """Count, score and rank a round; print each category; write the results directory.

    BALLOTS are one or more CSV/XLSX files, or a quoted glob like 'ballots/*.csv'. The
    results directory (results.json, scores.csv, strata.csv, rejects.csv, report.xlsx,
    manifest.json) is replaced only when the whole run succeeds; --lang sets the language
    of the tables and of report.xlsx. --format csv prints scores.csv and
    --format json prints results.json on stdout. --operator names who runs the count (the
    round may require it: audit.operator_required). --confidence N resamples the sheets N
    times within their strata and says how sure each rank and award is (docs/confidence.md).
    --audit-log FILE writes one row per sheet read (file, line, sheet, counted or the
    reject reason, the corrections applied), streamed as the sheets are counted; an
    existing FILE is replaced only with --force, and never an input.

    Exit codes: 0 done; 1 the round is void (more sheets counted than issued), or a check
    failed under --strict (nothing is written then); 2 a bad round file or unusable ballots.

    Example:

        pingyi tally examples/yixing/round.yaml examples/yixing/ballots.csv -o results
    """
    from pingyi.api import write_results
    from pingyi.cli import ballot_args
    from pingyi.cli.problems import report_notices
    from pingyi.cli.progress import progress_bar
    from pingyi.errors import refuse_os
    from pingyi.results import digests
    from pingyi.results.build import build

    files = ballot_args.expand(ballots)
    refuse_os(output)  # before the count, and before anything resolves it
    log_path = Path(audit_log) if audit_log else None
    log = None
    if log_path is not None:
        from pingyi.results.auditlog import AuditLog

        _refuse_log(log_path, force, [Path(round_file), *(p for p, _ in files)], output)
        log = AuditLog(log_path)
    with log or nullcontext(), digests.started():
        with progress_bar("reading ballots", quiet) as progress:
            t = build(
                round_file,
                files,
                progress,
                lang,
                operator=operator,
                confidence=confidence,
                log=log,
                hash_ballots=True,
            )
        report_notices(t.problems)
        if not quiet:
            _note_empty_lines(t)
        if log_path is not None:
            _refuse_log(log_path, force, [i.path for i in t.inputs], output)
        target = write_results(t, output, strict=strict, command=["pingyi", *sys.argv[1:]])
        if log is not None:
            log.commit()
    document = t.document
    if fmt == "json":
        sys.stdout.buffer.write(machine_bytes(t.files["results.json"]))
    elif fmt == "csv":
        sys.stdout.buffer.write(machine_bytes(t.files["scores.csv"]))
    else:
        from pingyi.cli.standings import show_category

        echo(f"{document['title']} ({document['round']})")
        for category in document["categories"]:
            show_category(document, category, "table", lang)
        sheets = document["sheets"]
        reasons = ", ".join(f"{k} {v}" for k, v in sheets["rejected_by_reason"].items()) or "none"
        echo(
            f"sheets: read {sheets['read']} = counted {sheets['counted']} + rejected "
            f"{sheets['rejected']} ({reasons})"
        )
    if not quiet:
        echo(f"results written to {target}/", err=True)


def _note_empty_lines(t: Tally) -> None:
    """Empty lines are skipped, not sheets (README), and said so, as ``check`` says it."""
    for source in t.ballots.files if t.ballots is not None else ():
        if source.empty_lines:
            echo(f"note: {source.display}: {source.empty_lines} empty lines skipped", err=True)


def _refuse_log(path: Path, force: bool, inputs: list[Path], output: str) -> None:
    """The audit log is never an input, never an existing file without --force, and never
    inside the results directory (which is replaced whole)."""
    from pingyi.cli.outfile import refuse_overwrite
    from pingyi.errors import PingyiError, Problem

    refuse_overwrite(path, force, inputs)
    if path.resolve().parent == Path(output).resolve():
        raise PingyiError(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    "output_refused",
                    "is inside the results directory, which is replaced whole; write the log beside it",
                )
            ]
        )
