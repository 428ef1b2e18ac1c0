"""Feedback workbooks (issue 10d, 10f): what each unit is told, in words that cannot be
misread, and files written whole or not at all."""

from __future__ import annotations

import errno
import io
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pingyi.cli.main import cli
from pingyi.report.feedback import MAX_NAME_BYTES, feedback_workbooks, file_name
from pingyi.results.build import build
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def yixing():
    example = EXAMPLES / "yixing"
    return build(str(example / "round.yaml"), [(example / "ballots.csv", "ballots.csv")])


def _decisions(data: bytes) -> list[tuple]:
    """The rows of the decisions table: from its header to the first empty row."""
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [tuple(c.value for c in row[:3]) for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] in ("评定事项", "Decision"))
    end = next(i for i in range(start, len(rows)) if rows[i][0] is None)
    return rows[start:end]


def test_a_unit_ordered_to_rectify_is_told_so_plainly(yixing):
    """城管执法局: rank 11 of 45, 满意率 89.34 %: not a winner, not last, ordered to rectify.
    The old table said 重点整改单位 | 未达到 here, which readers took for "not listed"."""
    books = feedback_workbooks(yixing.document, ["cgzfj"])
    assert _decisions(books["城管执法局.xlsx"]) == [
        ("评定事项", "结论", "依据"),
        ("评为优胜单位", "否", "第11名，优胜名额前5名"),
        ("列为末位单位", "否", "第11名（共45个单位）"),
        ("列入重点整改单位", "是", "满意率 89.34% < 90%"),
    ]


def test_a_winner_is_not_told_it_reached_rectification(yixing):
    """台办: rank 1, 满意率 95.37 %: the old table said 重点整改单位 | 达到."""
    books = feedback_workbooks(yixing.document, ["tb"])
    assert _decisions(books["台办.xlsx"]) == [
        ("评定事项", "结论", "依据"),
        ("评为优胜单位", "是", "第1名，优胜名额前5名"),
        ("列为末位单位", "否", "第1名（共45个单位）"),
        ("列入重点整改单位", "否", "满意率 95.37% ≥ 90%"),
    ]


def test_a_last_place_unit_below_the_line_is_told_why_it_is_not_listed_to_rectify(yixing):
    """农办: last of 45 at 65.04 %: below 90 %, but last-place units are not listed again."""
    books = feedback_workbooks(yixing.document, ["nb"])
    assert _decisions(books["农办.xlsx"]) == [
        ("评定事项", "结论", "依据"),
        ("评为优胜单位", "否", "第45名，优胜名额前5名"),
        ("列为末位单位", "是", "地方管理部门最后一名（第45名，共45个）"),
        ("列入重点整改单位", "否", "满意率 65.04% < 90%，但末位单位不列入重点整改单位"),
    ]


def test_decisions_in_english(yixing):
    books = feedback_workbooks(yixing.document, ["cgzfj"], lang="en")
    assert _decisions(books["城管执法局.xlsx"]) == [
        ("Decision", "Outcome", "Grounds"),
        ("Winner", "no", "rank 11; winners: the top 5"),
        ("Last place", "no", "rank 11 of 45 units"),
        ("Ordered to rectify", "yes", "满意率 89.34% < 90%"),
    ]
    last = feedback_workbooks(yixing.document, ["nb"], lang="en")["农办.xlsx"]
    assert _decisions(last)[3] == (
        "Ordered to rectify",
        "no",
        "Satisfaction 65.04% < 90%, but last place units are not listed",
    )


# --- pingyi feedback writes whole files, with names every file system takes (issue 10f) -----


def _results(tmp_path, outcome):
    folder = tmp_path / "results"
    folder.mkdir()
    for name, data in outcome.files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def yixing_results(yixing, tmp_path):
    return _results(tmp_path, yixing)


def _feedback(results, out, *more):
    return CliRunner().invoke(cli, ["feedback", "--results", str(results), "-o", str(out), "-q", *more])


def test_feedback_writes_through_a_temporary_file_and_fsync(yixing_results, tmp_path, monkeypatch):
    """A full disk while writing (here: fsync fails with ENOSPC) leaves the older file as it
    was and no temporary file; the command says so in one line and exits 2."""
    out = tmp_path / "fb"
    out.mkdir()
    (out / "台办.xlsx").write_bytes(b"older")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    done = _feedback(yixing_results, out, "--unit", "tb", "--force")
    assert done.exit_code == 2
    why = "cannot write: No space left on device; nothing was changed"
    assert done.stderr.splitlines() == [f"error: {out / '台办.xlsx'}: {why} [write_failed]"]
    assert sorted(p.name for p in out.iterdir()) == ["台办.xlsx"]
    assert (out / "台办.xlsx").read_bytes() == b"older"


