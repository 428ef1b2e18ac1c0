"""Hand-computed tallies from the seeds' rules: every figure below is worked out in the
test's docstring and asserted exactly (scores and rates as fractions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pingyi.api import write_results
from pingyi.errors import PingyiError
from pingyi.results.build import build

HEADER_2_1_0 = """\
round: t
extends: qianren-2-1-0
strata:
  - {id: s1, name: 层面一}
"""


def tally(tmp_path: Path, round_text: str, ballots: str, folder: str = ".") -> dict:
    base = tmp_path / folder
    base.mkdir(parents=True, exist_ok=True)
    (base / "round.yaml").write_text(round_text, encoding="utf-8")
    (base / "ballots.csv").write_text(ballots, encoding="utf-8")
    outcome = build(str(base / "round.yaml"), [(base / "ballots.csv", "ballots.csv")])
    write_results(outcome, base / "results")
    return outcome.document


def units(document: dict) -> dict[str, dict]:
    return {u["id"]: u for u in document["units"]}


def category(document: dict, category_id: str) -> dict:
    return next(c for c in document["categories"] if c["id"] == category_id)


def round_file(header: str, category_lines: str, unit_ids: list[str], cat: str = "c") -> str:
    body = "".join(f"  - {{id: {u}, name: 单位{u}, category: {cat}}}\n" for u in unit_ids)
    return f"{header}categories:\n{category_lines}units:\n{body}"


def sheets(unit_ids: list[str], rows: list[str], stratum: str = "s1", start: int = 1) -> str:
    """Ballot lines: ``rows`` holds one string per sheet, one mark letter per unit
    (``.`` for a blank, ``*`` for a multi-mark written ``AB``)."""
    lines = []
    for i, row in enumerate(rows, start=start):
        marks = ["" if m == "." else "AB" if m == "*" else m for m in row]
        lines.append(",".join([f"S{i}", stratum, *marks]))
    return "\n".join(lines) + "\n"


def ballots_file(unit_ids: list[str], body: str) -> str:
    return ",".join(["sheet", "stratum", *unit_ids]) + "\n" + body


def test_seed_002_sum_of_2_1_0_with_blanks(tmp_path):
    """Seed 002: 满意 2, 基本满意 1, 不满意 0, 弃权 0.5, summed over the valid sheets.

    Sheets (u1 u2 u3):  A B C / A . C / B A AB / A C .
    u1: 2+2+1+2 = 7, 4 valid, 满意率 4/4.
    u2: 1+0.5+2+0 = 7/2, 4 valid (a blank is valid), 满意率 (B+A)/4 = 1/2.
    u3: 0+0+0.5 = 1/2, 3 valid (AB is an invalid mark, out of every denominator), 0/3.
    Ranks 1, 2, 3; winner u1 (one place); last place u3; rectification u2 (50 % < 90 %),
    not u3, which is last place (seed 002: 除去末位单位后).
    """
    ids = ["u1", "u2", "u3"]
    doc = tally(
        tmp_path,
        round_file(HEADER_2_1_0, "  - {id: c, name: 类, winners: 1}\n", ids),
        ballots_file(ids, sheets(ids, ["ABC", "A.C", "BA*", "AC."])),
    )
    u = units(doc)
    assert [(u[i]["score_exact"], u[i]["valid"], u[i]["satisfaction_rate_exact"]) for i in ids] == [
        ("7", 4, "1"),
        ("7/2", 4, "1/2"),
        ("1/2", 3, "0"),
    ]
    assert u["u3"]["counts"] == {"A": 0, "B": 0, "C": 2, "blank": 1, "invalid": 1}
    assert [u[i]["rank"] for i in ids] == [1, 2, 3]
    assert u["u2"]["score"] == 3.5 and u["u2"]["satisfaction_rate"] == 0.5
    c = category(doc, "c")
    assert (c["winners"], c["last_place"], c["rectification"]) == (["u1"], ["u3"], ["u2"])
    assert u["u2"]["reasons"]["rectification"] == "满意率 50.00% < 90%"
    assert [u[i]["flags"] for i in ids] == [["winner"], ["rectification"], ["last_place"]]


MANYIDU = """\
round: m
extends: manyidu-4
strata:
  - {id: s1, name: 层面一}
