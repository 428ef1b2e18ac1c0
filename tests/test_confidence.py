"""How sure a rank is (SPEC "How sure is a rank?", issue 14): a seeded Poisson bootstrap of
whole sheets within each stratum. The same seed gives the same bytes; a unit far ahead
is a winner in every resample; a dead heat is a winner in about half; a stratum with a
huge weight and few sheets makes ranks far less sure."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pingyi
from pingyi.results.build import build

from .conftest import EXAMPLES

TWO_STRATA = """\
round: c
extends: qianren-2-1-0
categories:
  - {id: local, name: 地方, winners: 1}
strata:
  - {id: s1, name: 企业代表, weight: 1}
  - {id: s2, name: 城市居民, weight: 1}
units:
  - {id: a, name: 甲, category: local}
  - {id: b, name: 乙, category: local}
  - {id: c, name: 丙, category: local}
"""


def _sure(folder, text: str, rows: list[tuple[str, str, str, str]], replicates: int, seed: int = 7):
    """Each unit's confidence figures after a tally of ``rows`` (stratum, a, b, c)."""
    body = "".join(f"S{i},{s},{a},{b},{c}\n" for i, (s, a, b, c) in enumerate(rows))
    (folder / "b.csv").write_text("sheet,stratum,a,b,c\n" + body, encoding="utf-8")
    round_text = text + f"confidence: {{replicates: {replicates}, seed: {seed}}}\n"
    (folder / "round.yaml").write_text(round_text, encoding="utf-8")
    t = build(str(folder / "round.yaml"), [(folder / "b.csv", "b.csv")], report=False)
    return {u["id"]: u for u in t.document["units"]}


def test_the_same_seed_gives_the_same_bytes_of_every_output():
    args = (EXAMPLES / "siwei" / "round.yaml", [EXAMPLES / "siwei" / "ballots.csv"])
    first = pingyi.tally(*args, confidence=60)
    again = pingyi.tally(*args, confidence=60)
    assert set(first.files) == {"results.json", "scores.csv", "strata.csv", "rejects.csv", "report.xlsx"}
    assert first.files == again.files
    assert first.document["confidence"] == {
        "replicates": 60,
        "seed": 2026,
        "level": "19/20",
        "method": "poisson_bootstrap_within_strata",
    }
    plain = pingyi.tally(*args)
    assert "confidence" not in plain.document and "confidence" not in plain.document["units"][0]


def test_another_seed_gives_other_figures(tmp_path):
    rows = [("s1", "A", "C", "C")] * 3 + [("s1", "C", "A", "C")] * 3 + [("s2", "B", "B", "A")] * 4
    one = _sure(tmp_path, TWO_STRATA, rows, 200, seed=1)
    two = _sure(tmp_path, TWO_STRATA, rows, 200, seed=2)
    assert one["a"]["confidence"] != two["a"]["confidence"]


def test_a_unit_far_ahead_is_a_winner_in_every_resample(tmp_path):
    rows = [(random.Random(i).choice(["s1", "s2"]), "A", "C", "C") for i in range(40)]
    units = _sure(tmp_path, TWO_STRATA, rows, 200)
    assert units["a"]["confidence"] == {
        "rank_interval": [1, 1],
        "winner": 1.0,
        "last_place": 0.0,
        "rectification": 0.0,
    }
    assert units["b"]["confidence"]["last_place"] == 1.0 == units["c"]["confidence"]["last_place"]
    assert "uncertain" not in units["a"]["flags"]


@settings(max_examples=8, deadline=None)
@given(
    pairs=st.integers(20, 80),
    common=st.integers(0, 40),
    seed=st.integers(0, 2**31),
    order=st.randoms(use_true_random=False),
)
def test_a_dead_heat_is_a_winner_in_about_half_the_resamples(tmp_path_factory, pairs, common, seed, order):
    """a and b have the same marks, as many 满意 and 不满意 each, on different sheets: the
    count ties them, and each is ahead in about half of the resamples."""
    rows = [(order.choice(["s1", "s2"]), "A", "C", "C") for _ in range(pairs)]
    rows += [(order.choice(["s1", "s2"]), "C", "A", "C") for _ in range(pairs)]
    rows += [(order.choice(["s1", "s2"]), "B", "B", "C") for _ in range(common)]
    order.shuffle(rows)
    units = _sure(tmp_path_factory.mktemp("heat"), TWO_STRATA, rows, 400, seed)
    assert units["a"]["score_exact"] == units["b"]["score_exact"]
    for unit in ("a", "b"):
        assert 0.3 <= units[unit]["confidence"]["winner"] <= 0.7
        assert "uncertain" in units[unit]["flags"]


@pytest.mark.parametrize(("weight", "low", "high"), [(1, 1.0, 1.0), (100, 0.6, 0.9)])
def test_stratum_share_resamples_within_strata(tmp_path, weight, low, high):
    """Under stratum_share a stratum's mean weighs its weight however few sheets it has.
    a leads b far in s1 (200 sheets, A against C) and narrowly in s2 (3 sheets: A, A, C
    against B, B, B). With equal weights s1 keeps a ahead in every resample; when s2
    weighs 100 times more, resampling its three sheets puts b ahead in about a fifth."""
    text = TWO_STRATA.replace("城市居民, weight: 1", f"城市居民, weight: {weight}")
    text += "scoring: {method: weighted_mean, weighting: stratum_share}\n"
    rows = [("s1", "A", "C", "C")] * 200 + [("s2", "A", "B", "C")] * 2 + [("s2", "C", "B", "C")]
    units = _sure(tmp_path, text, rows, 400)
    assert units["a"]["rank"] == 1
    assert low <= units["a"]["confidence"]["winner"] <= high
    assert units["b"]["confidence"]["winner"] == pytest.approx(
        1 - units["a"]["confidence"]["winner"], abs=0.1
    )


def test_verify_rebuilds_a_tally_with_confidence(tmp_path):
    from click.testing import CliRunner

    from pingyi.cli.main import cli

    paths = [str(EXAMPLES / "siwei" / "round.yaml"), str(EXAMPLES / "siwei" / "ballots.csv")]
    out = str(tmp_path / "r")
    runner = CliRunner()
    assert runner.invoke(cli, ["tally", *paths, "-o", out, "-q", "--confidence", "40"]).exit_code == 0
    assert runner.invoke(cli, ["verify", out]).exit_code == 0
