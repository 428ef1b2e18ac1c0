"""From a round file and its ballots to a :class:`~pingyi.results.bundle.Tally`: every
output file's bytes in memory, before anything is written.

``pingyi tally`` writes what this builds; ``pingyi verify`` builds it again from the
inputs named in a manifest and compares byte for byte, so both go through here. The
order is the flow of the data: round file → side files → ballots → counts → engine →
results document → files.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pingyi import __version__
from pingyi.ballots.count import Progress, read_ballots
from pingyi.ballots.dispositions import SheetLog
from pingyi.engine.tally import tally
from pingyi.errors import PingyiError, Problem
from pingyi.report.ballots import ballot_problems
from pingyi.report.workbook import report_book
from pingyi.results import document as doc
from pingyi.results.bundle import Tally
from pingyi.results.digests import hash_soon
from pingyi.results.manifest import round_inputs
from pingyi.results.tables import rejects_csv, scores_csv, strata_csv
from pingyi.round.load import load_round
from pingyi.round.models import Confidence, Round
from pingyi.sidefiles import read_side_inputs


def build(
    round_file: str | Path | Round,
    ballots: list[tuple[Path, str]],
    progress: Progress | None = None,
    lang: str = "zh",
    version: str = __version__,
    report: bool = True,
    operator: str | None = None,
    confidence: int | None = None,
    log: SheetLog | None = None,
    hash_ballots: bool = False,
) -> Tally:
    """Load, count, tally and render. ``ballots`` are (path, name shown in rejects.csv);
    ``lang`` is the language of report.xlsx; ``version`` the pingyi version stamped in
    results.json (``pingyi verify`` passes the one that wrote the result). Without
    ``report``, report.xlsx is not built (tests of the figures alone). ``operator`` is who
    runs the count (or the round's ``operator:``), recorded in the manifest. ``confidence``
    is the number of bootstrap replicates (overriding the round's ``confidence:``). ``log``
    is told every sheet's disposition as it is counted (``--audit-log``). ``hash_ballots``
    starts hashing the ballot files for the manifest once they are counted (digests.py):
    the command line, which always writes one, asks for it."""
    if isinstance(round_file, Round):
        r, round_display = round_file, str(round_file.files[0])
    else:
        r, round_display = load_round(round_file), str(round_file)
    who = operator_of(r, operator, round_display)
    side = read_side_inputs(r)
    bootstrap = bootstrap_of(r, confidence)
    replicates = (bootstrap.replicates, bootstrap.seed) if bootstrap else None
    counts = read_ballots(
        r, [p for p, _ in ballots], progress, [d for _, d in ballots], replicates, side.corrections, log
    )
    if hash_ballots:  # the manifest's digests, on the other core while the outputs are built
        hash_soon(p for p, _ in ballots)
    result = tally(counts, side.adjustments, side.previous, side.opinions, side.sourced)
    if bootstrap is not None and counts.replicates is not None:
        from pingyi.engine.confidence import apply_confidence  # the bootstrap's, loaded when one runs

        apply_confidence(
            r,
            result,
            counts.replicates,
            bootstrap.replicates,
            bootstrap.seed,
            bootstrap.level,
            counts.replicate_sums,
        )
    problems = ballot_problems(counts) + side.problems + result.problems
    document = doc.results_document(counts, result, problems, version)
    files = {
        "results.json": doc.dumps(document),
        "scores.csv": scores_csv(document),
        "strata.csv": strata_csv(document),
        "rejects.csv": rejects_csv(counts.rejects),
    }
    if report:
        book = report_book(document, counts.rejects, lang, who)
        files["report.xlsx"] = book.data
        problems = problems + [_replaced(note) for note in book.notes]
    return Tally(
        document,
        files,
        problems,
        [(j.file, j.line, j.sheet, j.reason, j.detail) for j in counts.rejects],
        {"lang": lang}
        | ({"operator": who} if who else {})
        | ({"confidence": confidence} if confidence is not None else {}),
        r,
        counts,
        result,
        round_inputs(r, round_display, ballots),
    )


def _replaced(note: str) -> Problem:
    """A text whose control characters report.xlsx shows escaped (xlsx cannot hold them).
    It concerns the workbook only, so it is not in results.json's problems."""
    return Problem(
        "report.xlsx", None, "", "xlsx_text_replaced", f"control characters shown escaped: {note}", "warning"
    )


def operator_of(r: Round, given: str | None, display: str) -> str | None:
    """Who runs the count: ``--operator``, else the round's ``operator:``; required when the
    round says ``audit: {operator_required: true}`` (SPEC "Audit")."""
    who = given if given is not None else r.operator
    if who is not None and (not who.strip() or any(unicodedata.category(c)[0] == "C" for c in who)):
        raise PingyiError(
            [
                Problem(
                    "" if given is not None else display,
                    None,
                    "--operator" if given is not None else "operator",
                    "bad_operator",
                    "an operator is a name, without control characters",
                )
            ]
        )
    if who is None and r.audit.operator_required:
        raise PingyiError(
            [
                Problem(
                    display,
                    None,
                    "audit.operator_required",
                    "operator_required",
                    "this round must name who runs the count: give --operator NAME",
                )
            ]
        )
    return who


def bootstrap_of(r: Round, replicates: int | None) -> Confidence | None:
    """The bootstrap to run: the round's ``confidence:``, its replicates overridden by
    ``--confidence N``; None when off (no key, or 0 replicates)."""
    chosen = r.confidence or Confidence()
    if replicates is not None and (
        isinstance(replicates, bool) or not isinstance(replicates, int) or not 0 <= replicates <= 5000
    ):
        raise PingyiError(
            [
                Problem(
                    "", None, "confidence", "bad_confidence", f"replicates are 0 to 5000, not {replicates!r}"
                )
            ]
        )
    if replicates is not None:
        chosen = chosen.model_copy(update={"replicates": replicates})
    elif r.confidence is None:
        return None
    return chosen if chosen.replicates > 0 else None
