"""Supervised corrections of misreads (SPEC "Audit", issue 14): applied before counting,
every mistake in the file named by its line, listed in results.json and report.xlsx, and
the file an input of the manifest."""

from __future__ import annotations

import json

import numpy as np
import pytest
from openpyxl import load_workbook

import pingyi
from pingyi.ballots.count import read_ballots
from pingyi.errors import PingyiError
from pingyi.round.load import load_round
from pingyi.sidefiles import read_side_inputs

from .test_ballots import ROUND

CORRECTED_ROUND = ROUND + "corrections: corrections.csv\n"
HEADER = "sheet,unit,read,corrected,reason,by\n"

# line: 2 S1; 3 S2; 4-5 S3 re-scanned alike; 6-7 S4 re-scanned, a differs (C, A);
# 8-9 S5 re-scanned, b differs (B, C)
BALLOTS = """\
sheet,stratum,a,b,c
S1,企业,A,B,C
S2,企业,A,,B
S3,群众,C,A,A
S3,群众,C,A,A
S4,群众,C,B,B
S4,群众,A,B,B
S5,群众,B,B,B
S5,群众,B,C,B
"""


@pytest.fixture
def round_dir(write):
    write("round.yaml", CORRECTED_ROUND)
    write("ballots.csv", BALLOTS)
    return write("corrections.csv", HEADER).parent


def _counts(folder, corrections: str):
    (folder / "corrections.csv").write_text(HEADER + corrections, encoding="utf-8")
    r = load_round(folder / "round.yaml")
    corrections = read_side_inputs(r).corrections
    return read_ballots(r, [folder / "ballots.csv"], displays=["ballots.csv"], corrections=corrections)


def _problems(folder, corrections: str):
    with pytest.raises(PingyiError) as caught:
        _counts(folder, corrections)
    return [p.as_tuple() for p in caught.value.problems], [p.message for p in caught.value.problems]


def test_a_correction_changes_exactly_one_count(round_dir):
    before = _counts(round_dir, "").counts
    after = _counts(round_dir, "S1,c,C,A,纸质票为满意,张三\n").counts
    changed = {
        tuple(at): int(after[tuple(at)] - before[tuple(at)]) for at in np.argwhere(after != before).tolist()
    }
    # unit c (2), stratum 企业 (0): one C (2) becomes one A (0)
    assert changed == {(2, 0, 0): 1, (2, 0, 2): -1}


def test_every_copy_of_a_corrected_sheet_is_corrected_and_stays_a_duplicate(round_dir):
    c = _counts(round_dir, "S3,c,A,B,复核原票,张三\n")
    assert [(j.line, j.reason) for j in c.rejects] == [
        (5, "duplicate"),
        (6, "conflicting_duplicate"),
        (7, "conflicting_duplicate"),
        (8, "conflicting_duplicate"),
        (9, "conflicting_duplicate"),
    ]
    assert c.counts[2][1].tolist() == [0, 1, 0, 0, 0]  # c in 群众: S3's B, once


def test_a_correction_can_make_a_conflicting_rescan_agree(round_dir):
    """S4 was read C once and A once; the paper says A: the C copy is corrected, the A
    copy already agrees, so the second copy is an identical re-scan."""
    c = _counts(round_dir, "S4,a,C,A,两次扫描不一致，原票为满意,李四\n")
    assert [(j.line, j.reason) for j in c.rejects] == [
        (5, "duplicate"),
        (7, "duplicate"),
        (8, "conflicting_duplicate"),
        (9, "conflicting_duplicate"),
    ]
    assert c.counts[0][1].tolist() == [1, 0, 1, 0, 0]  # a in 群众: S3 C, S4 A


def test_mistakes_in_the_corrections_file_are_named_by_line_and_field(round_dir):
    text = (
        "S1,a,A,C,,张三\n"  # 2: no reason
        "S1,b,B,A,复核,\n"  # 3: no by
        "S1,x,A,C,复核,张三\n"  # 4: unknown unit
        "S1,c,C,D,复核,张三\n"  # 5: D is not a mark
        "S1,c,C,C,复核,张三\n"  # 6: changes nothing
        ",a,A,C,复核,张三\n"  # 7: no sheet
        "S2,a,A,C,复核,张三\n"
        "S2,a,A,B,复核,张三\n"  # 9: a second correction of one mark
    )
    assert _problems(round_dir, text)[0] == [
        ("corrections.csv", 2, "reason", "missing_value"),
        ("corrections.csv", 3, "by", "missing_value"),
        ("corrections.csv", 4, "unit", "unknown_unit"),
        ("corrections.csv", 5, "corrected", "unknown_mark"),
        ("corrections.csv", 6, "corrected", "no_change"),
        ("corrections.csv", 7, "sheet", "missing_value"),
        ("corrections.csv", 9, "unit", "duplicate_correction"),
    ]


