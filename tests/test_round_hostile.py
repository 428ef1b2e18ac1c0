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
    write("units.csv", "id,name,category\na,甲,local\nb,乙\x1b[31m,local\nc,丙,vertical\n")
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n")
    assert _problems(path) == [("units.csv", 3, "units[1].name", "control_character")]


def test_tabs_and_line_breaks_in_a_title_are_fine(write):
    r = load_round(write("round.yaml", GOOD + 'title: "评议\\t活动"\ndate: |\n  2024\n  年\n'))
    assert (r.title, r.date) == ("评议\t活动", "2024\n年\n")


# --- e) numbers and awards ---------------------------------------------------------------


@pytest.mark.parametrize("below", ["1.5", "90", "-0.1", "150%"])
def test_rate_threshold_over_one_is_refused(write, below):
    path = write("round.yaml", GOOD + f"awards: {{rectification: {{below: {below}}}}}\n")
    assert _problems(path) == [("round.yaml", NEXT, "awards.rectification.below", "bad_value")]


def test_score_threshold_may_be_any_number(write):
    r = load_round(write("round.yaml", GOOD + "awards: {rectification: {below: 85, measure: score}}\n"))
    assert r.awards.rectification is not None and r.awards.rectification.below == 85


@pytest.mark.parametrize("below", ["0x10", "0o7", "0b1", "1_0", "1:30", "1_0.5", ".inf", ".nan", "0x1.8p1"])
def test_numbers_not_in_decimal_are_refused(write, below):
    path = write("round.yaml", GOOD + f"awards: {{rectification: {{below: {below}, measure: score}}}}\n")
    assert _problems(path) == [("round.yaml", NEXT, "awards.rectification.below", "bad_value")]


def test_leading_zero_is_read_as_written_in_decimal(write):
    # YAML 1.1 reads 017 as octal 15; the digits the user wrote are what counts.
    r = load_round(write("round.yaml", GOOD + "awards: {rectification: {below: 017, measure: score}}\n"))
    assert r.awards.rectification is not None and r.awards.rectification.below == 17


def test_hex_winners_is_refused(write):
    path = write(
        "round.yaml", GOOD.replace("winners: 1}\n  - {id: vertical", "winners: 0x1}\n  - {id: vertical")
    )
    assert _problems(path) == [("round.yaml", 4, "categories[0].winners", "wrong_type")]


def test_ids_with_leading_zeros_keep_their_digits(write):
    text = GOOD + "  - {id: 007, name: 丁, category: local}\n  - {id: 010, name: 戊, category: local}\n"
    r = load_round(write("round.yaml", text))
    assert [u.id for u in r.units][-2:] == ["007", "010"]


def test_winners_and_last_place_over_the_units_of_a_category(write):
    text = GOOD.replace("winners: 1}\n  - {id: vertical", "winners: 2}\n  - {id: vertical")
    assert _problems(write("round.yaml", text)) == [
        ("round.yaml", 4, "categories[0].winners", "awards_exceed_units")
    ]


def test_category_last_place_counts_too(write):
    text = GOOD.replace("winners: 1}\n  - {id: vertical", "winners: 1, last_place: 2}\n  - {id: vertical")
    assert _problems(write("round.yaml", text)) == [
        ("round.yaml", 4, "categories[0].winners", "awards_exceed_units")
    ]


def test_no_winners_and_every_unit_last_is_not_a_clash(write):
    text = GOOD.replace("winners: 1}\n  - {id: vertical", "winners: 0, last_place: 2}\n  - {id: vertical")
    assert load_round(write("round.yaml", text)).categories[0].last_place == 2


def test_unranked_category_may_have_few_units(write):
    text = GOOD.replace("winners: 1}\n  - {id: vertical", "winners: 5, ranked: false}\n  - {id: vertical")
    assert load_round(write("round.yaml", text)).categories[0].winners == 5


def test_empty_category_is_refused(write):
    text = GOOD.replace("strata:", "  - {id: financial, name: 金融部门, winners: 0}\nstrata:")
    assert _problems(write("round.yaml", text)) == [("round.yaml", 6, "categories[2]", "empty_category")]


