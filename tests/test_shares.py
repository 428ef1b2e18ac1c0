"""Per-option shares worked by hand from published tables (SPEC "Per-option shares")."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from pingyi.engine.shares import exact_shares, shown_shares

CODES = ["A", "B", "C", "D"]


def shown(counts, places, rounding):
    return shown_shares(exact_shares(dict(zip(CODES, counts, strict=True)), CODES), places, rounding)


def test_largest_remainder_makes_the_published_58_07():
    """54/93 = 58.0645 %, 33/93 = 35.4839 %, 2/93 = 2.1505 %, 4/93 = 4.3011 %: cut to
    58.06 + 35.48 + 2.15 + 4.30 = 99.99 %, and the missing 0.01 goes to the largest
    remainder (0.45 of 58.06), so the table prints 58.07 / 35.48 / 2.15 / 4.30."""
    assert shown([54, 33, 2, 4], 2, "largest_remainder") == {
        "A": Fraction(5807, 10000),
        "B": Fraction(3548, 10000),
        "C": Fraction(215, 10000),
        "D": Fraction(430, 10000),
    }
    assert shown([54, 33, 2, 4], 2, "half_up")["A"] == Fraction(5806, 10000)


def test_truncate_prints_26_8_for_25_of_93():
    """25/93 = 26.88 % printed 26.8 % at one decimal when the office cuts."""
    assert shown([25, 68, 0, 0], 1, "truncate")["A"] == Fraction(268, 1000)
    assert shown([25, 68, 0, 0], 1, "half_up")["A"] == Fraction(269, 1000)


def test_half_up_prints_89_29_for_25_of_28():
    assert shown([25, 3, 0, 0], 2, "half_up") == {
        "A": Fraction(8929, 10000),
        "B": Fraction(1071, 10000),
        "C": Fraction(0),
        "D": Fraction(0),
    }


def test_a_tie_in_the_remainders_goes_to_the_option_listed_first():
    """1/3 each: 33.33 % three times is 99.99 %; the remainders tie, so A gets 33.34 %."""
    result = shown_shares(exact_shares({"A": 1, "B": 1, "C": 1}, ["A", "B", "C"]), 2, "largest_remainder")
    assert result == {"A": Fraction(3334, 10000), "B": Fraction(3333, 10000), "C": Fraction(3333, 10000)}


def test_no_marks_no_shares():
    assert exact_shares({"A": 0, "B": 0}, ["A", "B"]) is None


@given(
    counts=st.lists(st.integers(0, 10**6), min_size=1, max_size=6).filter(any),
    places=st.integers(0, 4),
)
def test_largest_remainder_sums_to_100_and_stays_within_one_last_digit(counts, places):
    codes = [f"o{i}" for i in range(len(counts))]
    exact = exact_shares(dict(zip(codes, counts, strict=True)), codes)
    assert exact is not None
    result = shown_shares(exact, places, "largest_remainder")
    last_digit = Fraction(1, 10 ** (places + 2))
    assert sum(result.values()) == 1
    assert all(abs(result[c] - exact[c]) < last_digit for c in codes)
    assert all((share / last_digit).denominator == 1 for share in result.values())
