"""Problems and the one exception type pingyi raises for a user's mistake.

Every problem names where it is (file, line, field) and what was expected, and carries a
stable ``code`` that scripts can match. A run collects all the problems it can find and
raises them together (STYLE 5, 6), so a round file with five mistakes gets five messages.
The CLI turns a :class:`PingyiError` into those messages and the SPEC's exit code; no
traceback reaches a user unless ``--debug`` is given.
"""

from __future__ import annotations

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
