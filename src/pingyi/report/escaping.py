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
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

#: OWASP: cells starting with these are read as formulas by spreadsheet programs.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """``=SUM(A1)`` → ``'=SUM(A1)``: a CSV cell a spreadsheet shows as the text it is.

    A text that is quotes then a formula character (``'=1``) gets one more quote too, so
    :func:`csv_untext` always gives the text back."""
    return "'" + text if text.lstrip("'").startswith(CSV_FORMULA_STARTS) else text


def csv_untext(cell: str) -> str:
    """The text :func:`csv_text` escaped: for scripts and readers of pingyi's CSV files."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(CSV_FORMULA_STARTS) else cell


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


#: C0 and C1 controls (ESC, BEL, CSI …), DEL, bidi embeddings/overrides/isolates and marks,
#: and the Unicode line and paragraph separators.
TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def visible_escape(char: str) -> str:
    r"""ESC → ``\x1b``, U+202E → ``\u202e``: what a character is, in plain ASCII."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    r"""ESC ``[2J局`` → ``\x1b[2J局``: text a terminal prints as it is, never obeys.

    Every control character is shown, TAB and newline too: a name or a message is one line."""
    return TERMINAL_UNSAFE.sub(lambda m: visible_escape(m.group()), text)


#: What the XML of an xlsx file cannot hold: the C0 controls but TAB, LF and CR (as
#: openpyxl's ILLEGAL_CHARACTERS_RE), lone surrogates, and U+FFFE/U+FFFF.
XLSX_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(text: str) -> str:
    r"""``市委办`` + Ctrl-Z → ``市委办\x1a``: text openpyxl can write and Excel can open.

    openpyxl raises on these characters (a DOS end-of-file mark after a name, a vertical
    tab typed into an opinion), so one of them would stop the whole workbook."""
    return XLSX_UNSAFE.sub(lambda m: visible_escape(m.group()), text)
