"""The long layout split across files: the rows of one sheet id are one sheet, whichever
files they are in (SPEC: the result does not depend on how the ballots are split across
files). Defect: each file was pivoted on its own, so a sheet whose rows were in two files
became two copies with different marks, and both were rejected as conflicting_duplicate."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pingyi.ballots.count import read_ballots
from pingyi.round.load import load_round

from .test_ballots import ROUND as WIDE_ROUND

ROUND = WIDE_ROUND + "ballots: {layout: long}\n"

HEADER = "sheet,stratum,unit,mark"
ROWS = [
    "1,企业,a,A",
    "1,企业,b,B",
    "1,企业,c,C",
    "2,企业,a,A",
    "2,企业,b,",
    "2,企业,c,B",
    "3,群众,a,C",
    "3,群众,b,A",
    "3,群众,c,A",
    "4,群众,a,",
    "4,群众,b,",
    "4,群众,c,",
]


def _file(write, name: str, rows: list[str]):
    return write(name, HEADER + "\n" + "\n".join(rows) + "\n")


def _summary(c) -> tuple:
    return (c.read, c.counted, c.counts.tolist(), sorted((j.sheet, j.reason) for j in c.rejects))


def test_a_sheet_whose_rows_are_in_two_files_is_one_sheet(write):
    r = load_round(write("round.yaml", ROUND))
    whole = read_ballots(r, [_file(write, "all.csv", ROWS)])
    second = _file(write, "p2.csv", ROWS[2:])
    split = read_ballots(r, [_file(write, "p1.csv", ROWS[:2]), second])
    assert (whole.read, whole.counted) == (split.read, split.counted) == (4, 3)
    assert whole.counts.tolist() == split.counts.tolist()
    assert whole.counts[2].tolist() == [[0, 1, 1, 0, 0], [1, 0, 0, 0, 0]]  # unit c: sheet 1's C is counted
    # sheet 4 is all blank: named by the file and line of its first row
    rejects = [(j.file, j.line, j.sheet, j.reason) for j in split.rejects]
    assert rejects == [(str(second), 9, "4", "all_blank")]


def test_a_sheet_belongs_to_the_file_of_its_first_row(write):
    """Sheet 2 starts in the first file (sorted path order) and ends in the second."""
    r = load_round(write("round.yaml", ROUND))
    first = _file(write, "a.csv", ["2,企业,c,B", "9,群众,a,A"])
    second = _file(write, "b.csv", ["1,企业,a,A", "2,企业,a,A", "2,企业,b,"])
    c = read_ballots(r, [second, first])  # given in the other order
    assert (c.read, c.counted) == (3, 3)
    assert [f.display for f in c.files] == [str(first), str(second)]
    assert c.counts[0].tolist() == [[2, 0, 0, 0, 0], [1, 0, 0, 0, 0]]
    assert c.counts[1].tolist() == [[0, 0, 0, 2, 0], [0, 0, 0, 1, 0]]
    assert c.counts[2].tolist() == [[0, 1, 0, 1, 0], [0, 0, 0, 1, 0]]


def test_two_different_marks_for_one_unit_in_two_files_are_an_invalid_mark(write):
    """As within one file: the same cell marked A in one file and C in another."""
    r = load_round(write("round.yaml", ROUND))
    c = read_ballots(
        r, [_file(write, "p1.csv", ["1,企业,a,A", "1,企业,b,B"]), _file(write, "p2.csv", ["1,企业,a,C"])]
    )
    assert (c.read, c.counted) == (1, 1)
    assert c.counts[0].tolist() == [[0, 0, 0, 0, 1], [0, 0, 0, 0, 0]]


def test_two_strata_for_one_sheet_in_two_files_reject_it(write):
    r = load_round(write("round.yaml", ROUND))
    c = read_ballots(
        r, [_file(write, "p1.csv", ["1,企业,a,A", "2,群众,a,B"]), _file(write, "p2.csv", ["1,群众,b,A"])]
    )
    assert (c.read, c.counted) == (2, 1)
    assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(2, "1", "conflicting_stratum")]


def test_csv_and_xlsx_long_files_merge_too(write, tmp_path):
    r = load_round(write("round.yaml", ROUND))
    book = Workbook()
    for row in [HEADER, *ROWS[6:]]:
        book.active.append(row.split(","))
    book.save(tmp_path / "rest.xlsx")
    split = read_ballots(r, [_file(write, "head.csv", ROWS[:7]), tmp_path / "rest.xlsx"])
    whole = read_ballots(r, [_file(write, "all.csv", ROWS)])
    assert _summary(split) == _summary(whole)


def _random_rows(seed: int) -> list[str]:
    rng = random.Random(seed)
    rows = []
    for sheet in range(1, rng.randint(1, 12) + 1):
        stratum = rng.choice(["企业", "群众"])
        for unit in rng.sample("abc", rng.randint(1, 3)):
            for _ in range(rng.choice([1, 1, 1, 2])):  # now and then a cell typed twice
                rows.append(f"{sheet},{stratum},{unit},{rng.choice(['A', 'B', 'C', '', 'X'])}")
    rng.shuffle(rows)
    return rows


@settings(max_examples=30, deadline=None)  # each example reads two rounds of files
@given(seed=st.integers(0, 10**6), cuts=st.lists(st.integers(0, 60), max_size=4))
def test_any_split_of_a_long_file_gives_the_same_result(tmp_path_factory, seed, cuts):
    """Rows shuffled and cut into files anywhere: the same sheets read, counted and
    rejected, and the same counts, as the one file."""
    folder = tmp_path_factory.mktemp("split")
    (folder / "round.yaml").write_text(ROUND, encoding="utf-8")
    r = load_round(folder / "round.yaml")
    rows = _random_rows(seed)
    (folder / "all.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    bounds = [0, *sorted(min(cut, len(rows)) for cut in cuts), len(rows)]
    parts = []
    for k, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        path = folder / f"part{k}.csv"
        path.write_text(HEADER + "\n" + "".join(row + "\n" for row in rows[start:end]), encoding="utf-8")
        parts.append(path)
    whole = read_ballots(r, [folder / "all.csv"])
    split = read_ballots(r, parts)
    assert _summary(split) == _summary(whole)
    assert np.array_equal(split.sheets_by_stratum, whole.sheets_by_stratum)


def test_a_long_xlsx_row_with_only_an_unread_column_is_an_empty_line(write, tmp_path):
    """Defect: a workbook row with only a note (a column the round does not read) was a
    phantom sheet, rejected as unknown_unit with no id; the same rows as CSV are an empty
    line. Long workbooks now count their empty lines too."""
    r = load_round(write("round.yaml", ROUND))
    rows = [
        ["sheet", "stratum", "unit", "mark", "note"],
        ["1", "企业", "a", "A", ""],
        ["", "", "", "", "复核"],
    ]
    rows += [[" ", "", "", "", ""], ["1", "企业", "b", "B", ""]]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "l.xlsx")
    xlsx = read_ballots(r, [tmp_path / "l.xlsx"])
    csv = read_ballots(r, [write("l.csv", "\n".join(",".join(row) for row in rows) + "\n")])
    assert (xlsx.read, xlsx.counted, xlsx.rejects) == (csv.read, csv.counted, csv.rejects) == (1, 1, [])
    assert xlsx.files[0].empty_lines == csv.files[0].empty_lines == 2
    assert xlsx.counts.tolist() == csv.counts.tolist()


def test_a_malformed_row_rejects_its_sheet_and_is_no_sheet_of_its_own(write):
    """Defect: a long row with a wrong number of fields was a sheet of its own
    (malformed_row: read 4 for 3 sheets), and the sheet it belongs to was counted without
    that row's mark. Now the sheet is rejected as malformed_row, wherever its rows are."""
    r = load_round(write("round.yaml", ROUND))
    rows = [
        "1,企业,a,A",
        "1,企业,b,B",
        "2,企业,a,A",
        "2,企业,b,C,x",
        "2,企业,c,B",
        "3,群众,a,A",
        "9,群众,a,C,,",
    ]
    whole = read_ballots(r, [_file(write, "all.csv", rows)])
    assert (whole.read, whole.counted) == (4, 2)
    assert [(j.line, j.sheet, j.reason, j.detail) for j in whole.rejects] == [
        (4, "2", "malformed_row", "line 5: wrong number of fields: 2,企业,b,C,x"),
        (8, "9", "malformed_row", "line 8: wrong number of fields: 9,群众,a,C,,"),
    ]
    assert whole.counts[1].tolist() == [[0, 1, 0, 0, 0], [0, 0, 0, 1, 0]]  # sheet 2's C is not counted
    split = read_ballots(r, [_file(write, "p1.csv", rows[:3]), _file(write, "p2.csv", rows[3:])])
    assert _summary(split) == _summary(whole)