"""


def test_seed_003_satisfaction_degree(tmp_path):
    """Seed 003: (满意×1 + 比较满意×0.8 + 一般×0.6) ÷ (总票数 − 废票数) × 100.

    u1 on 8 sheets: 3 A, 2 B, 1 C, 1 D, 1 blank. The blank is not a valid vote here, so
    the degree is (3 + 1.6 + 0.6) / 7 × 100 = 520/7 = 74.29 (shown), 满意率 (3+2)/7.
    u2 marks A on every sheet: 100. A ninth sheet is void (all blank) and counts nowhere.
    """
    ids = ["u1", "u2"]
    rows = ["AA", "AA", "AA", "BA", "BA", "CA", "DA", ".A", ".."]
    doc = tally(
        tmp_path, round_file(MANYIDU, "  - {id: c, name: 类}\n", ids), ballots_file(ids, sheets(ids, rows))
    )
    u = units(doc)
    assert u["u1"]["score_exact"] == "520/7" and u["u1"]["score"] == 74.29
    assert u["u1"]["satisfaction_rate_exact"] == "5/7" and u["u1"]["valid"] == 7
    assert u["u2"]["score_exact"] == "100"
    assert doc["sheets"] == {"read": 9, "counted": 8, "rejected": 1, "rejected_by_reason": {"all_blank": 1}}


WEIGHTED = """\
round: w
extends: ningbo-weighted
scoring: {{weighting: {weighting}}}
strata:
  - {{id: s1, name: 层面一, weight: 2}}
  - {{id: s2, name: 层面二, weight: 1}}
  - {{id: s3, name: 层面三, weight: 5}}
