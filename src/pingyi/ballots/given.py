"""The ballot files given to a run: each once, in one order, every unusable one named."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pingyi.ballots.files import BallotFile
from pingyi.ballots.sniff import file_kind
from pingyi.errors import PingyiError, Problem, os_problem, refusal


def ballot_files(paths: Iterable[str | os.PathLike[str]], displays: list[str] | None) -> list[BallotFile]:
    """The files of a run in sorted path order (so which copy of a re-scanned sheet is kept
    never depends on the order of arguments), each given once, every unreadable one named."""
    paths = list(paths)
    names = displays if displays is not None else [str(p) for p in paths]
    refused = [(name, refusal(p)) for p, name in zip(paths, names, strict=True)]
    if any(error is not None for _, error in refused):  # a loop of links, a name too long: before resolve()
        raise PingyiError([os_problem(name, error) for name, error in refused if error is not None])
    given = [(Path(p).resolve(), name) for p, name in zip(paths, names, strict=True)]
    if not given:
        raise PingyiError([Problem("", None, "", "no_ballots", "no ballot files given")])
    seen: dict[Path, str] = {}
    problems = []
    for resolved, display in given:
        if resolved in seen:
            problems.append(
                Problem(
                    display,
                    None,
                    "",
                    "file_twice",
                    f"is the same file as {seen[resolved]}: give each file once",
                )
            )
        seen[resolved] = display
    if problems:
        raise PingyiError(problems)
    ordered = sorted(given, key=lambda item: str(item[0]))
    files = [BallotFile(path, display, i) for i, (path, display) in enumerate(ordered)]
    for source in files:  # every file that cannot be read, named at once
        try:
            file_kind(source)
        except PingyiError as error:
            problems.extend(error.problems)
    if problems:
        raise PingyiError(problems)
    return files
