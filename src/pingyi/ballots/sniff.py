"""What a ballot file is: CSV or XLSX (from its bytes, not its name), and its text encoding.

Card readers and typists produce UTF-8 with or without BOM, GB18030/GBK from Chinese
Windows software, and XLSX. A file that is not what its extension says (a workbook named
.csv, text named .xlsx, an old .xls, UTF-16) stops the run with a located error, never a
silently wrong count.
"""

from __future__ import annotations

import codecs

from pingyi.ballots.files import BallotFile
from pingyi.errors import PingyiError
from pingyi.round.models import Round

SAMPLE_BYTES = 1 << 16  # the start of a file that decides its encoding and header


def file_kind(source: BallotFile) -> str:
    """'csv' or 'xlsx', from the content; an extension that lies is an error."""
    if not source.path.is_file():
        raise source.problem("file_not_found", "file not found")
    with open(source.path, "rb") as f:
        head = f.read(8)
    is_zip = head.startswith(b"PK\x03\x04")
    is_xlsx_name = source.path.suffix.lower() in (".xlsx", ".xlsm")
    if is_xlsx_name and not is_zip:
        raise source.problem(
            "not_xlsx", "is named .xlsx but is not an Excel workbook (rename it to .csv if it is text)"
        )
    if is_zip and not is_xlsx_name:
        raise source.problem(
            "not_csv", "is an Excel workbook or other zip file, not CSV (rename it to .xlsx)"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise source.problem("not_csv", "is an old Excel .xls file: save it as .xlsx or CSV")
    return "xlsx" if is_zip else "csv"


def sample(source: BallotFile) -> bytes:
    """The first SAMPLE_BYTES of a file."""
    with open(source.path, "rb") as f:
        return f.read(SAMPLE_BYTES)


def encoding(r: Round, source: BallotFile, start: bytes) -> str:
    """The file's encoding: the round's, or detected among UTF-8, UTF-8 BOM and GB18030."""
    wanted = r.ballots.encoding
    if wanted != "auto":
        return "utf-8" if wanted == "utf-8-sig" else wanted
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if b"\x00" in start:
        raise source.problem(
            "not_csv",
            "holds NUL bytes: not a text CSV file (UTF-16 is not supported; save it as UTF-8 or GB18030)",
        )
    for candidate in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(candidate)().decode(start, final=False)
            return candidate
        except UnicodeDecodeError:
            continue
    raise source.problem(
        "encoding", "is neither UTF-8 nor GB18030 text (set ballots.encoding in the round file)", line=1
    )


def first_bad_line(source: BallotFile, encoding: str, start: int = 0, end: int | None = None) -> int | None:
    """Where decoding fails (counted from ``start``), to name the line in the error."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(source.path, "rb") as f:
        f.seek(start)
        position = start
        for number, raw in enumerate(f, start=1):  # line by line: the file may be large
            if end is not None and position >= end:
                break
            position += len(raw)
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None


def read_error(
    source: BallotFile, encoding: str, exc: Exception, start: int = 0, end: int | None = None
) -> PingyiError:
    """The located error for what pyarrow (or a decoder) raised while reading a CSV file."""
    message = str(exc)
    if isinstance(exc, UnicodeDecodeError) or "UTF8" in message or "utf-8" in message.lower():
        line = first_bad_line(source, encoding, start, end)
        other = "gb18030" if encoding.startswith("utf") else "utf-8"
        return source.problem(
            "encoding",
            f"bytes that are not {encoding} (set ballots.encoding: {other} if the file is {other})",
            line=line,
        )
    return source.problem("unreadable", f"cannot be read as CSV: {message.splitlines()[0]}")