def test_feedback_replaces_a_file_in_one_step(yixing_results, tmp_path, monkeypatch):
    replaced = []
    real = os.replace

    def spy(source, target):
        replaced.append((Path(source).parent, Path(target).name))
        real(source, target)

    monkeypatch.setattr(os, "replace", spy)
    out = tmp_path / "fb"
    assert _feedback(yixing_results, out, "--unit", "tb", "--unit", "nb").exit_code == 0
    assert replaced == [(out, "台办.xlsx"), (out, "农办.xlsx")]
    assert sorted(p.name for p in out.iterdir()) == ["农办.xlsx", "台办.xlsx"]


LONG = "很" * 300  # 900 bytes in UTF-8


def test_a_very_long_unit_name_gives_a_short_unique_file_name_with_the_id():
    taken: set[str] = set()
    first = file_name(LONG, "u1", taken)
    second = file_name(LONG + "局", "u2", taken)
    assert first.endswith("-u1.xlsx") and second.endswith("-u2.xlsx")
    for name in (first, second):
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
        assert name.startswith("很" * 60)
    assert file_name("短名", "u3", taken) == "短名.xlsx"


def test_file_names_are_unique_whatever_the_case_and_never_a_device():
    taken: set[str] = set()
    assert [
        file_name(n, i, taken) for n, i in [("Tax", "a"), ("TAX", "b"), ("CON", "c"), ("局\u202e", "d")]
    ] == [
        "Tax.xlsx",
        "TAX-b.xlsx",
        "CON_.xlsx",
        "局_.xlsx",
    ]


def test_feedback_for_a_unit_with_a_300_character_name(tmp_path):
    (tmp_path / "round.yaml").write_text(
        "round: long\nextends: qianren-2-1-0\ncategories: [{id: c, name: 类, winners: 1}]\n"
        f"strata: [{{id: s, name: 群众}}]\nunits:\n  - {{id: a, name: {LONG}, category: c}}\n"
        "  - {id: b, name: 乙局, category: c}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text("sheet,stratum,a,b\n1,s,A,B\n", encoding="utf-8")
    results = _results(tmp_path, build(str(tmp_path / "round.yaml"), [(tmp_path / "b.csv", "b.csv")]))
    done = _feedback(results, tmp_path / "fb")
    assert done.exit_code == 0, done.output
    names = sorted(p.name for p in (tmp_path / "fb").iterdir())
    assert names == sorted([file_name(LONG, "a", set()), "乙局.xlsx"])


def test_an_output_folder_that_is_a_file_is_a_one_line_error(yixing_results, tmp_path):
    target = tmp_path / "fb"
    target.write_text("x", encoding="utf-8")
    for out in (target, target / "sub"):
        done = _feedback(yixing_results, out)
        assert done.exit_code == 2
        assert done.stderr.splitlines() == [
            f"error: {out}: output: {'is a file' if out == target else 'is inside a file'}, not a folder; "
            "choose another -o [not_a_folder]"
        ]


def test_a_read_only_output_folder_is_a_one_line_error(yixing_results, tmp_path, monkeypatch):
    out = tmp_path / "fb"
    out.mkdir()
    out.chmod(0o555)
    if os.access(out, os.W_OK):  # root writes anyway: let the OS refuse the way it would

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        done = _feedback(yixing_results, out, "--unit", "tb")
    finally:
        out.chmod(0o755)
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        f"error: {out / '台办.xlsx'}: cannot write: Permission denied; nothing was changed [write_failed]"
    ]
    assert list(out.iterdir()) == []


def test_feedback_never_writes_over_an_existing_workbook_or_the_results(yixing_results, tmp_path):
    """Hostile finding: feedback replaced existing files, the ballots and report.xlsx too."""
    out = tmp_path / "fb"
    out.mkdir()
    (out / "台办.xlsx").write_bytes(b"older")
    done = _feedback(yixing_results, out, "--unit", "tb")
    assert done.exit_code == 2 and "exists; give --force to replace it [output_refused]" in done.stderr
    assert (out / "台办.xlsx").read_bytes() == b"older"
    assert _feedback(yixing_results, out, "--unit", "tb", "--force").exit_code == 0
    assert (out / "台办.xlsx").read_bytes() != b"older"
