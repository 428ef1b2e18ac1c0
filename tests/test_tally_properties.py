"""Invariants of a tally (hypothesis): the result never depends on the order of sheets or
how they are split into files, and one more 满意 never lowers a unit's score or rate."""

from __future__ import annotations

import random
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.results.build import build
from pingyi.results.bundle import Tally

SCHEMES = {
    "sum": "extends: qianren-2-1-0\n",
    "mean": "extends: manyidu-4\nquotas: []\n",
    "per_sheet": "extends: ningbo-weighted\n",
    "stratum_share": "extends: ningbo-weighted\nscoring: {weighting: stratum_share}\n",
}
ROUND = """\
round: p
{scheme}strata:
  - {{id: s1, name: 一, weight: 3}}
  - {{id: s2, name: 二, weight: 1}}
categories:
  - {{id: c, name: 类, winners: 1}}
units:
  - {{id: u, name: 甲, category: c}}
  - {{id: v, name: 乙, category: c}}
  - {{id: w, name: 丙, category: c}}
"""
HEADER = "sheet,stratum,u,v,w\n"

marks = st.sampled_from(["A", "B", "C", "D", "", "AB"])
sheet_rows = st.lists(st.tuples(st.sampled_from(["s1", "s2"]), marks, marks, marks), min_size=1, max_size=30)


def _lines(rows: list[tuple[str, ...]]) -> list[str]:
    return [",".join([f"S{i}", *row]) + "\n" for i, row in enumerate(rows)]


def _tally(folder: Path, scheme: str, files: list[list[str]]) -> Tally:
    (folder / "round.yaml").write_text(ROUND.format(scheme=SCHEMES[scheme]), encoding="utf-8")
    paths = []
    for i, lines in enumerate(files):
        path = folder / f"part{i}.csv"
        path.write_text(HEADER + "".join(lines), encoding="utf-8")
        paths.append((path, path.name))
    return build(str(folder / "round.yaml"), paths, report=False)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@settings(max_examples=12, deadline=None)
@given(
    rows=sheet_rows,
    copies=st.lists(st.integers(0, 29), max_size=4),
    seed=st.integers(0, 2**32),
    parts=st.integers(1, 4),
)
def test_order_and_split_leave_results_json_byte_identical(scheme, rows, copies, seed, parts):
    lines = _lines(rows)
    lines += [lines[i % len(lines)] for i in copies]  # identical re-scans
    shuffled = lines[:]
    random.Random(seed).shuffle(shuffled)
    split = [shuffled[i::parts] for i in range(parts)]
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        whole = _tally(Path(one), scheme, [lines])
        pieces = _tally(Path(many), scheme, split)
    assert pieces.files["results.json"] == whole.files["results.json"]
    assert pieces.files["scores.csv"] == whole.files["scores.csv"]
    assert pieces.ballots.read == whole.ballots.read == len(lines)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@settings(max_examples=12, deadline=None)
@given(rows=sheet_rows, stratum=st.sampled_from(["s1", "s2"]))
def test_one_more_satisfied_mark_never_lowers_score_or_rate(scheme, rows, stratum):
    lines = _lines(rows)
    extra = f"EXTRA,{stratum},A,,\n"
    with tempfile.TemporaryDirectory() as before, tempfile.TemporaryDirectory() as after:
        old = _tally(Path(before), scheme, [lines]).document["units"][0]
        new = _tally(Path(after), scheme, [lines + [extra]]).document["units"][0]
    assert new["counts"]["A"] == old["counts"]["A"] + 1
    for key in ("score_exact", "satisfaction_rate_exact"):
        if old[key] is not None:
            assert Fraction(new[key]) >= Fraction(old[key])
        assert new[key] is not None
