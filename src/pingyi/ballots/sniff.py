"""What a ballot file is: CSV or XLSX (from its bytes, not its name), and its text encoding.

Card readers and typists produce UTF-8 with or without BOM, GB18030/GBK from Chinese
Windows software, and XLSX. A file that is not what its extension says (a workbook named
.csv, text named .xlsx, an old .xls, UTF-16) stops the run with a located error, never a
silently wrong count.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass

from pingyi.ballots.files import BallotFile
from pingyi.errors import PingyiError
from pingyi.round.models import Round

SAMPLE_BYTES = 1 << 16  # the start of a file that decides its encoding and header


def file_kind(source: BallotFile) -> str:
    """'csv' or 'xlsx', from the content; an extension that lies is an error, and so is a
    file that cannot be read (missing, a directory, no permission): one line, exit 2."""
    try:
        mode = os.stat(source.path).st_mode
        if stat.S_ISDIR(mode):
            raise source.problem(
                "not_a_file",
                f"is a directory, not a ballot file (name the files in it, e.g. {source.display}/*.csv)",
            )
        if not stat.S_ISREG(mode):
            raise source.problem(
                "not_a_file", "is not a regular file (a device or a pipe): save it as a file"
            )
        with open(source.path, "rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise source.problem("file_not_found", "file not found") from None
    except PermissionError:
        raise source.problem("unreadable", "cannot be read: permission denied") from None
    except OSError as exc:
        raise source.problem("unreadable", f"cannot be read: {exc.strerror or exc}") from None
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


@dataclass(frozen=True)
class TextEncoding:
    """The encoding a CSV file is read with, and whether the round named it or the start
    of the file suggested it (messages say which)."""

    codec: str  # "utf-8", "gb18030" or "gbk"
    detected: bool

    @property
    def name(self) -> str:
        return _NAMES[self.codec]

    def bad_bytes(self, source: BallotFile, line: int) -> PingyiError:
        """The error for bytes on ``line`` that do not decode in this encoding."""
        other = "gb18030" if self.codec == "utf-8" else "utf-8"
        if not self.detected:
            message = (
                f"bytes that are not valid {self.name} (the encoding set in ballots.encoding); "
                f"use ballots.encoding: {other} if the file is {_NAMES[other]}"
            )
        else:
            message = (
                f"bytes that are not valid {self.name} (the encoding assumed from the start of the file); "
                f"a file has one encoding: save this line as {self.name}, or use ballots.encoding: "
                f"{other} if the file is {_NAMES[other]}"
            )
        return source.problem("encoding", message, line=line)


_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GBK"}
_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def encoding(r: Round, source: BallotFile, start: bytes) -> TextEncoding:
    """The file's encoding: the round's, or detected among UTF-8, UTF-8 BOM and GB18030.

    Start bytes that are not UTF-8 choose GB18030, unless another line of them is UTF-8
    Chinese text: then the file mixes encodings (a row saved as GBK in a UTF-8 file), and
    reading it whole as GB18030 would garble every UTF-8 row, so it is an error naming
    the line. (GBK text that happens to be valid UTF-8 decodes to Latin, Greek or Cyrillic
    letters, almost never to Chinese, so a GBK file is not mistaken for a mixed one.)
    """
    wanted = r.ballots.encoding
    if wanted != "auto":
        return TextEncoding("utf-8" if wanted == "utf-8-sig" else wanted, False)
    if start.startswith(codecs.BOM_UTF8):
        return TextEncoding("utf-8", True)
    if b"\x00" in start:
        raise source.problem(
            "not_csv",
            "holds NUL bytes: not a text CSV file (UTF-16 is not supported; save it as UTF-8 or GB18030)",
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
        return TextEncoding("utf-8", True)
    except UnicodeDecodeError:
        pass
    _refuse_mixed(source, start)
    try:
        codecs.getincrementaldecoder("gb18030")().decode(start, final=False)
        return TextEncoding("gb18030", True)
    except UnicodeDecodeError:
        pass
    raise source.problem(
        "encoding", "is neither UTF-8 nor GB18030 text (set ballots.encoding in the round file)", line=1
    )


def _refuse_mixed(source: BallotFile, start: bytes) -> None:
    """An error if some whole lines of ``start`` are UTF-8 Chinese text and others are not UTF-8."""
    lines = start.split(b"\n")[:-1]  # the last may be cut by the sample's end
    utf8_line = bad_line = None
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            bad_line = bad_line or number
            continue
        if utf8_line is None and _CJK.search(text):
            utf8_line = number
        if bad_line and utf8_line:
            break
    if bad_line and utf8_line:
        raise source.problem(
            "encoding",
            f"bytes that are not valid UTF-8, though line {utf8_line} is UTF-8 text; a file has one "
            "encoding: save this line as UTF-8, or use ballots.encoding: gb18030 if the whole file "
            "is GB18030",
            line=bad_line,
        )


def read_error(
    source: BallotFile, exc: Exception, line: int | None = None, quoted: bool = True
) -> PingyiError:
    """The located error for what pyarrow raised while parsing a CSV file; ``line`` is where
    the rows it could not read start, when the reader knows it.

    pyarrow's "straddling object" is one row longer than a whole read block. Read with
    quotes (``quoted``), that is most likely a quote opened by mistake (a stray ``"``)
    swallowing the rows after it; read without, it is a row that long: not a ballot row,
    which is a few hundred bytes."""
    text = str(exc).strip()
    where = "on this line or soon after" if line is not None else "somewhere in the file"
    if "straddling object" in text and not quoted:
        return source.problem(
            "row_too_long",
            f"a row starting {where} is longer than a read block (several MB): a ballot row is a "
            "few hundred bytes; is this a ballot file, with the round's delimiter?",
            line,
        )
    if "straddling object" in text:
        return source.problem(
            "runaway_quote",
            f"a quoted cell opened {where} runs over a whole read block (a stray '\"'?): the sheets "
            "inside it cannot be read; fix the quote, or remove it",
            line,
        )
    lines = text.splitlines()
    return source.problem("unreadable", f"cannot be read as CSV: {lines[0] if lines else type(exc).__name__}")
