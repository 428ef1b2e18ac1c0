"""``pingyi check``: validate a round file and its ballots without writing results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pingyi.cli.options import format_option, quiet_option
from pingyi.cli.output import echo, emit, emit_json, print_table
from pingyi.errors import EXIT_CHECK_FAILED

CATEGORY_COLUMNS = [
    ("id", "category"),
    ("name", "名称"),
    ("units", "单位数"),
    ("winners", "优胜"),
    ("last_place", "末位"),
    ("ranked", "排名"),
]
STRATUM_COLUMNS = [("id", "stratum"), ("name", "名称"), ("weight", "权重"), ("issued", "发放")]
SHEET_COLUMNS = [
    ("id", "stratum"),
    ("name", "名称"),
    ("read", "读入"),
    ("counted", "有效"),
    ("issued", "发放"),
    ("return_rate", "回收率"),
]
QUOTA_COLUMNS = [
    ("label", "quota"),
    ("count", "份数"),
    ("share", "占比"),
    ("required", "要求"),
    ("met", "达标"),
]


@click.command(name="check")
@click.argument("round_file", type=click.Path())
@click.argument("ballots", nargs=-1)
@click.option("--strict", is_flag=True, help="Exit 1 when a check fails (quota missed, conflicting sheets).")
@click.option(
    "--rejects",
    "rejects_file",
    type=click.Path(dir_okay=False),
    help="Write every rejected sheet to this CSV (file,line,sheet,reason,detail).",
)
@click.option("--force", is_flag=True, help="Replace an existing --rejects file.")
@format_option
@quiet_option
def command(
    round_file: str,
    ballots: tuple[str, ...],
    strict: bool,
    rejects_file: str | None,
    force: bool,
    fmt: str,
    quiet: bool,
) -> None:
    """Validate a round file, and its ballots if given, without writing results.

    For the round file: units per category, strata and weights, the rules in force in
    plain words. For the ballots: sheets read, counted and rejected by reason, sheets per
    stratum and form, quota status, and the units with the fewest valid marks.

    Exit codes: 0 clean; 1 a check failed under --strict, or more sheets counted than
    issued (which voids the round); 2 a bad round file or unusable ballots.

    Example:

        pingyi check examples/yixing/round.yaml examples/yixing/ballots.csv --rejects rejects.csv
    """
    from pingyi.api import check
    from pingyi.cli import ballot_args
    from pingyi.cli.problems import report_notices
    from pingyi.cli.progress import progress_bar

    files = ballot_args.expand(ballots) if ballots else []
    if rejects_file:
        from pingyi.cli.outfile import refuse_overwrite

        refuse_overwrite(Path(rejects_file), force, [Path(round_file), *(p for p, _ in files)])
    with progress_bar("reading ballots", quiet or not files) as progress:
        report = check(round_file, [p for p, _ in files], progress=progress)
    if rejects_file and report.ballots is not None:
        from pingyi.results.tables import rejects_csv
        from pingyi.results.write import write_file_atomically

        write_file_atomically(Path(rejects_file), rejects_csv(report.ballots.rejects))
    _show(report.summary, fmt, round_file)
    report_notices(report.problems)
    if report.void or (strict and report.failed):
        raise SystemExit(EXIT_CHECK_FAILED)


def _show(summary: dict[str, Any], fmt: str, round_file: str) -> None:
    if fmt == "json":
        emit_json(summary)
        return
    if fmt == "csv":
        emit(summary["categories"], CATEGORY_COLUMNS, "csv")
        return
    echo(f"{summary['title']}  ({summary['round']}, scheme {summary['scheme']}): {summary['units']} units")
    print_table(summary["categories"], CATEGORY_COLUMNS, title="类别 categories")
    print_table(summary["strata"], STRATUM_COLUMNS, title="评议层面 strata")
    echo("规则 rules:")
    for line in summary["rules"]:
        echo(f"  - {line}")
    if "ballots" in summary:
        _show_ballots(summary["ballots"])
    echo(f"ok: {round_file}")


def _show_ballots(b: dict[str, Any]) -> None:
    from pingyi.cli.online import show_channels, show_mapping

    for f in (f for f in b["files"] if "mapping" in f):
        show_mapping(f)
    sheets = b["sheets"]
    reasons = ", ".join(f"{k} {v}" for k, v in sheets["rejected_by_reason"].items()) or "none"
    echo(
        f"sheets: read {sheets['read']} = counted {sheets['counted']} + rejected "
        f"{sheets['rejected']} ({reasons})"
    )
    if "by_channel" in sheets:
        show_channels(sheets["by_channel"])
    print_table(b["strata"], SHEET_COLUMNS, title="各层面 sheets per stratum")
    if b["forms"]:
        print_table(b["forms"], [("id", "form"), ("counted", "有效")], title="各表 sheets per form")
    if b["quotas"]:
        print_table(b["quotas"], QUOTA_COLUMNS, title="配额 quotas")
    print_table(
        b["coverage"],
        [("unit", "unit"), ("name", "名称"), ("valid", "有效票")],
        title="有效票最少 fewest valid marks",
    )
    for f in b["files"]:
        notes = []
        if f["unused_columns"]:
            notes.append(f"columns not used: {', '.join(f['unused_columns'])}")
        if f["empty_lines"]:
            notes.append(f"{f['empty_lines']} empty lines skipped")
        if notes:
            echo(f"note: {f['file']}: {'; '.join(notes)}", err=True)
