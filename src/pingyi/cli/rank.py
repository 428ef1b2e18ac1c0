"""``pingyi rank``: one category's ranking from a results directory."""

from __future__ import annotations

import click

from pingyi.cli.options import format_option, lang_option, results_option


@click.command(name="rank")
@click.option("--category", "-c", "category_id", required=True, help="Category id, e.g. local.")
@results_option
@format_option
@lang_option
def command(category_id: str, results_dir: str, fmt: str, lang: str) -> None:
    """Print one category's ranking from a results directory written by 'pingyi tally'.

    Example:

        pingyi rank --category local --results pingyi-results --format csv
    """
    from pingyi.cli.standings import show_category
    from pingyi.errors import refuse_os
    from pingyi.results.read import category_of, read_checked_results

    refuse_os(results_dir)
    document = read_checked_results(results_dir)
    show_category(document, category_of(document, category_id, results_dir), fmt, lang)