def test_a_malformed_rows_sheet_id_is_read_as_csv_and_its_detail_names_its_file(write, tmp_path):
    """Defects of the first fold of malformed rows: the sheet id was split out of the row
    without quotes (a quoted id, or a quoted note holding a comma, made a phantom sheet
    while sheet 2 was counted without that row's mark), the sheet's detail said "line 3"
    of a row in another file, and the malformed rows came after the file's other rows."""
    r = load_round(write("round.yaml", ROUND))
    for row in ['"2",企业,b,C,x', '2,企业,b,"C, really",x']:
        c = read_ballots(r, [_file(write, "b.csv", ["1,企业,a,A", "2,企业,a,A", row, "3,群众,a,B"])])
        assert (c.read, c.counted) == (3, 2)
        assert [(j.line, j.sheet, j.reason) for j in c.rejects] == [(3, "2", "malformed_row")]
    book = Workbook()
    for row in [["note", "sheet", "stratum", "unit", "mark"], ["", "1", "企业", "a", "A"]]:
        book.active.append(row)
    book.active.append(["late, rescanned", "1", "企业", "b", "C", "x"])
    book.save(tmp_path / "n.xlsx")
    c = read_ballots(r, [tmp_path / "n.xlsx"])
    assert (c.read, c.counted, [j.sheet for j in c.rejects]) == (1, 0, ["1"])
    first, second = (
        _file(write, "f1.csv", ["1,企业,a,A", "2,企业,a,A", "3,企业,a,B"]),
        _file(write, "f2.csv", ["2,企业,b,C,x"]),
    )
    c = read_ballots(r, [first, second])
    assert [(j.file, j.line, j.detail) for j in c.rejects] == [
        (str(first), 3, f"{second}:2: wrong number of fields: 2,企业,b,C,x")
    ]
