"""The public API: everything a command does, as a function a script can call (STYLE 1).

    >>> import pingyi
    >>> t = pingyi.tally("examples/yixing/round.yaml", ["examples/yixing/ballots.csv"])
    >>> t.units.loc["nb", "rank"]
    45
    >>> pingyi.write_results(t, "results")

The command line is a thin layer over these functions; see docs/api.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pingyi.errors import EXIT_CHECK_FAILED, PingyiError, Problem

if TYPE_CHECKING:
    from pingyi.ballots.count import BallotCounts, Progress
    from pingyi.results.bundle import Tally
    from pingyi.round.models import Round

PathLike = str | os.PathLike[str]


def load_round(path: PathLike) -> Round:
    """Load and validate a round file (and the schemes it extends); raise
    :class:`~pingyi.errors.PingyiError` listing every problem with file, line and field."""
    from pingyi.round.load import load_round as load

    return load(path)


def read_ballots(round: Round | PathLike, paths: PathLike | Iterable[PathLike]) -> BallotCounts:
    """Read and count the ballot files of a round: integer counts per unit × stratum ×
    mark, and every rejected sheet with file, line and reason."""
    from pingyi.ballots.count import read_ballots as read

    r = _round(round)
    files = _paths(paths)
    return read(r, [p for p, _ in files], displays=[d for _, d in files])


def tally(
    round: Round | PathLike,
    ballot_paths: PathLike | Iterable[PathLike],
    *,
    lang: str = "zh",
    progress: Progress | None = None,
    operator: str | None = None,
    confidence: int | None = None,
    audit_log: PathLike | None = None,
) -> Tally:
    """Count, score, rank and award a round, in memory: nothing is written but the
    ``audit_log``, when one is asked for.

    ``round`` is a round file's path or a loaded :class:`~pingyi.round.models.Round`;
    ``ballot_paths`` one path or several; ``lang`` ("zh" or "en") the language of
    report.xlsx; ``operator`` who runs the count (recorded in the manifest and
    report.xlsx); ``confidence`` the number of bootstrap replicates (docs/confidence.md);
    ``audit_log`` a CSV file to write one row per sheet read to (its disposition and
    corrections; streamed, put in place when the tally succeeds, never over an input).
    Returns a :class:`~pingyi.results.bundle.Tally`; write it with
    :func:`write_results`.
    """
    from pingyi.results.build import build

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    source: Round | str = round if _is_round(round) else str(round)  # type: ignore[assignment]
    files = _paths(ballot_paths)
    if audit_log is None:
        return build(source, files, progress, lang, operator=operator, confidence=confidence)
    from pingyi.results.auditlog import AuditLog

    with AuditLog(Path(audit_log)) as log:
        t = build(source, files, progress, lang, operator=operator, confidence=confidence, log=log)
        log.commit([i.path for i in t.inputs])
    return t


def write_results(
    t: Tally,
    directory: PathLike = "pingyi-results",
    *,
    strict: bool = False,
    command: list[str] | None = None,
) -> Path:
    """Write the results directory of a tally atomically, with its manifest.

    Refuses (``PingyiError``, exit code 1) a void round, and under ``strict`` a round
    that fails a check; refuses (exit code 2) a directory pingyi did not write. The old
    results stay in place when anything fails. ``command`` is recorded in the manifest.
    """
    from pingyi.results import manifest
    from pingyi.results.document import dumps
    from pingyi.results.write import write_directory

    if t.round is None:
        raise ValueError("only a fresh tally (pingyi.tally) can be written; this one was read back")
    blocking = t.void + (t.failures if strict else [])
    if blocking:
        why = "the round is void" if t.void else "a check failed under --strict"
        raise PingyiError(
            [Problem(str(directory), None, "", "not_written", f"{why}; no results written")],
            EXIT_CHECK_FAILED,
        )
    target = Path(directory)
    if target.resolve() in manifest.results_chain(t.inputs):
        raise PingyiError(
            [
                Problem(
                    str(directory),
                    None,
                    "",
                    "results_cycle",
                    "this round reads these results (as its previous round or a composite "
                    "component, directly or through another round): writing over them would "
                    "make a cycle; choose another -o",
                )
            ]
        )
    record = manifest.make_manifest(target, t.inputs, t.files, command, t.options)
    write_directory(target, {**t.files, "manifest.json": dumps(record)})
    return target


def read_results(directory: PathLike = "pingyi-results") -> Tally:
    """A results directory read back as a :class:`~pingyi.results.bundle.Tally` (its
    frames equal those of the tally that wrote it)."""
    from pingyi.results.bundle import Tally
    from pingyi.results.read import read_rejects
    from pingyi.results.read import read_results as read_document

    folder = Path(directory)
    document = read_document(folder)
    files = {}
    for name in ("results.json", "scores.csv", "strata.csv", "rejects.csv", "report.xlsx"):
        path = folder / name
        if path.is_file():
            files[name] = path.read_bytes()
    problems = [Problem(**p) for p in document.get("problems", []) if isinstance(p, dict)]
    rows = read_rejects(folder) if "rejects.csv" in files else []
    options = {"lang": "zh"}
    return Tally(document, files, problems, rows, options)


@dataclass
class CheckReport:
    """What ``pingyi check`` found: the summary it prints (as data), the counted ballots
    (when ballots were given) and the problems (failures and void conditions)."""

    summary: dict[str, Any]
    ballots: BallotCounts | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def void(self) -> bool:
        return any(p.severity == "void" for p in self.problems)

    @property
    def failed(self) -> bool:
        return any(p.severity == "failure" for p in self.problems)


def check(
    round: Round | PathLike,
    ballot_paths: PathLike | Iterable[PathLike] = (),
    *,
    progress: Progress | None = None,
) -> CheckReport:
    """What ``pingyi check`` reports, without writing results: the round at a glance (and
    its side files checked) and, with ballots, sheets read/counted/rejected, per stratum
    and form, quotas and coverage. Raises ``PingyiError`` for a bad round file or
    unusable ballots."""
    from pingyi.ballots.count import read_ballots as read
    from pingyi.report.ballots import ballot_problems, ballot_summary
    from pingyi.report.summary import round_summary
    from pingyi.sidefiles import read_side_inputs

    r = _round(round)
    report = CheckReport(round_summary(r))
    side = read_side_inputs(r)
    report.problems.extend(side.problems)
    files = _paths(ballot_paths)
    if files:
        displays = [d for _, d in files]
        report.ballots = read(r, [p for p, _ in files], progress, displays, corrections=side.corrections)
        report.summary["ballots"] = ballot_summary(report.ballots)
        report.problems.extend(ballot_problems(report.ballots))
    return report


def _is_round(value: object) -> bool:
    from pingyi.round.models import Round

    return isinstance(value, Round)


def _round(value: Round | PathLike) -> Round:
    if _is_round(value):
        return value  # type: ignore[return-value]
    return load_round(value)  # type: ignore[arg-type]


def _paths(paths: PathLike | Iterable[PathLike]) -> list[tuple[Path, str]]:
    """(path, name shown in rejects) for one path or several, as given."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    return [(Path(p), os.fspath(p)) for p in paths]
