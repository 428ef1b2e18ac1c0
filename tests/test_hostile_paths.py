"""Paths the system refuses for a reason other than "not found": a loop of symbolic links
(ELOOP) and a name over 255 bytes (ENAMETOOLONG), given as a ballot file, a round file, an
output or a results directory. Each is one line ``error: path: words [os_error]`` and
exit 2, never a traceback (SPEC); an OSError no command expected meets the same net.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from click.testing import CliRunner

import pingyi
from pingyi.cli.main import cli

ROUND = """\
round: tiny
extends: qianren-2-1-0
categories:
  - {id: c1, name: 一类, winners: 1}
strata:
  - {id: s1, name: 层面一, weight: 1}
units:
  - {id: u1, name: 单位一, category: c1}
  - {id: u2, name: 单位二, category: c1}
  - {id: u3, name: 单位三, category: c1}
"""
BALLOTS = "sheet,stratum,u1,u2,u3\nX1,s1,A,B,C\nX2,s1,B,A,C\n"
LONG = "a" * 300  # one name of 300 bytes: over every common file system's 255
LOOP = "a loop of symbolic links"
TOO_LONG = "the name is too long"


@pytest.fixture
def here(tmp_path: Path) -> Path:
    """A round, its ballots, and two pairs of symbolic links that point at each other."""
    (tmp_path / "round.yaml").write_text(ROUND, encoding="utf-8")
    (tmp_path / "good.csv").write_text(BALLOTS, encoding="utf-8")
    for a, b in (("loopA.csv", "loopB.csv"), ("oA", "oB")):
        (tmp_path / a).symlink_to(b)
        (tmp_path / b).symlink_to(a)
    return tmp_path


@pytest.fixture
def results(here: Path) -> Path:
    pingyi.write_results(pingyi.tally(here / "round.yaml", here / "good.csv"), here / "res")
    return here / "res"


def _one_line(args: list[str]) -> str:
    """The only line on stderr of a run that must stop with exit 2, without a traceback."""
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_ballot_file_that_is_a_loop_of_links_is_one_error(here):
    line = _one_line(["tally", str(here / "round.yaml"), str(here / "loopA.csv"), "-o", str(here / "out")])
    assert line.startswith(f"error: {here / 'loopA.csv'}: {LOOP}") and line.endswith("[os_error]")
    assert not (here / "out").exists()


def test_check_of_a_ballot_file_that_is_a_loop_of_links_is_one_error(here):
    line = _one_line(["check", str(here / "round.yaml"), str(here / "loopA.csv")])
    assert line.startswith(f"error: {here / 'loopA.csv'}: {LOOP}") and line.endswith("[os_error]")


def test_an_output_that_is_a_loop_of_links_is_one_error(here):
    line = _one_line(["tally", str(here / "round.yaml"), str(here / "good.csv"), "-o", str(here / "oA")])
    assert line.startswith(f"error: {here / 'oA'}: {LOOP}") and line.endswith("[os_error]")


def test_a_round_file_name_too_long_is_one_error(here):
    round_file = here / f"{LONG}.yaml"
    line = _one_line(["tally", str(round_file), str(here / "good.csv"), "-o", str(here / "out")])
    assert line.startswith(f"error: {round_file}: {TOO_LONG}") and line.endswith("[os_error]")


def test_an_output_name_too_long_is_one_error_before_the_count(here):
    line = _one_line(["tally", str(here / "round.yaml"), str(here / "good.csv"), "-o", str(here / LONG)])
    assert line.startswith(f"error: {here / LONG}: {TOO_LONG}") and line.endswith("[os_error]")


def test_an_audit_log_name_too_long_is_one_error(here):
    log = here / f"{LONG}.csv"
    args = ["tally", str(here / "round.yaml"), str(here / "good.csv"), "-o", str(here / "out")]
    line = _one_line([*args, "--audit-log", str(log)])
    assert line.startswith(f"error: {log}: {TOO_LONG}") and line.endswith("[os_error]")
    assert not (here / "out").exists()


def test_rank_of_a_results_name_too_long_is_one_error(here):
    line = _one_line(["rank", "--category", "c1", "--results", str(here / LONG)])
    assert line.startswith(f"error: {here / LONG}: {TOO_LONG}") and line.endswith("[os_error]")


def test_simulate_to_a_name_too_long_is_one_error(here):
    out = here / f"{LONG}.csv"
    line = _one_line(["simulate", str(here / "round.yaml"), "--sheets", "3", "--seed", "1", "-o", str(out)])
    assert line.startswith(f"error: {out}: {TOO_LONG}") and line.endswith("[os_error]")


def test_feedback_to_a_name_too_long_is_one_error(results):
    out = results.parent / LONG
    line = _one_line(["feedback", "--results", str(results), "-o", str(out)])
    assert line.startswith(f"error: {out}: {TOO_LONG}") and line.endswith("[os_error]")


def test_init_to_a_name_too_long_is_one_error(here):
    out = here / f"{LONG}.yaml"
    line = _one_line(["init", "--scheme", "qianren-2-1-0", "-o", str(out)])
    assert line.startswith(f"error: {out}: {TOO_LONG}") and line.endswith("[os_error]")


def test_init_with_a_scheme_name_too_long_is_scheme_not_found(here):
    line = _one_line(["init", "--scheme", LONG, "-o", str(here / "r.yaml")])
    assert line.startswith(f"error: --scheme: no built-in scheme '{LONG}'")
    assert line.endswith("[scheme_not_found]")


@pytest.mark.parametrize("key", ["corrections", "extends"])
def test_a_round_file_key_naming_a_path_too_long_is_one_located_error(here, key):
    text = ROUND.replace("extends: qianren-2-1-0", f"extends: {LONG}.yaml") if key == "extends" else ROUND
    if key == "corrections":
        text += f"corrections: {LONG}.csv\n"
    (here / "rr.yaml").write_text(text, encoding="utf-8")
    line = _one_line(["tally", str(here / "rr.yaml"), str(here / "good.csv"), "-o", str(here / "out")])
    at = 2 if key == "extends" else ROUND.count("\n") + 1
    assert line.startswith(f"error: {here / 'rr.yaml'}:{at}: {key}: '{LONG}.") and TOO_LONG in line
    assert line.endswith("[os_error]")


# --- the net: an OSError no command expected ---------------------------------------------


def _raise(error: BaseException):
    def fails(*args, **kwargs):
        raise error

    return fails


def test_an_oserror_that_escapes_a_command_is_one_line_and_exit_2(results, monkeypatch):
    import pingyi.results.read

    error = OSError(errno.EIO, "Input/output error", str(results / "results.json"))
    monkeypatch.setattr(pingyi.results.read, "read_checked_results", _raise(error))
    line = _one_line(["rank", "--category", "c1", "--results", str(results)])
    assert line == f"error: {results / 'results.json'}: input/output error [os_error]"


def test_an_oserror_without_a_file_name_is_one_line_too(results, monkeypatch):
    import pingyi.results.read

    monkeypatch.setattr(
        pingyi.results.read, "read_checked_results", _raise(OSError(errno.ENOMEM, "Cannot allocate memory"))
    )
    assert _one_line(["rank", "--category", "c1", "--results", str(results)]) == (
        "error: cannot allocate memory [os_error]"
    )


def test_a_loop_of_links_python_311_reports_as_runtimeerror_meets_the_net(results, here, monkeypatch):
    """Python 3.11's Path.resolve raises RuntimeError (its cause an ELOOP OSError) for a
    loop of links; the net reports the loop, as for any OSError."""
    import pingyi.results.read

    def resolve_the_loop(*args, **kwargs):
        (here / "oA").resolve()
        raise AssertionError("resolve() of a loop of links raises")

    monkeypatch.setattr(pingyi.results.read, "read_checked_results", resolve_the_loop)
    line = _one_line(["rank", "--category", "c1", "--results", str(results)])
    assert line.startswith("error: ") and LOOP in line and line.endswith("[os_error]")


def test_debug_shows_the_oserror_itself(results, monkeypatch):
    import pingyi.results.read

    error = OSError(errno.EIO, "Input/output error", "x")
    monkeypatch.setattr(pingyi.results.read, "read_checked_results", _raise(error))
    result = CliRunner().invoke(cli, ["--debug", "rank", "--category", "c1", "--results", str(results)])
    assert result.exception is error