"""

WEIGHTED_BALLOTS = """\
sheet,stratum,u,v
1,s1,A,A
2,s1,C,A
3,s2,A,A
4,s2,A,C
5,s2,B,A
6,s2,D,A
7,s3,,A
"""


@pytest.mark.parametrize(
    ("weighting", "score", "rate"),
    [
        ("per_sheet", "450/7", "5/7"),
        ("stratum_share", "550/9", "2/3"),
    ],
)
def test_weighted_means_per_sheet_and_by_stratum_share(tmp_path, weighting, score, rate):
    """Seed 000's weight coefficients, scale 满意 1 / 基本满意 0.5 / 不满意 0 / 不了解 (not
    scored), × 100. Unit u: stratum s1 (weight 2) marks A, C: points 1 over 2 valid;
    s2 (weight 1) marks A, A, B, D: points 2.5 over 3 valid (D 不了解 is not valid);
    s3 (weight 5) leaves u blank, and blanks are not valid here, so s3 did not rate u.

    per_sheet: (2×1 + 1×2.5) / (2×2 + 1×3) × 100 = 4.5/7 × 100 = 450/7 (64.29);
      满意率 (2×1 + 1×3) / (2×2 + 1×3) = 5/7.
    stratum_share: means s1 1/2, s2 5/6; (2×1/2 + 1×5/6) / (2+1) × 100 = 550/9 (61.11),
      renormalised over s1 and s2 only; 满意率 (2×1/2 + 1×3/3) / 3 = 2/3.
    """
    ids = ["u", "v"]
    doc = tally(
        tmp_path,
        round_file(WEIGHTED.format(weighting=weighting), "  - {id: c, name: 类}\n", ids),
        WEIGHTED_BALLOTS,
    )
    u = units(doc)["u"]
    assert (u["score_exact"], u["satisfaction_rate_exact"]) == (score, rate)
    assert u["counts"] == {"A": 3, "B": 1, "C": 1, "D": 1, "blank": 1, "invalid": 0}
    assert u["strata"]["s2"]["score_exact"] == "250/3" and u["strata"]["s3"]["score"] is None


def test_exactly_90_percent_is_not_below_90_and_a_vote_less_is(tmp_path):
    """Ten sheets. x: 9 满意 + 1 不满意 → 满意率 9/10, exactly 90 %: not rectification.
    y: 8 满意 + 2 不满意 → 80 %: rectification. top is all 满意; bot all 不满意 and is
    last place, so excluded from rectification."""
    ids = ["top", "x", "y", "bot"]
    rows = ["AAAC"] * 8 + ["AACC", "ACCC"]
    doc = tally(
        tmp_path,
        round_file(HEADER_2_1_0, "  - {id: c, name: 类}\n", ids),
        ballots_file(ids, sheets(ids, rows)),
    )
    u = units(doc)
    assert u["x"]["satisfaction_rate_exact"] == "9/10" and u["x"]["flags"] == []
    assert u["y"]["satisfaction_rate_exact"] == "4/5" and u["y"]["flags"] == ["rectification"]
    assert category(doc, "c")["rectification"] == ["y"]
    assert category(doc, "c")["last_place"] == ["bot"]


def test_tie_break_chain_then_shared_ranks(tmp_path):
    """Four sheets, every unit scores 4 under 2:1:0:
    n: B B B B (满意率 1) ranks 1; o: A B B C (3/4) ranks 2; m and p: A A C C (1/2, two 满意,
    two 不满意) stay tied on the whole chain and share rank 3 (1, 2, 3, 3), flagged tie."""
    ids = ["m", "n", "o", "p"]
    rows = ["ABAA", "ABBA", "CBBC", "CBCC"]
    doc = tally(
        tmp_path,
        round_file(HEADER_2_1_0, "  - {id: c, name: 类, winners: 2}\n", ids),
        ballots_file(ids, sheets(ids, rows)),
    )
    u = units(doc)
    assert {i: u[i]["score_exact"] for i in ids} == {"m": "4", "n": "4", "o": "4", "p": "4"}
    assert {i: u[i]["rank"] for i in ids} == {"m": 3, "n": 1, "o": 2, "p": 3}
    assert u["m"]["flags"] == ["last_place", "tie"] and u["p"]["flags"] == ["last_place", "tie"]
    assert category(doc, "c")["units"] == ["n", "o", "m", "p"]
    assert category(doc, "c")["last_place"] == ["m", "p"]


def test_tie_on_the_winners_cutoff_admits_every_tied_unit(tmp_path):
    """Two winner places; q and r mark alike and tie for second: ranks 1, 2, 2, 4; all
    three are winners and the category reports the tie at the cut-off."""
    ids = ["p", "q", "r", "s"]
    rows = ["AAAB", "ABBC", "BBBC"]
    doc = tally(
        tmp_path,
        round_file(HEADER_2_1_0, "  - {id: c, name: 类, winners: 2}\n", ids),
        ballots_file(ids, sheets(ids, rows)),
    )
    u = units(doc)
    assert [u[i]["rank"] for i in ids] == [1, 2, 2, 4]
    c = category(doc, "c")
    assert c["winners"] == ["p", "q", "r"] and c["winners_tie_at_cutoff"] is True
    assert u["q"]["flags"] == ["winner", "tie"]
    assert c["last_place"] == ["s"]


def test_vetoed_top_unit_is_not_a_winner(tmp_path):
    """a ranks first but is under 一票否决: the two winners are b and c, first and second
    among the non-vetoed units; a keeps rank 1 and is flagged veto."""
    ids = ["a", "b", "c", "d"]
    text = round_file(HEADER_2_1_0 + "veto: [a]\n", "  - {id: k, name: 类, winners: 2}\n", ids, "k")
    doc = tally(tmp_path, text, ballots_file(ids, sheets(ids, ["AABC", "ABCC"])))
    u = units(doc)
    assert [u[i]["rank"] for i in ids] == [1, 2, 3, 4]
    assert category(doc, "k")["winners"] == ["b", "c"]
    assert u["a"]["flags"] == ["veto"] and u["a"]["reasons"]["veto"].startswith("一票否决")
    assert u["c"]["reasons"]["winner"] == "第3名，非否决单位中第2名，优胜名额前2名"


SIWEI = """\
round: s
extends: siwei-yiti
adjustments: adjustments.csv
quotas: []
categories:
  - {id: c, name: 类}
units:
  - {id: u, name: 甲局, category: c}
  - {id: v, name: 乙局, category: c}
