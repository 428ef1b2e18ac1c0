"""Render listings as a rich table, CSV or JSON (STYLE 8, 9).

Machine formats go to stdout and nothing else does; titles and notes of the table format
go to stdout too, since a table is for people. Whatever people read on a terminal (tables,
titles, lines through :func:`echo`) shows control characters from inputs as ``\\x1b``
instead of obeying them (issue 10); csv and json keep the text as it is.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Sequence
from typing import Any

import click

from pingyi.report.escaping import csv_lines, csv_text, terminal_text
from pingyi.report.i18n import word

Column = tuple[str, str]  # (key in the row, heading in the table)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    title: str | None = None,
    *,
    numbers: Collection[str] = (),
) -> None:
    """Print ``rows`` in ``fmt``: table (people), csv or json (scripts).

    In csv, a text cell (or heading) that a spreadsheet would run as a formula gets a
    leading ``'`` (issue 10); the columns named in ``numbers`` hold figures shown as text
    (``-1.50``) and are written as they are, like every int or float."""
    if fmt == "json":
        click.echo(machine(json.dumps(list(rows), ensure_ascii=False, indent=2)))
    elif fmt == "csv":
        header = [csv_text(key) for key, _ in columns]  # a grading's id comes from the round file
        body = [[_csv_cell(row.get(key), key in numbers) for key, _ in columns] for row in rows]
        click.echo(machine("".join(csv_lines([header, *body]))), nl=False)
    else:
        print_table(rows, columns, title)


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    def shown(text: str) -> str:  # a unit named "[red]" stays a name, ESC stays visible
        return escape(terminal_text(text))

    table = Table(title=shown(title) if title else None, title_justify="left", show_lines=False)
    for _, heading in columns:
        table.add_column(shown(heading))
    for row in rows:
        table.add_row(
            *(
                value if isinstance(value, Text) else shown(_cell(value))
                for value in (row.get(key) for key, _ in columns)
            )
        )
    Console(soft_wrap=False).print(table)


def echo(text: str, err: bool = False) -> None:
    """One line for people, control characters from inputs shown, not obeyed."""
    click.echo(terminal_text(text), err=err)


def emit_json(value: Any) -> None:
    click.echo(machine(json.dumps(value, ensure_ascii=False, indent=2)))


def machine(text: str) -> str:
    """csv or json for scripts: as it is in a pipe or a file; on a terminal, which would
    obey an escape sequence from the inputs, with control characters shown instead."""
    return terminal_text(text) if sys.stdout.isatty() else text


def machine_bytes(data: bytes) -> bytes:
    """:func:`machine` for an output file's bytes (``tally --format csv|json``)."""
    return machine(data.decode("utf-8")).encode("utf-8") if sys.stdout.isatty() else data


def _csv_cell(value: Any, number: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _cell(value)
    return text if number or not isinstance(value, (str, list, tuple)) else csv_text(text)


def _cell(value: Any) -> str:
    """A value as a table shows it: yes/no as 是/否 (table headings are Chinese)."""
    if isinstance(value, bool):
        return word("yes" if value else "no")
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)
