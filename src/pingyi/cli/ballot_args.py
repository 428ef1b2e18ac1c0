"""Ballot file arguments: several paths, or a quoted glob (``'ballots/*.csv'``).

A shell expands an unquoted glob itself; a quoted one (or a shell that does not expand,
like Windows cmd) reaches pingyi as is and is expanded here, in sorted order. A glob that
matches nothing is an error, never an empty round.
"""

from __future__ import annotations

import glob
from pathlib import Path

from pingyi.errors import PingyiError, Problem, os_problem, refusal

GLOB_CHARACTERS = set("*?[")


def expand(arguments: tuple[str, ...]) -> list[tuple[Path, str]]:
    """(path, name as given) for every ballot file the arguments name."""
    files: list[tuple[Path, str]] = []
    problems = []
    for argument in arguments:
        if GLOB_CHARACTERS & set(argument) and refusal(argument) is None and not Path(argument).exists():
            matches = sorted(glob.glob(argument))
            if not matches:
                problems.append(Problem(argument, None, "", "no_match", "no file matches this pattern"))
            files.extend((Path(m), m) for m in matches)
        else:
            files.append((Path(argument), argument))
    for path, name in files:
        refused = refusal(path)  # a loop of links, a name over 255 bytes: before any resolve()
        if refused is not None:
            problems.append(os_problem(name, refused))
    if problems:
        raise PingyiError(problems)
    return files
