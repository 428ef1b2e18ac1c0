"""Random byte-level corruption of a ballot file, through the commands (issue 10): ``check``
and ``tally`` either succeed with read = counted + rejected, or stop with exit 2 and a
one-line message per problem — never a traceback, never exit 1 without --strict."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.cli.main import cli

ROUND = """\
round: h
extends: qianren-2-1-0
strata:
  - {id: s1, name: 层面一}
  - {id: 群众, name: 群众}
categories:
  - {id: c, name: 类, winners: 1}
units:
  - {id: u, name: 甲, category: c}
  - {id: v, name: 乙, category: c}
  - {id: w, name: 丙, category: c}
"""
BALLOTS = "sheet,stratum,u,v,w\n" + "".join(
    f"S{i},{'s1' if i % 3 else '群众'},{'ABC'[i % 3]},{'BCA'[i % 2]},{'' if i % 5 else 'AB'}\n"
    for i in range(24)
)
NASTY = [
    b"\x00",
    b"\x1a",
    b"\x1b[2J",
    b"\r",
    b"\n",
    b'"',
    b",",
    b"\xff\xfe",
    b"\xe4\xb8",
    b"\x0b",
    b"\t",
    b"\xc0",
]

edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete"]),
        st.integers(0, len(BALLOTS.encode("utf-8")) - 1),
        st.sampled_from(NASTY) | st.binary(min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=4,
)


def corrupt(data: bytes, changes: list[tuple[str, int, bytes]]) -> bytes:
    for kind, at, bits in changes:
        at = min(at, len(data))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ bits[0] or 1]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + bits + data[at:]
        else:
            data = data[:at] + data[at + len(bits) :]
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=edits)
def test_corrupted_ballots_never_crash_check_or_tally(tmp_path_factory, changes):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("h")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    ballots = folder / "b.csv"
    ballots.write_bytes(corrupt(BALLOTS.encode("utf-8"), changes))
    runner = CliRunner()
    check = runner.invoke(cli, ["check", str(folder / "round.yaml"), str(ballots), "--format", "json"])
    assert check.exception is None or isinstance(check.exception, SystemExit), check.exception
    assert check.exit_code in (0, 2), check.output
    if check.exit_code == 0:
        sheets = json.loads(check.stdout)["ballots"]["sheets"]
        assert sheets["read"] == sheets["counted"] + sheets["rejected"]
    else:
        assert check.stderr.startswith("error: ") and "Traceback" not in check.stderr
    tally = runner.invoke(
        cli,
        [
            "tally",
            str(folder / "round.yaml"),
            str(ballots),
            "-o",
            str(folder / "r"),
            "--format",
            "json",
            "-q",
        ],
    )
    assert tally.exception is None or isinstance(tally.exception, SystemExit), tally.exception
    assert tally.exit_code == check.exit_code, tally.output
    if tally.exit_code == 0:
        sheets = json.loads(tally.stdout)["sheets"]
        assert sheets["read"] == sheets["counted"] + sheets["rejected"]
