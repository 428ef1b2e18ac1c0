"""Items and numbers in every output: report.xlsx, feedback workbooks, the terminal, the
frames, check's coverage, and the rank confidence."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from click.testing import CliRunner

import pingyi
from pingyi.cli.main import cli
from pingyi.report.feedback import feedback_workbooks

from .test_items import CELLS, ITEMS_4321, _sheets

SHEETS = ["AABCBBA.", "ABB.CAAA", "BACCB.CA"]  # test_items: u1 79/20, u2 31/10


def _write(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "round.yaml").write_text(ITEMS_4321, encoding="utf-8")
    (tmp_path / "ballots.csv").write_text(_sheets(SHEETS), encoding="utf-8")
    return tmp_path / "round.yaml", tmp_path / "ballots.csv"


def test_report_has_a_sheet_of_item_scores(tmp_path):
    """分项得分: per unit its score and rate, each item's score and rate, and the item
    that pulled it down most. u1 (3.95): work 2 pulls 2×(3.95−2)/10 = 0.39, mech 1×3.45/10
    = 0.345 → 比工作实绩. u2 (3.1): law 4×(3.1−2)/10 = 0.44 → 比依法行政."""
    t = pingyi.tally(*_write(tmp_path))
    book = openpyxl.load_workbook(io.BytesIO(t.files["report.xlsx"]))
    rows = list(book["分项得分"].iter_rows(values_only=True))
    assert rows[0][:7] == ("类别", "名次", "单位", "代码", "得分", "满意率", "比依法行政得分")
    assert rows[0][-1] == "最低分项"
    assert rows[1] == ("类", 1, "甲", "u1", 3.95, 0.8333, 5, 5, 2, 0.5, 1, 1, 0.6667, 0, "比工作实绩")
    assert rows[2][-1] == "比依法行政"


def test_feedback_lists_items_and_the_one_that_pulled_the_unit_down(tmp_path):
    t = pingyi.tally(*_write(tmp_path))
    data = feedback_workbooks(t.document, ["u2"])["乙.xlsx"]
    rows = [r for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "评议内容")
    assert [r[:5] for r in rows[at : at + 5]] == [
        ("评议内容", "权重", "得分", "满意率", "有效票"),
        ("比依法行政", 4, 2, 0.6667, 3),
        ("比行政效能", 3, 3.5, 0.6667, 3),
        ("比工作实绩", 2, 4, 0.6667, 3),
        ("比工作机制", 1, 4.5, 0.6667, 3),
    ]
    assert rows[at + 5][0] == "最低分项：比依法行政（得分 2.00，单位得分 3.10）"


def test_terminal_and_rank_csv_show_item_scores(tmp_path):
    round_file, ballots = _write(tmp_path)
    out = tmp_path / "results"
    wide = CliRunner(env={"COLUMNS": "120"})
    result = wide.invoke(cli, ["tally", str(round_file), str(ballots), "-o", str(out)])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "名次" in line)
    assert all(short in header for short in ("项1", "项4"))  # short headings, named below
    assert "最低分项" not in header
    assert (
        "  分项得分: 项1 比依法行政，项2 比行政效能，项3 比工作实绩，项4 比工作机制"
        in result.stdout.splitlines()
    )
    narrow = CliRunner(env={"COLUMNS": "72"}).invoke(cli, ["rank", "--results", str(out), "--category", "c"])
    header = next(line for line in narrow.stdout.splitlines() if "名次" in line)
    assert "最低分项" in header and "项1" not in header  # a narrow terminal: the weakest item only
    result = CliRunner().invoke(cli, ["rank", "--results", str(out), "--category", "c", "--format", "csv"])
    assert result.stdout.splitlines() == [
        "category,rank,unit,name,score,satisfaction_rate,valid,flags,item_law,item_eff,item_work,item_mech",
        "c,1,u1,甲,3.95,0.8333,12,winner;rectification,5.00,5.00,2.00,0.50",
        "c,2,u2,乙,3.10,0.6667,12,last_place,2.00,3.50,4.00,4.50",
    ]


def test_items_frame_and_check_coverage(tmp_path):
    """Tally.items: a row per unit × item; check's coverage counts a unit's marks on all
    its items (12 each)."""
    round_file, ballots = _write(tmp_path)
    t = pingyi.tally(round_file, ballots)
    assert list(t.items["item"]) == ["law", "eff", "work", "mech"] * 2
    assert [str(v) for v in t.items["score_exact"]] == ["5", "5", "2", "1/2", "2", "7/2", "4", "9/2"]
    coverage = pingyi.check(round_file, ballots).summary["ballots"]["coverage"]
    assert [(c["unit"], c["valid"]) for c in coverage] == [("u1", 12), ("u2", 12)]


def test_confidence_with_items_and_numbers(tmp_path):
    """A unit far ahead on every item is the winner in every replicate; a numeric round
    resamples its sums too: u1 (4×90 + 3×80.5 + 2×85 + 70)/10 = 1683/20 against u2's 47.55
    wins every replicate."""
    (tmp_path / "round.yaml").write_text(ITEMS_4321, encoding="utf-8")
    rows = ["AAAACCCC"] * 30 + ["AAABCCBC"] * 10
    (tmp_path / "ballots.csv").write_text(_sheets(rows, CELLS), encoding="utf-8")
    t = pingyi.tally(tmp_path / "round.yaml", tmp_path / "ballots.csv", confidence=200)
    shares = {u["id"]: u["confidence"] for u in t.document["units"]}
    assert (shares["u1"]["winner"], shares["u2"]["last_place"]) == (1.0, 1.0)
    numeric = ITEMS_4321.replace("extends: qianren-2-1-0", "scale: {numeric: {min: 0, max: 100}}")
    (tmp_path / "round.yaml").write_text(numeric + "scoring: {method: mean}\n", encoding="utf-8")
    body = _sheets([]) + "".join(f"S{i},s1,90,80.5,85,70,50,40,45.5,60\n" for i in range(40))
    (tmp_path / "ballots.csv").write_text(body, encoding="utf-8")
    t = pingyi.tally(tmp_path / "round.yaml", tmp_path / "ballots.csv", confidence=50)
    u1, u2 = t.document["units"]
    assert (u1["score_exact"], u1["confidence"]["winner"], u2["confidence"]["last_place"]) == (
        "1683/20",
        1.0,
        1.0,
    )
