"""Text from inputs, made harmless for each place it goes (SPEC: "Text from inputs never
becomes a formula"; issue 10).

Unit names, ids, sheet ids, file names and opinions come from files anyone can edit, and
three readers take such text for more than text:

- a spreadsheet opening a CSV file runs a cell starting with ``=``, ``+``, ``-``, ``@``,
  TAB or CR as a formula (OWASP "CSV injection"): :func:`csv_text` prefixes a ``'``;
- a terminal obeys escape sequences (clear screen, OSC 52 clipboard writes) and bidi
  overrides reorder what people read: :func:`terminal_text` shows such characters as
  ``\\x1b`` / ``\\u202e``;
- the XML inside an xlsx file cannot hold most C0 controls (openpyxl refuses them):
  :func:`xlsx_text` shows them the same visible way.

Only text is escaped, never a figure: -3 places moved stays -3. Machine JSON keeps the
raw text; it escapes control characters itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

#: OWASP: cells starting with these are read as formulas by spreadsheet programs.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """``=SUM(A1)`` → ``'=SUM(A1)``: a CSV cell a spreadsheet shows as the text it is."""
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Each row as one CSV line ending ``\\n``, quoted as :mod:`csv` quotes (minimal), and
    a field holding a CR quoted too, so a CR in a name cannot split its row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes fields with CR or LF
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()[:-2] + "\n"