SHADOW = "root:$6$S3cr3tSalt$hashhashhash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def test_units_path_that_is_not_a_table_is_refused_without_its_content(write, tmp_path):
    write("shadow", SHADOW)
    path = write("round.yaml", GOOD.split("units:")[0] + f"units: {tmp_path / 'shadow'}\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    assert [p.as_tuple()[1:] for p in info.value.problems] == [(NEXT - 4, "units", "bad_value")]
    assert "S3cr3t" not in str(info.value) and "19000" not in str(info.value)


def test_units_file_without_the_header_never_echoes_a_data_line(write):
    write("secret.csv", SHADOW)
    path = write("round.yaml", GOOD.split("units:")[0] + "units: secret.csv\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    assert [(os.path.basename(p.file), p.line, p.field, p.code) for p in info.value.problems] == [
        ("secret.csv", 1, "", "missing_column")
    ]
    message = info.value.problems[0].message
    assert "S3cr3t" not in message and "root" not in message and "daemon" not in message
    assert "id, name, category" in message


def test_units_file_header_typo_is_named(write):
    write("units.csv", "id,Name,category\na,甲,local\n")
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    assert "'Name'" in info.value.problems[0].message
    assert "甲" not in info.value.problems[0].message


def test_units_file_up_a_folder_is_fine(write):
    write("units.csv", "id,name,category\na,甲,local\nb,乙,local\nc,丙,vertical\n")
    path = write("sub/round.yaml", GOOD.split("units:")[0] + "units: ../units.csv\n")
    assert [u.id for u in load_round(path).units] == ["a", "b", "c"]


def test_units_file_missing_points_at_the_round_line(write):
    path = write("round.yaml", GOOD.split("units:")[0] + "units: nothere.csv\n")
    assert _problems(path) == [("round.yaml", NEXT - 4, "units", "file_not_found")]


def test_units_xlsx_that_is_not_a_workbook(write):
    write("units.xlsx", "id,name,category\n")
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.xlsx\n")
    assert _problems(path) == [("units.xlsx", None, "", "unreadable")]


# --- f) title ----------------------------------------------------------------------------


def test_round_without_title_is_titled_by_its_id(write):
    r = load_round(write("round.yaml", GOOD))
    assert r.title == "t"


def test_round_title_is_its_own(write):
    r = load_round(write("round.yaml", GOOD + "title: 宜兴市评议\n"))
    assert r.title == "宜兴市评议"


def test_round_without_title_on_a_scheme_chain(write):
    write("mid.yaml", "scheme: mid\ntitle: 中间方案\nextends: qianren-2-1-0\n")
    r = load_round(write("round.yaml", GOOD.replace("qianren-2-1-0", "mid.yaml")))
    assert r.title == "t"


# --- i) files that cannot be read --------------------------------------------------------


def test_round_file_that_is_a_folder(tmp_path):
    (tmp_path / "round.yaml").mkdir()
    assert _problems(tmp_path / "round.yaml") == [("round.yaml", None, "", "not_a_file")]


def _deny(monkeypatch, name: str) -> None:
    real = pathlib.Path.read_bytes

    def read_bytes(self: pathlib.Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)


def test_round_file_that_cannot_be_read(write, monkeypatch):
    path = write("round.yaml", GOOD)
    _deny(monkeypatch, "round.yaml")  # chmod 000 does not stop root, so deny the read itself
    assert _problems(path) == [("round.yaml", None, "", "unreadable")]
    line = _one_line_exit_2(["check", str(path)])
    assert line == f"error: {path}: cannot be read (Permission denied) [unreadable]"


def test_units_file_that_cannot_be_read(write, monkeypatch):
    write("units.csv", "id,name,category\na,甲,local\n")
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n")
    _deny(monkeypatch, "units.csv")
    assert _problems(path) == [("units.csv", None, "", "unreadable")]


def test_units_file_that_is_a_folder(write, tmp_path):
    (tmp_path / "units.csv").mkdir()
    path = write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n")
    assert _problems(path) == [("round.yaml", NEXT - 4, "units", "not_a_file")]


@pytest.mark.parametrize("command", ["check", "tally", "simulate"])
def test_cli_round_file_that_is_a_folder_is_one_line(tmp_path, command):
    (tmp_path / "round.yaml").mkdir()
    args = [command, str(tmp_path / "round.yaml")]
    if command == "tally":
        (tmp_path / "b.csv").write_text("sheet,stratum\n", encoding="utf-8")
        args += [str(tmp_path / "b.csv"), "-o", str(tmp_path / "results")]
    if command == "simulate":
        args += ["--sheets", "1", "-o", str(tmp_path / "b.csv")]
    line = _one_line_exit_2(args)
    assert line == f"error: {tmp_path / 'round.yaml'}: is a folder, not a file [not_a_file]"


# --- paths the system refuses (a name over 255 bytes, a loop of links) -----------------

LONG_NAME = "a" * 300  # over every common file system's 255 bytes a name


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (f"corrections: {LONG_NAME}.csv\n", "corrections"),
        (f"previous: {LONG_NAME}\n", "previous"),
        (f"adjustments: {LONG_NAME}.csv\n", "adjustments"),
        (f"opinions: {{file: {LONG_NAME}.csv, classes: {{a: [b]}}}}\n", "opinions.file"),
    ],
)
def test_a_side_file_name_too_long_is_located_at_its_key(write, extra, field):
    path = write("round.yaml", GOOD + extra)
    assert _problems(path) == [("round.yaml", NEXT, field, "os_error")]


def test_a_units_file_name_too_long_is_located_at_its_key(write):
    path = write("round.yaml", GOOD.split("units:")[0] + f"units: {LONG_NAME}.csv\n")
    assert _problems(path) == [("round.yaml", NEXT - 4, "units", "os_error")]


@pytest.mark.parametrize("name", [f"{LONG_NAME}.yaml", "a" * 252])  # 252: its '.yaml' is too long
def test_extends_a_name_too_long_is_located_at_its_key(write, name):
    path = write("round.yaml", GOOD.replace("extends: qianren-2-1-0", f"extends: {name}"))
    code = "os_error" if len(name) > 255 else "scheme_not_found"
    assert _problems(path) == [("round.yaml", 2, "extends", code)]


