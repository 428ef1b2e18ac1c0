"""Hostile round files (issue 10): alias bombs, deep nesting, foreign tags, control
characters, numbers YAML reads oddly, impossible awards, side files that are not units.

Each must end as located problems ``(file, line, field, code)`` and exit 2, never a
traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import os
import pathlib
import time

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .test_round_errors import GOOD

NEXT = GOOD.count("\n") + 1  # the first line after GOOD


def _problems(path: pathlib.Path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(PingyiError) as info:
        load_round(path)
    return [(os.path.basename(p.file), p.line, p.field, p.code) for p in info.value.problems]


def _one_line_exit_2(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- a) aliases --------------------------------------------------------------------------


def _bomb(levels: int) -> str:
    """The billion laughs: each level lists the one before nine times."""
    lines = ['x0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"x{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [5, 9])
def test_alias_bomb_is_refused_before_it_grows(write, levels):
    # Expansions: x1 adds 90 nodes, x2 819, x3 7,380; x4's first alias passes 10,000.
    path = write("round.yaml", GOOD + _bomb(levels))
    start = time.perf_counter()
    assert _problems(path) == [("round.yaml", NEXT + 4, "", "yaml_alias")]
    assert time.perf_counter() - start < 0.5


def test_alias_bomb_cli_is_one_line(write):
    path = write("round.yaml", GOOD + _bomb(9))
    line = _one_line_exit_2(["check", str(path)])
    assert line.endswith("[yaml_alias]")
    assert f"round.yaml:{NEXT + 4}:" in line


def test_alias_that_contains_itself_is_refused(write):
    path = write("round.yaml", GOOD + "veto: &v [a, *v]\n")
    assert _problems(path) == [("round.yaml", NEXT, "", "yaml_alias")]


def test_small_aliases_still_work(write):
    text = GOOD + "forms:\n  表一: &all [a, b, c]\n  表二: *all\nballots: {form: form}\n"
    r = load_round(write("round.yaml", text))
    assert r.forms == {"表一": ["a", "b", "c"], "表二": ["a", "b", "c"]}


# --- b) depth ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nested",
    ["[" * 500 + "]" * 500, "{a: " * 500 + "1" + "}" * 500, "[" * 51 + "]" * 51],
    ids=["list-500", "mapping-500", "list-51"],
)
def test_deep_nesting_is_refused(write, nested):
    path = write("round.yaml", GOOD + "veto: " + nested + "\n")
    assert _problems(path) == [("round.yaml", NEXT, "", "yaml_depth")]


def test_nesting_to_the_limit_is_not_a_depth_error(write):
    path = write("round.yaml", GOOD + "veto: " + "[" * 49 + "]" * 49 + "\n")
    assert [code for *_, code in _problems(path)] == ["wrong_type"]


def test_depth_through_aliases_is_refused(write):
    deep = "[" * 40 + "]" * 40
    text = GOOD + f"x: &d {deep}\nveto: " + "[" * 40 + "*d" + "]" * 40 + "\n"
    got = _problems(write("round.yaml", text))
    assert [(file, line, code) for file, line, _, code in got] == [("round.yaml", NEXT + 1, "yaml_depth")]


def test_deep_nesting_cli_is_one_line(write):
    path = write("round.yaml", GOOD + "veto: " + "[" * 5000 + "]" * 5000 + "\n")
    assert _one_line_exit_2(["check", str(path)]).endswith("[yaml_depth]")


# --- c) tags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "!!python/name:os.system",
        '!!python/object/apply:os.system ["echo hi"]',
        "!!python/object:pingyi.round.models.Unit {id: a}",
        "!custom text",
        "!!binary aGk=",
        "!!set {a: null}",
        "!!omap [a: 1]",
    ],
)
def test_foreign_tags_are_refused(write, value):
    path = write("round.yaml", GOOD + f"date: {value}\n")
    assert _problems(path) == [("round.yaml", NEXT, "date", "yaml_tag")]


def test_tag_on_a_key_is_refused(write):
    path = write("round.yaml", GOOD + "!!python/name:os.system : 1\n")
    assert _problems(path) == [("round.yaml", NEXT, "", "yaml_tag")]


def test_standard_tags_are_fine(write):
    r = load_round(write("round.yaml", GOOD + 'date: !!str 2024\ntitle: !!str "评议"\n'))
    assert (r.date, r.title) == ("2024", "评议")


def test_a_date_stays_text(write):
    r = load_round(write("round.yaml", GOOD + "date: 2007-05-01\n"))
    assert r.date == "2007-05-01"


# --- d) control characters ---------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x0b", "\x1a", "\x7f", "\x9b"])
def test_raw_control_character_is_located(write, char):
    path = write("round.yaml", GOOD + f"title: 评议{char}活动\n")
    assert _problems(path) == [("round.yaml", NEXT, "", "control_character")]


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x0b", "\x1a"])
def test_raw_control_character_cli_is_one_line(write, char):
    path = write("round.yaml", GOOD + f"title: 评议{char}活动\n")
    assert _one_line_exit_2(["check", str(path)]).endswith("[control_character]")


@pytest.mark.parametrize("escaped", [r"\x1b[31m", r"\e", r"\0", r"\v", r"\r", r"\u202e", r"\x9b", r"\x85"])
def test_escaped_control_character_in_a_value_is_located(write, escaped):
    path = write("round.yaml", GOOD + f'title: "评议{escaped}活动"\n')
    assert _problems(path) == [("round.yaml", NEXT, "title", "control_character")]


def test_escaped_control_character_in_a_unit_name_and_key(write):
    text = GOOD + '  - {id: d, name: "丁\\e[2J", category: local}\n"ve\\x1bto": []\n'
    assert _problems(write("round.yaml", text)) == [
        ("round.yaml", NEXT, "units[3].name", "control_character"),
        ("round.yaml", NEXT + 1, "", "control_character"),
    ]


def test_control_character_in_units_file_is_located(write):
    write("units.csv", "id,name,category\na,甲,local\nb,乙\x1b[31m,local\n")
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n")
    assert _problems(path) == [("units.csv", 3, "units[1].name", "control_character")]


def test_tabs_and_line_breaks_in_a_title_are_fine(write):
    r = load_round(write("round.yaml", GOOD + 'title: "评议\\t活动"\ndate: |\n  2024\n  年\n'))
    assert (r.title, r.date) == ("评议\t活动", "2024\n年\n")
