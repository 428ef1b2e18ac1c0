"""Which sheets count: per-row reasons, computed for a whole batch at once.

A sheet rates the units on its form (all units without forms); with items, each unit ×
item is a mark of its own (pingyi.round.items). It is rejected when its id
or stratum is missing or unknown, when it marks a unit that is not on its form, when
every rated unit is blank (``invalid_if_all_blank``), or when more than the scheme's
share of its marks are invalid (``invalid_if_invalid_marks_over``), or when it gives an
option to more than its cap of the units it rates (``sheets.max_share``, 比例制: at most a
third 优秀). The first reason in
:class:`~pingyi.ballots.batch.Reason` order wins.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.marks import MarkCodes
from pingyi.numbers import plain
from pingyi.round.items import form_entry, round_cells
from pingyi.round.models import Round


def on_form_matrix(r: Round) -> np.ndarray:
    """bool (forms, cells): which units (unit × items) each form lists (one all-true row
    without forms). A form entry ``u1`` lists every item of u1, ``u1.law`` one item."""
    cells = round_cells(r)
    if not r.forms:
        return np.ones((1, len(cells)), dtype=bool)
    index = {u.id: i for i, u in enumerate(r.units)}
    items = {item.id: j for j, item in enumerate(r.items)}
    matrix = np.zeros((len(r.forms), len(cells)), dtype=bool)
    for f, entries in enumerate(r.forms.values()):
        for entry in entries:
            listed = form_entry(entry, list(index), list(items))
            assert listed is not None and len(listed) == 1  # the round's checks saw to it
            unit, item = listed[0]
            if item is None:
                first = cells.index(index[unit], 0)
                matrix[f, first : first + cells.items] = True
            else:
                matrix[f, cells.index(index[unit], items[item])] = True
    return matrix


def row_reasons(r: Round, codes: MarkCodes, on_form: np.ndarray, batch: Batch) -> np.ndarray:
    """int8 :class:`Reason` of each row of ``batch`` (0 = the sheet counts)."""
    n = len(batch)
    reason = np.zeros(n, dtype=np.int8) if batch.preset is None else batch.preset.copy()

    def mark(mask: npt.ArrayLike, why: Reason) -> None:
        reason[(reason == 0) & mask] = why

    mark(pc.equal(pc.utf8_length(batch.sheet), 0).to_numpy(zero_copy_only=False), Reason.missing_sheet_id)
    mark(batch.stratum < 0, Reason.unknown_stratum)
    mark(batch.form < 0, Reason.unknown_form)
    marks = batch.marks
    rated: np.ndarray | None = None  # (rows, units) mask, where a sheet does not rate every unit
    if on_form.all() and not batch.missing_units:
        rated_count = np.full(n, marks.shape[1], dtype=np.int64)
    else:
        rated = on_form[np.maximum(batch.form, 0)]
        if batch.missing_units:
            mark(rated[:, list(batch.missing_units)].any(axis=1), Reason.missing_column)
        mark((~rated & (marks != codes.blank)).any(axis=1), Reason.off_form_mark)
        rated_count = rated.sum(axis=1)
    if r.sheets.invalid_if_all_blank:
        mark(_per_row(marks == codes.blank, rated) == rated_count, Reason.all_blank)
    share = r.sheets.invalid_if_invalid_marks_over
    if share is not None:
        invalid = _per_row(marks == codes.invalid, rated)
        # invalid / rated > p/q  <=>  invalid * q > p * rated  (exact, in integers)
        mark(invalid * share.denominator > share.numerator * rated_count, Reason.too_many_invalid)
    for code, cap in (r.sheets.max_share or {}).items():
        # 比例制: given / rated > cap  <=>  given * q > p * rated (exactly at the cap is allowed)
        given = _per_row(marks == codes.option_codes.index(code), rated)
        mark(given * cap.denominator > cap.numerator * rated_count, Reason.over_option_cap)
    return reason


def _per_row(hits: np.ndarray, rated: np.ndarray | None) -> np.ndarray:
    """How many of each row's rated units ``hits`` holds (every unit rated when ``rated`` is None)."""
    counts: np.ndarray = np.count_nonzero(hits if rated is None else hits & rated, axis=1)
    return counts


def reason_detail(
    r: Round, codes: MarkCodes, on_form: np.ndarray, batch: Batch, row: int, why: Reason
) -> str:
    """A human sentence for one rejected row (rejects are few: built one by one)."""
    if batch.details and row in batch.details and batch.preset is not None and batch.preset[row] == why:
        return batch.details[row]
    if why == Reason.unknown_stratum:
        known = ", ".join(s.id for s in r.strata)
        return f"stratum '{_text(batch.raw_stratum, row)}' is not one of: {known}"
    if why == Reason.unknown_form:
        text = _text(batch.raw_form, row) if batch.raw_form is not None else ""
        return f"form '{text}' is not one of: {', '.join(r.forms or {})}"
    rated = on_form[max(int(batch.form[row]), 0)]
    marks = batch.marks[row]
    if why == Reason.missing_column:
        ids = round_cells(r).ids
        missing = [ids[u] for u in batch.missing_units if rated[u]]
        return f"the file has no column for unit(s) on this sheet's form: {', '.join(missing)}"
    if why == Reason.off_form_mark:
        ids = round_cells(r).ids
        units = [ids[u] for u in np.nonzero(~rated & (marks != codes.blank))[0]]
        return f"marks units not on its form: {', '.join(units)}"
    if why == Reason.all_blank:
        return f"all {int(rated.sum())} rated units blank"
    if why == Reason.too_many_invalid:
        invalid = int(((marks == codes.invalid) & rated).sum())
        share = r.sheets.invalid_if_invalid_marks_over or Fraction(0)
        return f"{invalid} of {int(rated.sum())} marks invalid (more than {share_text(share)})"
    if why == Reason.over_option_cap:
        for code, cap in (r.sheets.max_share or {}).items():
            given = int(((marks == codes.option_codes.index(code)) & rated).sum())
            if given * cap.denominator > cap.numerator * int(rated.sum()):
                return (
                    f"gives {code} to {given} of {int(rated.sum())} rated units (more than {share_text(cap)})"
                )
    return {
        Reason.missing_sheet_id: "no sheet id",
        Reason.conflicting_stratum: "rows of this sheet name different strata",
        Reason.unknown_unit: "a row names a unit that is not in the round",
        Reason.unknown_item: "a row names an item that is not in the round",
        Reason.duplicate: "an identical copy of this sheet id is counted",
        Reason.conflicting_duplicate: "copies of this sheet id differ",
    }.get(why, "")


def share_text(share: Fraction) -> str:
    """A rule's share exactly as the rule states it: ``12.5%`` (never a float rounded to
    ``12%``), ``50%``; a share with no exact decimal percentage as its fraction, ``1/3``."""
    percent = plain(share * 100)
    return plain(share) if "/" in percent else f"{percent}%"


def _text(array: object, row: int) -> str:
    value = array[row].as_py()  # type: ignore[index]
    return "" if value is None else str(value).strip()