def test_a_side_file_that_is_a_loop_of_links_says_so(write, tmp_path):
    (tmp_path / "x.csv").symlink_to("y.csv")
    (tmp_path / "y.csv").symlink_to("x.csv")
    path = write("round.yaml", GOOD + "corrections: x.csv\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    (problem,) = info.value.problems
    assert (problem.field, problem.code) == ("corrections", "os_error")
    assert problem.message.startswith("'x.csv': a loop of symbolic links")


def test_a_round_file_that_is_a_loop_of_links_says_so(tmp_path):
    (tmp_path / "r.yaml").symlink_to("s.yaml")
    (tmp_path / "s.yaml").symlink_to("r.yaml")
    line = _one_line_exit_2(["check", str(tmp_path / "r.yaml")])
    assert line.startswith(f"error: {tmp_path / 'r.yaml'}: a loop of symbolic links")
    assert line.endswith("[os_error]")


def test_a_composite_results_path_too_long_is_located_at_its_key(write):
    text = GOOD.replace("qianren-2-1-0", "manyidu-4") + (
        "composite:\n  components:\n    - {name: own, source: score, weight: 0.5}\n"
        f"    - {{name: low, source: results, path: {LONG_NAME}, measure: score, weight: 0.5}}\n"
    )
    path = write("round.yaml", text)
    assert _problems(path) == [("round.yaml", NEXT + 3, "composite.components[1].path", "os_error")]


# --- wording: what the user wrote, never a Python repr ----------------------------------


@pytest.mark.parametrize("written", ["1.0", ".5", "2.50", "-0.25"])
def test_a_number_where_text_belongs_is_shown_as_written(write, written):
    path = write("round.yaml", GOOD.replace("{id: c, name: 丙", f"{{id: {written}, name: 丙"))
    with pytest.raises(PingyiError) as info:
        load_round(path)
    messages = [p.message for p in info.value.problems if p.field == "units[2].id"]
    assert messages == [f"expected a valid string (got {written}); quote it to make it text: '{written}'"]


@pytest.mark.parametrize("written", ["~", "null", ""])
def test_nothing_where_text_belongs_is_said_so(write, written):
    path = write("round.yaml", GOOD.replace("{id: c, name: 丙", f"{{id: c, name: {written}"))
    with pytest.raises(PingyiError) as info:
        load_round(path)
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("units[2].name", "expected a valid string (got nothing)")
    ]


def test_yes_no_and_lists_are_shown_in_words(write):
    path = write("round.yaml", GOOD.replace("{id: c, name: 丙", "{id: [1, 2], name: yes"))
    with pytest.raises(PingyiError) as info:
        load_round(path)
    messages = {p.field: p.message for p in info.value.problems}
    assert messages["units[2].id"] == "expected a valid string (got a list)"
    assert messages["units[2].name"].startswith("expected a valid string (got yes); YAML reads bare yes/no")


def test_a_bad_count_shows_the_value(write):
    path = write("round.yaml", GOOD.replace("winners: 1}", "winners: many}"))
    with pytest.raises(PingyiError) as info:
        load_round(path)
    (problem,) = info.value.problems
    assert problem.message == "expected a number of units like 5 or a share like 30% (got 'many')"


@pytest.mark.parametrize("delimiter", [r'"\n"', "'\"'", "é", "中", "''", "';;'"])
def test_a_delimiter_the_reader_cannot_use_is_a_round_file_error(write, delimiter):
    path = write("round.yaml", GOOD + f"ballots: {{delimiter: {delimiter}}}\n")
    with pytest.raises(PingyiError) as info:
        load_round(path)
    assert [p.as_tuple()[1:] for p in info.value.problems] == [(NEXT, "ballots.delimiter", "bad_value")]
    assert "one ASCII character" in info.value.problems[0].message


@pytest.mark.parametrize("delimiter", [r'"\r"', r'"\0"'])
def test_a_control_character_as_delimiter_is_a_round_file_error(write, delimiter):
    path = write("round.yaml", GOOD + f"ballots: {{delimiter: {delimiter}}}\n")
    assert _problems(path) == [("round.yaml", NEXT, "ballots.delimiter", "control_character")]


@pytest.mark.parametrize("delimiter", [r'"\t"', ";", "'|'", "' '"])
def test_usual_delimiters_are_fine(write, delimiter):
    path = write("round.yaml", GOOD + f"ballots: {{delimiter: {delimiter}}}\n")
    load_round(path)


def test_tally_with_a_newline_delimiter_blames_the_round_file(write):
    path = write("round.yaml", GOOD + 'ballots: {delimiter: "\\n"}\n')
    ballots = write("b.csv", "sheet,stratum,a,b,c\nX1,service,A,B,C\n")
    line = _one_line_exit_2(["tally", str(path), str(ballots), "-o", str(path.parent / "o")])
    assert line.startswith(f"error: {path}:{NEXT}: ballots.delimiter: ") and line.endswith("[bad_value]")