def test_a_correction_that_does_not_match_the_sheet_is_an_error_saying_what_was_read(round_dir):
    text = (
        "S1,a,B,C,复核,张三\n"  # 2: S1 reads A
        "S9,a,A,C,复核,张三\n"  # 3: no such sheet
        "S2,b,,A,复核,张三\n"  # 4: blank -> A: fine
        "S5,b,A,C,复核,张三\n"  # 5: copies read B and C: neither is A
        "S2,c,A,B,复核,张三\n"  # 6: S2 already reads B for c
    )
    tuples, messages = _problems(round_dir, text)
    assert tuples == [
        ("corrections.csv", 2, "read", "read_mismatch"),
        ("corrections.csv", 3, "sheet", "unknown_sheet"),
        ("corrections.csv", 5, "read", "read_mismatch"),
        ("corrections.csv", 6, "read", "read_mismatch"),
    ]
    assert messages[0] == (
        "sheet 'S1' reads 'A' for unit 'a' (ballots.csv:2), not 'B' as the correction says"
    )
    assert messages[2] == (
        "sheet 'S5' reads 'B' for unit 'b' (ballots.csv:8), not 'A' as the correction says"
    )
    assert messages[3] == "sheet 'S2' already reads 'B' for unit 'c': nothing to correct"


def test_read_and_corrected_go_through_the_readers_codes(write):
    """A reader writing 1/2/3 and a space for a blank: corrections use its texts."""
    round_file = write("round.yaml", CORRECTED_ROUND + "ballots: {marks: {'1': A, '2': B, '3': C}}\n")
    ballots = write("ballots.csv", "sheet,stratum,a,b,c\nS1,企业,1,2,\nS2,企业,3,3,3\n")
    write("corrections.csv", HEADER + "S1,c,,1,漏读,张三\nS2,a,3,A,复核,张三\n")
    t = pingyi.tally(round_file, [ballots])
    units = {u["id"]: u["counts"] for u in t.document["units"]}
    assert units["a"] == {"A": 2, "B": 0, "C": 0, "blank": 0, "invalid": 0}
    assert units["c"] == {"A": 1, "B": 0, "C": 1, "blank": 0, "invalid": 0}


def test_a_correction_of_a_unit_off_the_sheets_form_is_an_error(write):
    forms = CORRECTED_ROUND + "forms: {表一: [a, b], 表二: [b, c]}\nballots: {form: form}\n"
    round_file = write("round.yaml", forms)
    ballots = write("ballots.csv", "sheet,stratum,form,a,b,c\nS1,企业,表一,A,B,\n")
    write("corrections.csv", HEADER + "S1,c,,A,漏读,张三\n")
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(round_file, [ballots])
    assert [p.as_tuple() for p in caught.value.problems] == [
        ("corrections.csv", 2, "unit", "unit_not_on_form")
    ]


