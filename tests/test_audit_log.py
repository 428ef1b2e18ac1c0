"""The per-sheet disposition log (``pingyi tally --audit-log``, SPEC "Audit"): one row per
sheet read, in file order, with the final disposition even where it was decided after
the sheet's batch was written (a conflicting re-scan, a malformed row)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

import pingyi
from pingyi.cli.main import cli

from .test_ballots import ROUND, ROWS, _csv
from .test_corrections import CORRECTED_ROUND, HEADER

A_CSV = 'sheet,stratum,a,b,c\nS1,企业,A,B,C\n"S,9",企业,A,A,A\n=S10,企业,B,B,B\n'
B_CSV = """\
sheet,stratum,a,b,c
S1,企业,A,B,C
S2,企业,A,,B
S3,群众,C,A,A
S3,群众,C,A,A
S4,群众,C,B,B
S6,企业,A,B
S4,群众,A,B,B
S7,企业,,,
"""
EXPECTED = """\
file,line,sheet,disposition,correction
a.csv,2,S1,counted,
a.csv,3,"S,9",counted,
a.csv,4,'=S10,counted,
b.csv,2,S1,duplicate,
b.csv,3,S2,counted,
b.csv,4,S3,counted,c:A→B
b.csv,5,S3,duplicate,c:A→B
b.csv,6,S4,conflicting_duplicate,
b.csv,7,S6,malformed_row,
b.csv,8,S4,conflicting_duplicate,
b.csv,9,S7,all_blank,
"""


@pytest.fixture
def round_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "round.yaml").write_text(CORRECTED_ROUND, encoding="utf-8")
    (tmp_path / "corrections.csv").write_text(HEADER + "S3,c,A,B,复核原票,张三\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text(A_CSV, encoding="utf-8")
    (tmp_path / "b.csv").write_text(B_CSV, encoding="utf-8")
    return tmp_path


def _tally(*extra: str):
    return CliRunner().invoke(cli, ["tally", "round.yaml", "b.csv", "a.csv", "-o", "out", "-q", *extra])


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_the_log_has_every_sheets_final_disposition_in_file_order(round_dir, monkeypatch, block):
    from pingyi.ballots import csv_wide

    monkeypatch.setattr(csv_wide, "BLOCK_SIZE", block)  # 64 bytes: a few rows a batch
    result = _tally("--audit-log", "log.csv")
    assert result.exit_code == 0, result.output
    assert (round_dir / "log.csv").read_text(encoding="utf-8") == EXPECTED
    assert sorted(p.name for p in round_dir.iterdir()) == [
        "a.csv",
        "b.csv",
        "corrections.csv",
        "log.csv",
        "out",
        "round.yaml",
    ]


def test_an_existing_log_is_replaced_only_with_force_and_an_input_never(round_dir):
    (round_dir / "log.csv").write_text("mine\n", encoding="utf-8")
    refused = _tally("--audit-log", "log.csv")
    assert refused.exit_code == 2
    assert "log.csv: exists; give --force to replace it [output_refused]" in refused.stderr
    assert (round_dir / "log.csv").read_text(encoding="utf-8") == "mine\n"
    assert _tally("--audit-log", "log.csv", "--force").exit_code == 0
    assert (round_dir / "log.csv").read_text(encoding="utf-8") == EXPECTED
    for taken in ("b.csv", "corrections.csv", "out/log.csv"):
        result = _tally("--audit-log", taken, "--force")
        assert result.exit_code == 2 and "[output_refused]" in result.stderr, taken
    assert (round_dir / "corrections.csv").read_text(encoding="utf-8").startswith(HEADER)


def test_a_failed_tally_leaves_the_old_log_and_no_temporary_file(round_dir):
    (round_dir / "log.csv").write_text("old\n", encoding="utf-8")
    (round_dir / "corrections.csv").write_text(HEADER + "S3,c,B,C,复核原票,张三\n", encoding="utf-8")
    result = _tally("--audit-log", "log.csv", "--force")
    assert result.exit_code == 2 and "[read_mismatch]" in result.stderr
    assert (round_dir / "log.csv").read_text(encoding="utf-8") == "old\n"
    assert not [p for p in round_dir.iterdir() if p.name.startswith(".")]


def test_the_library_writes_the_same_log(round_dir):
    pingyi.tally("round.yaml", ["a.csv", "b.csv"], audit_log="lib.csv")
    assert (round_dir / "lib.csv").read_text(encoding="utf-8") == EXPECTED


@settings(max_examples=8, deadline=None)
@given(rows=ROWS)
def test_the_log_has_a_row_per_sheet_read_and_agrees_with_the_rejects(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("log")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    (folder / "b.csv").write_text(_csv(rows), encoding="utf-8")
    t = pingyi.tally(folder / "round.yaml", [folder / "b.csv"], audit_log=folder / "log.csv")
    logged = (folder / "log.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(logged) == t.document["sheets"]["read"]
    rejected = [tuple(line.split(",")[1:4:2]) for line in logged if ",counted," not in line]
    assert rejected == [(str(line), reason) for _, line, _, reason, _ in t.reject_rows]
