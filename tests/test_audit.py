"""The audit trail (SPEC "Audit"): who ran the count is required when the round says so,
recorded in the manifest, and verify rebuilds with it."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from pingyi.cli.main import cli

from .conftest import EXAMPLES


def _siwei(tmp_path, extra: str = "") -> tuple[str, str]:
    for name in ("round.yaml", "ballots.csv", "adjustments.csv"):
        shutil.copy(EXAMPLES / "siwei" / name, tmp_path / name)
    text = (tmp_path / "round.yaml").read_text(encoding="utf-8")
    (tmp_path / "round.yaml").write_text(
        text.replace("round: siwei-2012\n", f"round: siwei-2012\n{extra}"), encoding="utf-8"
    )
    return str(tmp_path / "round.yaml"), str(tmp_path / "ballots.csv")


def test_a_round_that_requires_an_operator_refuses_to_count_without_one(tmp_path):
    paths = _siwei(tmp_path, "audit: {operator_required: true}\n")
    runner = CliRunner()
    refused = runner.invoke(cli, ["tally", *paths, "-o", str(tmp_path / "r"), "-q"])
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [
        f"error: {paths[0]}: audit.operator_required: this round must name who runs the count: "
        "give --operator NAME [operator_required]"
    ]
    assert not (tmp_path / "r").exists()
    done = runner.invoke(cli, ["tally", *paths, "-o", str(tmp_path / "r"), "-q", "--operator", "张三"])
    assert done.exit_code == 0, done.output
    record = json.loads((tmp_path / "r" / "manifest.json").read_bytes())
    assert record["options"] == {"lang": "zh", "operator": "张三"}
    assert runner.invoke(cli, ["verify", str(tmp_path / "r")]).exit_code == 0


def test_the_rounds_own_operator_is_used_and_the_option_overrides_it(tmp_path):
    paths = _siwei(tmp_path, "operator: 李四\n")
    runner = CliRunner()
    assert runner.invoke(cli, ["tally", *paths, "-o", str(tmp_path / "a"), "-q"]).exit_code == 0
    assert json.loads((tmp_path / "a" / "manifest.json").read_bytes())["options"]["operator"] == "李四"
    assert (
        runner.invoke(cli, ["tally", *paths, "-o", str(tmp_path / "b"), "-q", "--operator", "王五"]).exit_code
        == 0
    )
    assert json.loads((tmp_path / "b" / "manifest.json").read_bytes())["options"]["operator"] == "王五"


def test_an_operator_with_control_characters_is_refused(tmp_path):
    paths = _siwei(tmp_path)
    result = CliRunner().invoke(cli, ["tally", *paths, "-o", str(tmp_path / "r"), "--operator", "\x1b[2J"])
    assert result.exit_code == 2 and "[bad_operator]" in result.stderr


def _summary_rows(path) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(path)["汇总"]
    return [row[:2] for row in sheet.iter_rows(min_row=3, max_row=12, values_only=True)]


def test_the_operator_is_on_the_summary_sheet_and_verify_rebuilds_it(tmp_path):
    paths = _siwei(tmp_path)
    runner = CliRunner()
    out = tmp_path / "r"
    assert runner.invoke(cli, ["tally", *paths, "-o", str(out), "-q", "--operator", "张三"]).exit_code == 0
    rows = _summary_rows(out / "report.xlsx")
    assert [label for label, _ in rows[:4]] == ["评议活动", "日期", "计分办法", "计票人"]
    assert rows[3] == ("计票人", "张三")
    assert runner.invoke(cli, ["verify", str(out)]).exit_code == 0
    assert runner.invoke(cli, ["tally", *paths, "-o", str(tmp_path / "n"), "-q"]).exit_code == 0
    assert "计票人" not in [label for label, _ in _summary_rows(tmp_path / "n" / "report.xlsx")]
