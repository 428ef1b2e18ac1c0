"""From a round file and its ballots to the bytes of every output file, in memory.

``pingyi tally`` writes what this builds; ``pingyi verify`` builds it again from the
inputs named in a manifest and compares byte for byte, so both go through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pingyi.ballots.count import BallotCounts, Progress, read_ballots
from pingyi.engine.result import TallyResult
from pingyi.engine.tally import tally
from pingyi.report.ballots import ballot_summary
from pingyi.report.workbook import report_workbook
from pingyi.results import document as doc
from pingyi.results.tables import rejects_csv, scores_csv, strata_csv
from pingyi.round.load import load_round
from pingyi.round.models import Round


@dataclass
class Outcome:
    """A tally and its output files (name → bytes), before anything is written."""

    round: Round
    counts: BallotCounts
    result: TallyResult
    document: dict[str, Any]
    files: dict[str, bytes]
    failures: list[str]  # checks that fail the run under --strict
    void: list[str]  # reasons the round is void whatever the options


def build(
    round_file: str, ballots: list[tuple[Path, str]], progress: Progress | None = None, lang: str = "zh"
) -> Outcome:
    """Load, count, tally and render; ``ballots`` are (path, name shown in rejects.csv);
    ``lang`` is the language of report.xlsx."""
    r = load_round(round_file)
    counts = read_ballots(r, [p for p, _ in ballots], progress, displays=[d for _, d in ballots])
    summary = ballot_summary(counts)
    result = tally(counts)
    document = doc.results_document(counts, result, summary["failures"])
    files = {
        "results.json": doc.dumps(document),
        "scores.csv": scores_csv(document),
        "strata.csv": strata_csv(document),
        "rejects.csv": rejects_csv(counts.rejects),
        "report.xlsx": report_workbook(document, counts.rejects, lang),
    }
    return Outcome(r, counts, result, document, files, summary["failures"], summary["void"])