"""


def test_composite_with_deductions(tmp_path):
    """Seed 003: 综合 = 本级 30 % + 下级 60 % + 日常 10 % − 扣分.
    u: ballots A, B → degree (1 + 0.8)/2 × 100 = 90; lower 80, daily 95, deductions 2:
       0.3×90 + 0.6×80 + 0.1×95 − 2 = 27 + 48 + 9.5 − 2 = 82.5.
    v: ballots A, A → 100; lower 70, daily 90, no deductions: 30 + 42 + 9 = 81.
    u ranks first on the composite although its own degree is lower."""
    (tmp_path / "adjustments.csv").write_text(
        "unit,lower,daily,deductions\nu,80,95,2\nv,70,90,0\n", encoding="utf-8"
    )
    doc = tally(tmp_path, SIWEI, "sheet,stratum,u,v\n1,service,A,A\n2,service,B,A\n")
    u = units(doc)
    assert (u["u"]["score_exact"], u["u"]["ballot_score_exact"], u["u"]["deductions_exact"]) == (
        "165/2",
        "90",
        "2",
    )
    assert u["u"]["components"]["lower"] == {"value": 80.0, "exact": "80"}
    assert (u["v"]["score_exact"], u["u"]["rank"], u["v"]["rank"]) == ("81", 1, 2)


def test_composite_missing_adjustment_names_the_unit(tmp_path):
    (tmp_path / "adjustments.csv").write_text("unit,lower,daily,deductions\nu,80,95,x\n", encoding="utf-8")
    with pytest.raises(PingyiError) as caught:
        tally(tmp_path, SIWEI, "sheet,stratum,u,v\n1,service,A,A\n")
    assert [p.as_tuple() for p in caught.value.problems] == [
        ("adjustments.csv", None, "unit", "missing_unit"),
        ("adjustments.csv", 2, "deductions", "not_a_number"),
    ]
    assert "'v' (乙局)" in str(caught.value)


MOVING = """\
round: {name}
extends: qianren-2-1-0
previous: {previous}
movement:
  advanced_bonus: 10
  rises:
    - {{at_least: 5, bonus: 5, top_advanced: 2}}
    - {{at_least: 1, bonus: 3}}
strata:
  - {{id: s1, name: 层面一}}
categories:
  - {{id: c, name: 类, winners: 1}}
  - {{id: k, name: 另类}}
