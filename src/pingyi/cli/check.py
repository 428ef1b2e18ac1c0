"""``pingyi check``: validate a round file (and its ballots) without writing results."""

from __future__ import annotations

import click

from pingyi.cli.options import format_option
from pingyi.cli.output import emit, emit_json, print_table

CATEGORY_COLUMNS = [("id", "category"), ("name", "名称"), ("units", "单位数"),
                    ("winners", "优胜"), ("last_place", "末位"), ("ranked", "排名")]
STRATUM_COLUMNS = [("id", "stratum"), ("name", "名称"), ("weight", "权重"), ("issued", "发放")]


@click.command(name="check")
@click.argument("round_file", type=click.Path(dir_okay=False))
@format_option
def command(round_file: str, fmt: str) -> None:
    """Validate a round file and summarise it: units per category, strata and weights,
    and the rules in force in plain words. Nothing is written.

    Every problem in the file is reported at once, as FILE:LINE: FIELD: message, and
    the exit code is 2.

    Example:

        pingyi check examples/yixing/round.yaml
    """
    from pingyi.report.summary import round_summary
    from pingyi.round.load import load_round

    summary = round_summary(load_round(round_file))
    if fmt == "json":
        emit_json(summary)
        return
    if fmt == "csv":
        emit(summary["categories"], CATEGORY_COLUMNS, "csv")
        return
    click.echo(f"{summary['title']}  ({summary['round']}, scheme {summary['scheme']}): "
               f"{summary['units']} units")
    print_table(summary["categories"], CATEGORY_COLUMNS, title="类别 categories")
    print_table(summary["strata"], STRATUM_COLUMNS, title="评议层面 strata")
    click.echo("规则 rules:")
    for line in summary["rules"]:
        click.echo(f"  - {line}")
    click.echo(f"ok: {round_file}")
