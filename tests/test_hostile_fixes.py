"""Defects a hostile tester found after the first round of fixes, each reproduced here."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import pingyi
from pingyi.cli.main import cli
from pingyi.errors import PingyiError

from .conftest import EXAMPLES


def _check_yixing_with_a_stray_quote(tmp_path, row: int):
    """``pingyi check`` of the Yixing ballots with a '"' opened on file line ``row + 1``."""
    shutil.copy(EXAMPLES / "yixing" / "round.yaml", tmp_path / "round.yaml")
    lines = (EXAMPLES / "yixing" / "ballots.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[row] = lines[row].replace(",A,", ',"A,', 1)
    (tmp_path / "ballots.csv").write_text("".join(lines), encoding="utf-8")
    return CliRunner().invoke(cli, ["check", str(tmp_path / "round.yaml"), str(tmp_path / "ballots.csv")])


def test_a_stray_quote_that_would_swallow_sheets_is_an_error(tmp_path):
    """Defect: one stray '"' on line 101 of the Yixing ballots turned the 1,106 sheets after
    it into one malformed row, and the round was tallied from 100 sheets with exit 0."""
    result = _check_yixing_with_a_stray_quote(tmp_path, 100)
    assert result.exit_code == 2
    assert f"{tmp_path / 'ballots.csv'}:101: a quoted cell opened on this line runs over" in result.stderr
    assert "[runaway_quote]" in result.stderr


def test_a_folder_named_through_a_missing_one_is_still_checked(tmp_path, monkeypatch):
    """Defect: -o nosuch/../victim replaced victim (and -o nosuch/.. the working folder):
    the checks looked at a path that did not exist, the rename at the folder."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    siwei = [str(EXAMPLES / "siwei" / name) for name in ("round.yaml", "ballots.csv")]
    for target in ("nosuch/../victim", "nosuch/.."):
        result = CliRunner().invoke(cli, ["tally", *siwei, "-o", target, "-q"])
        assert result.exit_code == 2 and "[not_a_results_dir]" in result.stderr
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_previous_round_whose_ballots_changed_is_refused(tmp_path):
    """Defect: round 2 used round 1's results although round 1's ballots had changed
    since (its own manifest's input hash no longer held)."""
    shutil.copytree(EXAMPLES / "ningbo", tmp_path / "ningbo")
    with open(tmp_path / "ningbo" / "round1" / "ballots.csv", "a", encoding="utf-8") as f:
        f.write("X999,enterprise" + ",A" * 103 + "\n")
    round2 = tmp_path / "ningbo" / "round2"
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(round2 / "round.yaml", round2 / "ballots.csv")
    (problem,) = caught.value.problems
    assert problem.code == "previous_changed"
    assert "input ../ballots.csv has changed (SHA-256 differs)" in problem.message


@pytest.mark.parametrize("replicates", [-1, 5001, "5", True])
def test_bootstrap_replicates_are_bounded(replicates):
    """Defect: --confidence 100000 ran out of memory; the API took -1 and '5'."""
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(
            EXAMPLES / "siwei" / "round.yaml", EXAMPLES / "siwei" / "ballots.csv", confidence=replicates
        )
    assert [p.code for p in caught.value.problems] == ["bad_confidence"]