units:
{units}"""


def _moving_round(tmp_path: Path, name: str, order: list[str], others: list[str], previous: str) -> dict:
    """Units of category c ranked exactly in ``order`` (by more 满意 down the list);
    category k: its first unit always 满意, its last always 不满意."""
    ids = order + others
    lines = "".join(f"  - {{id: {u}, name: {u}局, category: {'c' if u in order else 'k'}}}\n" for u in ids)
    n = len(order)
    rows = []
    for sheet in range(n):
        marks = ["A" if sheet < n - p else "C" for p in range(n)]
        marks += ["A" if j < len(others) - 1 else "C" for j in range(len(others))]
        rows.append("".join(marks))
    text = MOVING.format(name=name, previous=previous, units=lines)
    return tally(tmp_path, text, ballots_file(ids, sheets(ids, rows)), name)


def test_movement_bonuses_and_escalation_across_two_rounds(tmp_path):
    """Seed 000: advanced units +10; up ≥ 5 places, the two that rose most are treated as
    advanced (+10), the others +5; up 1–4 places +3 (a unit gets the largest).
    Round 1 ranks u1 … u12; round 2 ranks u12 (+11, winner), u11 (+9), u10 (+7), u9 (+5),
    u8 (+3), u1 … u7 (each down). u12 and u11 get 10, u10 and u9 get 5, u8 gets 3.
    Category k: z2 is last in both rounds → streak 2, escalated (seed 002: two years);
    g1 leaves after round 1 and n1 joins in round 2."""
    first = [f"u{i}" for i in range(1, 13)]
    _moving_round(tmp_path, "r1", first, ["z1", "g1", "z2"], "null")
    second = ["u12", "u11", "u10", "u9", "u8", "u1", "u2", "u3", "u4", "u5", "u6", "u7"]
    doc = _moving_round(tmp_path, "r2", second, ["z1", "n1", "z2"], "../r1/results")
    u = units(doc)
    assert [u[i]["rank_change"] for i in second] == [11, 9, 7, 5, 3, -5, -5, -5, -5, -5, -5, -5]
    assert [u[i]["bonus"] for i in second[:6]] == [10, 10, 5, 5, 3, 0]
    assert u["u11"]["bonus_reason"] == "前移9位，前移5位以上且移位最多的前2名，享受先进单位待遇 +10"
    assert u["u8"]["bonus_reason"] == "前移3位 +3" and u["u1"]["bonus_reason"] is None
    assert (u["z2"]["last_place_streak"], u["z2"]["escalated"]) == (2, True)
    assert u["z2"]["reasons"]["escalation"] == "连续2轮末位单位"
    assert (u["n1"]["previous_rank"], u["n1"]["rank_change"]) == (None, None)
    assert doc["previous"] == {"round": "r1", "new": ["n1"], "gone": ["g1"]}


def test_unranked_category_bottom_three_and_a_unit_without_valid_marks(tmp_path):
    """Category c says last_place: 3 (后三名): ranks 1, 2, 3, 4, 4 put the bottom three
    places on ranks 3, 4, 4 (every unit with fewer than three units strictly behind it).
    Category f is ranked: false: scored, never ranked or awarded. Unit z is rated by no
    valid mark (all invalid): no score, no rank, a warning — not a silent zero."""
    ids = ["a", "b", "c", "d", "e", "f1", "z"]
    header = HEADER_2_1_0 + "sheets: {invalid_if_invalid_marks_over: 1}\n"
    category_of = {"f1": "f", "z": "y"}
    text = (
        f"{header}categories:\n  - {{id: c, name: 类, winners: 1, last_place: 3}}\n"
        "  - {id: f, name: 不排名, ranked: false}\n  - {id: y, name: 空}\nunits:\n"
        + "".join(f"  - {{id: {u}, name: {u}局, category: {category_of.get(u, 'c')}}}\n" for u in ids)
    )
    doc = tally(tmp_path, text, ballots_file(ids, sheets(ids, ["AABCCA*", "ABBCCC*"])))
    u = units(doc)
    assert [u[i]["rank"] for i in "abcde"] == [1, 2, 3, 4, 4]
    assert category(doc, "c")["last_place"] == ["c", "d", "e"]
    assert u["f1"]["rank"] is None and u["f1"]["flags"] == [] and u["f1"]["score_exact"] == "2"
    assert category(doc, "f")["winners"] == [] and category(doc, "f")["ranked"] is False
    assert (u["z"]["score"], u["z"]["rank"], u["z"]["counts"]["invalid"]) == (None, None, 2)
    assert doc["warnings"] == ["unit z (z局) has no valid mark: not ranked"]


def test_overall_rate_pooled_or_mean_of_units(tmp_path):
    """Two units: a 1 of 1 satisfied (blank on the second sheet), b 1 of 2. Pooled over
    all marks (blanks valid in 2:1:0): (1 + 1) / (2 + 2) = 1/2 — the blank counts; the
    mean of the units' rates: (1/2 + 1/2) / 2 = 1/2. Without blanks valid: pooled 2/3,
    mean (1 + 1/2) / 2 = 3/4: published figures differ by exactly this choice."""
    ids = ["a", "b"]
    ballots = ballots_file(ids, sheets(ids, ["AA", ".C"]))
    base = HEADER_2_1_0 + "scale:\n  blank: {value: 0, valid: false}\n"
    for overall, expected in (("pooled", "2/3"), ("mean_of_units", "3/4")):
        text = round_file(base + f"satisfaction: {{overall: {overall}}}\n", "  - {id: c, name: 类}\n", ids)
        doc = tally(tmp_path, text, ballots, overall)
        assert (doc["satisfaction_rate_exact"], doc["satisfaction_rate_formed"]) == (expected, overall)
        assert category(doc, "c")["satisfaction_rate_exact"] == expected
