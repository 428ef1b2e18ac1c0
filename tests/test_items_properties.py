"""Invariants of items and numeric marks (hypothesis): the order of sheets and how they are
split into files change nothing, and one item of any weight is exactly today's unit."""

from __future__ import annotations

import random
import tempfile
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
    "numeric": (
        "scale: {numeric: {min: 0, max: 100}}\nscoring: {method: weighted_mean, weighting: stratum_share}\n"
        "satisfaction: {satisfied_at_least: 60}\n"
    ),
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
{items}"""
TWO_ITEMS = "items:\n  - {id: x, name: 一项, weight: 3}\n  - {id: y, name: 二项, weight: 1}\n"

options = st.sampled_from(["A", "B", "C", "D", "", "AB"])
numbers = st.sampled_from(["90", "87.5", "60", "59.5", "0.25", "", "abc", "101"])


def _rows(marks: st.SearchStrategy[str], cells: int) -> st.SearchStrategy[list[tuple[str, ...]]]:
    row = st.tuples(st.sampled_from(["s1", "s2"]), *([marks] * cells))
    return st.lists(row, min_size=1, max_size=20)


def _lines(rows: list[tuple[str, ...]]) -> list[str]:
    return [",".join([f"S{i}", *row]) + "\n" for i, row in enumerate(rows)]


def _tally(folder: Path, scheme: str, items: str, header: str, files: list[list[str]]) -> Tally:
    (folder / "round.yaml").write_text(ROUND.format(scheme=SCHEMES[scheme], items=items), encoding="utf-8")
    paths = []
    for i, lines in enumerate(files):
        path = folder / f"part{i}.csv"
        path.write_text(header + "".join(lines), encoding="utf-8")
        paths.append((path, path.name))
    return build(str(folder / "round.yaml"), paths, report=False)


@pytest.mark.parametrize("scheme", ["sum", "stratum_share", "numeric"])
@settings(max_examples=8, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**32), parts=st.integers(1, 3))
def test_order_and_split_change_nothing_with_items(scheme, data, seed, parts):
    rows = data.draw(_rows(numbers if scheme == "numeric" else options, 4))
    lines = _lines(rows)
    lines += [lines[i % len(lines)] for i in data.draw(st.lists(st.integers(0, 19), max_size=3))]
    shuffled = lines[:]
    random.Random(seed).shuffle(shuffled)
    header = "sheet,stratum,u.x,u.y,v.x,v.y\n"
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        whole = _tally(Path(one), scheme, TWO_ITEMS, header, [lines])
        pieces = _tally(Path(many), scheme, TWO_ITEMS, header, [shuffled[i::parts] for i in range(parts)])
    for name in ("results.json", "scores.csv", "strata.csv"):
        assert pieces.files[name] == whole.files[name]


UNIT_KEYS = ("counts", "valid", "score_exact", "satisfaction_rate_exact", "rank", "flags", "strata", "shares")


@pytest.mark.parametrize("scheme", list(SCHEMES))
@settings(max_examples=8, deadline=None)
@given(data=st.data(), weight=st.sampled_from(["1", "2", "1/3"]))
def test_one_item_of_any_weight_is_exactly_the_unit(scheme, data, weight):
    rows = data.draw(_rows(numbers if scheme == "numeric" else options, 2))
    lines = _lines(rows)
    one_item = f"items:\n  - {{id: all, name: 总体, weight: {weight}}}\n"
    with tempfile.TemporaryDirectory() as plain, tempfile.TemporaryDirectory() as itemised:
        today = _tally(Path(plain), scheme, "", "sheet,stratum,u,v\n", [lines]).document
        items = _tally(Path(itemised), scheme, one_item, "sheet,stratum,u.all,v.all\n", [lines]).document
    for before, after in zip(today["units"], items["units"], strict=True):
        assert {k: after[k] for k in UNIT_KEYS} == {k: before[k] for k in UNIT_KEYS}
        item = after["items"]["all"]
        assert (item["score_exact"], item["strata"]) == (before["score_exact"], before["strata"])
    assert items["categories"] == today["categories"]
    assert items["satisfaction_rate_exact"] == today["satisfaction_rate_exact"]