def test_a_unit_that_is_both_winner_and_last_place_fails_the_check(tmp_path):
    """Defect: winners: 100% of 3 units and one last place made 丙 both 优胜 and 末位 with
    exit 0 and no word. Now it is a failure (exit 1 under --strict) naming the unit."""
    from .test_tally import HEADER_2_1_0, ballots_file, round_file, sheets

    ids = ["a", "b", "c"]
    (tmp_path / "round.yaml").write_text(
        round_file(HEADER_2_1_0, "  - {id: c, name: 类, winners: 100%}\n", ids), encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text(ballots_file(ids, sheets(ids, ["ABC", "ABC"])), encoding="utf-8")
    t = pingyi.tally(tmp_path / "round.yaml", tmp_path / "b.csv")
    assert [(p.code, p.severity) for p in t.failures] == [("award_overlap", "failure")]
    assert "单位c 同时为优胜单位和末位单位" in t.failures[0].message
    strict = CliRunner().invoke(
        cli,
        [
            "tally",
            str(tmp_path / "round.yaml"),
            str(tmp_path / "b.csv"),
            "-o",
            str(tmp_path / "r"),
            "--strict",
        ],
    )
    assert strict.exit_code == 1 and "[award_overlap]" in strict.stderr


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d["units"][0].update(score_exact="abc"), "units[0].score_exact"),
        (lambda d: d["units"][0].update(satisfaction_rate_exact="1/0"), "units[0].satisfaction_rate_exact"),
        (lambda d: d["units"][0].update(score_exact="9" * 5000), "units[0].score_exact"),
        (lambda d: d.update(precision={"score": 10**6, "satisfaction_percent": 2}), "precision"),
        (lambda d: d["categories"][0]["units"].append("ghost"), "categories[0].units"),
        (lambda d: d["units"][0].update(flags=["forged"]), "units[0].flags"),
        (lambda d: d["units"][0].update(category="nowhere"), "units[0].category"),
    ],
)
@pytest.mark.parametrize("command", ["rank", "feedback"])
def test_an_edited_results_json_is_a_located_error_not_a_traceback(tmp_path, edit, field, command):
    """Defect: rank and feedback died with tracebacks (exit 1) on values that were not
    fractions, a huge precision, unknown units, flags or categories."""
    import json

    t = pingyi.tally(EXAMPLES / "siwei" / "round.yaml", EXAMPLES / "siwei" / "ballots.csv")
    out = tmp_path / "r"
    out.mkdir()
    document = t.to_dict()
    edit(document)
    (out / "results.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    args = ["rank", "-c", "enforcement"] if command == "rank" else ["feedback", "-o", str(tmp_path / "fb")]
    result = CliRunner().invoke(cli, [*args, "--results", str(out)])
    assert result.exit_code == 2, result.output
    assert f"results.json: {field}:" in result.stderr and "[bad_results]" in result.stderr


def test_a_cell_text_cannot_mean_two_things(tmp_path):
    """Defect: invalid_codes: [A] made every 满意 an invalid mark, blank_codes: [A] counted
    every A as 弃权, and marks: {'': A} was ignored — all without a word."""
    text = (
        "round: k\nextends: qianren-2-1-0\n"
        'ballots: {invalid_codes: [A, ">"], blank_codes: [">"], marks: {"": A}}\n'
        "categories:\n  - {id: c, name: 类}\nstrata:\n  - {id: s, name: s}\n"
        "units:\n  - {id: u, name: 甲, category: c}\n"
    )
    (tmp_path / "k.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PingyiError) as caught:
        pingyi.load_round(tmp_path / "k.yaml")
    assert [(p.line, p.field, p.code) for p in caught.value.problems] == [
        (3, "ballots.invalid_codes[0]", "bad_value"),
        (3, "ballots.invalid_codes[1]", "bad_value"),
        (3, "ballots.marks.", "bad_value"),
    ]


def test_rank_and_feedback_refuse_a_results_json_its_manifest_disowns(tmp_path):
    """Defect: an edited results.json (a unit moved to rank 1) was printed by rank and sent
    out by feedback as is, although verify failed on the folder."""
    import json

    t = pingyi.tally(EXAMPLES / "siwei" / "round.yaml", EXAMPLES / "siwei" / "ballots.csv")
    pingyi.write_results(t, tmp_path / "r")
    document = json.loads((tmp_path / "r" / "results.json").read_bytes())
    document["units"][-1]["rank"] = 1
    (tmp_path / "r" / "results.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    for args in (["rank", "-c", "services"], ["feedback", "-o", str(tmp_path / "fb")]):
        result = CliRunner().invoke(cli, [*args, "--results", str(tmp_path / "r")])
        assert result.exit_code == 2 and "[results_changed]" in result.stderr
    assert not (tmp_path / "fb").exists()


def test_init_into_a_missing_folder_is_one_line(tmp_path, monkeypatch):
    """Defect: pingyi init -o sub/r.yaml raised FileNotFoundError."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--scheme", "qianren-2-1-0", "-o", "sub/r.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "error: sub/r.yaml: the folder sub does not exist [output_refused]\n"


def test_a_number_too_long_for_a_round_is_a_located_error(tmp_path):
    """Defect: an option value of 10^4200 crashed the tally (Python's int-to-text limit)."""
    text = (
        "round: n\nextends: qianren-2-1-0\nscale:\n  options:\n"
        f"    - {{code: A, label: 满意, value: 1{'0' * 4200}, satisfied: true}}\n"
        "    - {code: C, label: 不满意, value: 0}\n"
        "categories:\n  - {id: c, name: 类}\nstrata:\n  - {id: s, name: s}\n"
        "units:\n  - {id: u, name: 甲, category: c}\n"
    )
    (tmp_path / "n.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PingyiError) as caught:
        pingyi.load_round(tmp_path / "n.yaml")
    assert [(p.line, p.field, p.code) for p in caught.value.problems][0][:2] == (5, "scale.options[0].value")


def test_a_decimal_in_the_round_file_is_read_exactly_not_as_a_float(tmp_path):
    """Defect: below: 0.90000000000000000001 was read through a binary float as 9/10, so a
    unit at exactly 90 % was not below the line. It is below it."""
    from .test_tally import HEADER_2_1_0, ballots_file, category, round_file, sheets, tally

    ids = ["x", "y"]
    header = HEADER_2_1_0 + "awards:\n  rectification: {below: 0.90000000000000000001}\n  last_place: 0\n"
    rows = ["AA"] * 9 + ["CA"]  # x: 9 满意 of 10 = exactly 9/10
    doc = tally(
        tmp_path, round_file(header, "  - {id: c, name: 类}\n", ids), ballots_file(ids, sheets(ids, rows))
    )
    assert category(doc, "c")["rectification"] == ["x"]
    assert doc["rectification"]["below"] == "90000000000000000001/100000000000000000000"


def test_simulate_refuses_a_workbook_name_for_csv_text(tmp_path):
    """Defect: simulate -o x.xlsx wrote CSV text into a file named .xlsx."""
    result = CliRunner().invoke(
        cli,
        ["simulate", str(EXAMPLES / "siwei" / "round.yaml"), "--sheets", "5", "-o", str(tmp_path / "x.xlsx")],
    )
    assert result.exit_code == 2 and "simulate writes CSV text: name the file .csv" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_stray_quote_that_swallows_more_than_a_block_is_a_located_error(tmp_path, monkeypatch):
    """A quote opened by mistake that runs past a whole read block was pyarrow's
    'straddling object straddles two block boundaries', with no line; it is the runaway
    quote error, naming the line where the unreadable rows start."""
    from pingyi.ballots import csv_wide

    monkeypatch.setattr(csv_wide, "BLOCK_SIZE", 4096)
    result = _check_yixing_with_a_stray_quote(tmp_path, 300)
    assert result.exit_code == 2
    line = int(result.stderr.split("ballots.csv:")[1].split(":")[0])
    assert 280 <= line <= 301  # the first row of the block that cannot be cut
    assert "a quoted cell opened on this line or soon after runs over" in result.stderr
    assert "[runaway_quote]" in result.stderr and "straddling" not in result.stderr
