"""Random byte-level corruption of a small ballot CSV (issue 10 i): ``read_ballots`` either
succeeds with every sheet accounted for (read = counted + rejected), or raises a
PingyiError whose every problem names the file; never any other exception."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pingyi.ballots.count import read_ballots
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_ballots import ROUND

BALLOTS = (
    "sheet,stratum,a,b,c\n"
    + "".join(
        f"S{i},{'企业' if i % 3 else '群众'},{'ABC'[i % 3]},{'BCA'[i % 2]},{'' if i % 5 else 'AB'}\n"
        for i in range(20)
    )
    + '"S20",企业,"A","B, or C",C\n'
).encode("utf-8")
NASTY = [
    b"\x00",
    b"\r",
    b"\n",
    b"\r\n",
    b'"',
    b",",
    b"\x1a",
    b"\x0b",
    b"\t",
    b" ",
    b"\xff",
    b"\xe4\xb8",
    b"\xef\xbb\xbf",
]
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete"]),
        st.integers(0, len(BALLOTS)),
        st.sampled_from(NASTY) | st.binary(min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=5,
)


def corrupt(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    for kind, at, bits in edits:
        at = min(at, len(data))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ (bits[0] or 1)]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + bits + data[at:]
        else:
            data = data[:at] + data[at + len(bits) :]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS, encoding=st.sampled_from(["auto", "utf-8", "gb18030"]))
@example(edits=[("insert", 0, b"\t")], encoding="auto")  # a header name with a tab before it
@example(edits=[("insert", 15, b" ")], encoding="auto")  # ... with a space after it
@example(edits=[("insert", 40, b'"')], encoding="utf-8")  # a quote that never closes
@example(edits=[("insert", 40, b"\xff")], encoding="auto")  # a byte no encoding has
@example(edits=[("delete", 0, b"x" * 3)], encoding="gb18030")
def test_corrupted_ballots_are_counted_or_refused_never_crash(tmp_path_factory, edits, encoding):
    folder = tmp_path_factory.mktemp("c")
    (folder / "round.yaml").write_text(ROUND + f"ballots: {{encoding: {encoding}}}\n", encoding="utf-8")
    path = folder / "b.csv"
    path.write_bytes(corrupt(BALLOTS, edits))
    try:
        c = read_ballots(load_round(folder / "round.yaml"), [path])
    except PingyiError as error:
        assert error.problems and all(p.file == str(path) for p in error.problems)
        return
    assert c.read == c.counted + c.rejected
    assert sum(c.rejected_by_reason.values()) == c.rejected
    assert all(j.line >= 2 for j in c.rejects)
