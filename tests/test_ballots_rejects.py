"""What a reject says (issue 10 f): the rule's threshold exactly as the rule states it, from
exact fractions, never a float rounded to a whole percent (0.125 is 12.5 %, not 12 %)."""

from __future__ import annotations

import pytest

from pingyi.ballots.count import read_ballots
from pingyi.round.load import load_round

from .test_ballots import ROUND


@pytest.mark.parametrize(
    "over,sheet,detail",
    [
        ("0.125", "AB,A,A", "1 of 3 marks invalid (more than 12.5%)"),
        ("0.5", "AB,X,A", "2 of 3 marks invalid (more than 50%)"),
        ("0.005", "AB,A,A", "1 of 3 marks invalid (more than 0.5%)"),
        ('"1/3"', "AB,X,A", "2 of 3 marks invalid (more than 1/3)"),
    ],
)
def test_too_many_invalid_states_the_threshold_exactly(write, over, sheet, detail):
    r = load_round(write("round.yaml", ROUND + f"sheets: {{invalid_if_invalid_marks_over: {over}}}\n"))
    c = read_ballots(r, [write("b.csv", f"sheet,stratum,a,b,c\n1,企业,{sheet}\n")])
    assert [(j.line, j.reason, j.detail) for j in c.rejects] == [(2, "too_many_invalid", detail)]