def test_every_correction_is_listed_in_results_json_and_report_xlsx(round_dir, tmp_path):
    (round_dir / "corrections.csv").write_text(
        HEADER + "S4,a,C,A,两次扫描不一致,李四\nS1,c,C,A,复核,张三\n", encoding="utf-8"
    )
    t = pingyi.tally(round_dir / "round.yaml", [round_dir / "ballots.csv"])
    assert t.document["corrections"] == [
        {
            "sheet": "S4",
            "unit": "a",
            "read": "C",
            "corrected": "A",
            "reason": "两次扫描不一致",
            "by": "李四",
            "file": "corrections.csv",
            "line": 2,
        },
        {
            "sheet": "S1",
            "unit": "c",
            "read": "C",
            "corrected": "A",
            "reason": "复核",
            "by": "张三",
            "file": "corrections.csv",
            "line": 3,
        },
    ]
    pingyi.write_results(t, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert [(i["role"], i["given"]) for i in manifest["inputs"] if i["role"] == "corrections"] == [
        ("corrections", "corrections.csv")
    ]
    sheet = load_workbook(tmp_path / "out" / "report.xlsx")["更正记录"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["编号", "单位", "代码", "原读", "更正为", "更正理由", "更正人", "文件", "行"],
        ["S4", "甲", "a", "C", "A", "两次扫描不一致", "李四", "corrections.csv", 2],
        ["S1", "丙", "c", "C", "A", "复核", "张三", "corrections.csv", 3],
    ]


def test_a_round_without_corrections_has_no_corrections_key(write):
    t = pingyi.tally(write("round.yaml", ROUND), [write("ballots.csv", BALLOTS)])
    assert "corrections" not in t.document
    assert "更正记录" not in load_workbook_bytes(t.files["report.xlsx"]).sheetnames


def load_workbook_bytes(data: bytes):
    import io

    return load_workbook(io.BytesIO(data))


def test_check_and_tally_name_the_line_and_verify_finds_a_changed_corrections_file(round_dir, tmp_path):
    from click.testing import CliRunner

    from pingyi.cli.main import cli

    runner = CliRunner()
    paths = [str(round_dir / "round.yaml"), str(round_dir / "ballots.csv")]
    (round_dir / "corrections.csv").write_text(HEADER + "S1,a,B,C,复核,张三\n", encoding="utf-8")
    for command in (["check", *paths], ["tally", *paths, "-o", str(tmp_path / "x"), "-q"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[0] == (
            f"error: corrections.csv:2: read: sheet 'S1' reads 'A' for unit 'a' ({paths[1]}:2), "
            "not 'B' as the correction says [read_mismatch]"
        )
    (round_dir / "corrections.csv").write_text(HEADER + "S1,a,A,C,复核,张三\n", encoding="utf-8")
    out = str(tmp_path / "out")
    assert runner.invoke(cli, ["tally", *paths, "-o", out, "-q"]).exit_code == 0
    assert runner.invoke(cli, ["verify", out]).exit_code == 0
    (round_dir / "corrections.csv").write_text(HEADER + "S1,a,A,B,复核,张三\n", encoding="utf-8")
    changed = runner.invoke(cli, ["verify", out])
    assert changed.exit_code == 1
    assert "input ../corrections.csv (corrections) has changed (SHA-256 differs)" in changed.output


ITEMS = """\
round: t
extends: qianren-2-1-0
categories:
  - {id: local, name: 地方, winners: 1}
strata:
  - {id: 企业, name: 企业代表}
units:
  - {id: a, name: 甲, category: local}
  - {id: b, name: 乙, category: local}
items:
  - {id: law, name: 依法行政}
  - {id: eff, name: 行政效能}
corrections: corrections.csv
"""


def test_a_round_with_items_corrects_a_units_item(write):
    round_file = write("round.yaml", ITEMS)
    ballots = write("b.csv", "sheet,stratum,a.law,a.eff,b.law,b.eff\nS1,企业,A,B,C,C\nS2,企业,A,A,B,B\n")
    columns = "sheet,unit,item,read,corrected,reason,by\n"
    write("corrections.csv", columns + "S1,b,,C,A,复核,张三\nS1,b,zz,C,A,复核,张三\nS1,c,eff,C,A,复核,张三\n")
    with pytest.raises(PingyiError) as caught:
        pingyi.tally(round_file, [ballots])
    assert [p.as_tuple() for p in caught.value.problems] == [
        ("corrections.csv", 2, "item", "missing_value"),
        ("corrections.csv", 3, "item", "unknown_item"),
        ("corrections.csv", 4, "unit", "unknown_unit"),
    ]
    write("corrections.csv", columns + "S1,b,eff,C,A,复核,张三\n")
    t = pingyi.tally(round_file, [ballots], audit_log=round_file.parent / "log.csv")
    b = next(u for u in t.document["units"] if u["id"] == "b")
    assert b["items"]["eff"]["counts"] == {"A": 1, "B": 1, "C": 0, "blank": 0, "invalid": 0}
    assert b["items"]["law"]["counts"] == {"A": 0, "B": 1, "C": 1, "blank": 0, "invalid": 0}
    assert t.document["corrections"][0]["item"] == "eff"
    log = (round_file.parent / "log.csv").read_text(encoding="utf-8").splitlines()
    assert log[1].endswith(",S1,counted,b.eff:C→A")


def test_a_shifted_row_is_no_copy_a_correction_applies_to(round_dir):
    """Defect (hostile round 4, G3): corrections were applied to a row shifted past the
    header (a malformed row), so with the sheet's only copy shifted the correction was
    accepted, and with a good re-scan beside it a correction true of the re-scan was
    refused as read_mismatch. A malformed row is no copy of its sheet."""
    shifted = "sheet,stratum,a,b,c,,\nS1,企业,A,B,C,,\nS2,企业,,A,B,C,\n"
    (round_dir / "ballots.csv").write_text(shifted, encoding="utf-8")
    assert _problems(round_dir, "S2,a,A,C,复核原票,张三\n")[0][0][3] == "unknown_sheet"
    (round_dir / "ballots.csv").write_text(shifted + "S2,企业,A,B,C,,\n", encoding="utf-8")
    c = _counts(round_dir, "S2,a,A,C,复核原票,张三\n")
    assert (c.read, c.counted, [j.reason for j in c.rejects]) == (3, 2, ["malformed_row"])
    assert c.counts[0].tolist()[0] == [1, 0, 1, 0, 0]  # S1's A, S2's A corrected to C
