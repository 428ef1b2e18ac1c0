"""Problems and the one exception type pingyi raises for a user's mistake.

Every problem names where it is (file, line, field) and what was expected, and carries a
stable ``code`` that scripts can match. A run collects all the problems it can find and
raises them together (STYLE 5, 6), so a round file with five mistakes gets five messages.
The CLI turns a :class:`PingyiError` into those messages and the SPEC's exit code; no
traceback reaches a user unless ``--debug`` is given.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass

#: What a problem does to a run, gravest first (see :class:`Problem`).
SEVERITIES = ("error", "void", "failure", "warning")

#: Exit codes of the SPEC: 0 success, 1 the data fails a check under --strict,
#: 2 usage or round-file errors (and unusable input).
EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input: where, what kind (``code``), and what to do.

    ``line`` is 1-based; ``field`` is a path like ``units[3].category`` (list indices
    0-based, as in the file's own order). ``severity`` says what the problem does to a
    run: ``error`` stops it (exit 2), ``void`` voids the round (exit 1, nothing written),
    ``failure`` fails a check (exit 1 under ``--strict``), ``warning`` is reported only.
    Every view (terminal, results.json ``problems``, report.xlsx) draws from one list of
    these (STYLE 7a).
    """

    file: str
    line: int | None
    field: str
    code: str
    message: str
    severity: str = "error"

    def as_dict(self) -> dict[str, object]:
        """The JSON form (results.json ``problems``)."""
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        if not place:
            return f"{self.field}: {self.message}" if self.field else self.message
        return f"{place}:{field} {self.message}"

    def as_tuple(self) -> tuple[str, int | None, str, str]:
        """(file, line, field, code): the compact form tests assert on (STYLE 12a)."""
        return (self.file, self.line, self.field, self.code)


class PingyiError(Exception):
    """A user's mistake (a bad round file, unusable ballots, a bad option).

    Carries every problem found, and the exit code the CLI should use.
    """

    def __init__(self, problems: Iterable[Problem], exit_code: int = EXIT_USAGE) -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line or 0, p.field, p.code)


def fail(file: str, code: str, message: str, *, line: int | None = None, field: str = "") -> None:
    """Raise a :class:`PingyiError` with a single problem."""
    raise PingyiError([Problem(file, line, field, code, message)])


# --- paths the system refuses -------------------------------------------------------------

#: An OSError's reason in a user's words, by errno; any other is the system's own text.
_OS_WORDS = {
    errno.ELOOP: "a loop of symbolic links (a link that leads, through others, back to itself)",
    errno.ENAMETOOLONG: "the name is too long (a file system allows 255 bytes a name)",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOENT: "not found",
    errno.EIO: "input/output error",
}


def os_words(error: OSError) -> str:
    """Why the system refused, in plain words: never Python's exception names."""
    words = _OS_WORDS.get(error.errno or 0) or error.strerror or str(error) or type(error).__name__
    return words[:1].lower() + words[1:]


def refusal(path: str | os.PathLike[str]) -> OSError | None:
    """The error the system gives for ``path`` other than "not found", or ``None``.

    pathlib's ``exists()`` and ``is_file()`` answer False for a missing file and for a loop
    of symbolic links, but raise for a name over 255 bytes (ENAMETOOLONG) or a folder that
    cannot be searched; Python 3.11's ``resolve()`` turns a loop into a RuntimeError. A
    caller that asks this first reports a located problem (:func:`os_problem`) before it
    touches the path any other way, and keeps its own "not found" message.
    """
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        return error
    return None


def os_problem(
    file: str, error: OSError, *, line: int | None = None, field: str = "", named: str | None = None
) -> Problem:
    """The problem for a path the system refused: ``os_error``, with the system's reason
    in plain words, after the name the user wrote (``named``) when ``file`` is another."""
    words = os_words(error)
    return Problem(file, line, field, "os_error", words if named is None else f"'{named}': {words}")


def refused_path(path: str | os.PathLike[str], named: str) -> str | None:
    """``'named': reason`` when the system refuses ``path`` (a round file's key names it
    ``named``), else ``None``: the message of an ``os_error`` at that key."""
    error = refusal(path)
    return None if error is None else f"'{named}': {os_words(error)}"


def refuse_os(path: str | os.PathLike[str], display: str | None = None) -> None:
    """Raise the :func:`os_problem` of ``path`` (named ``display``) if the system refuses it."""
    error = refusal(path)
    if error is not None:
        raise PingyiError([os_problem(str(path) if display is None else display, error)])
