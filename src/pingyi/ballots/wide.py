"""Wide rows (one row per sheet, one column per unit or unit × item) into a :class:`Batch`.

CSV and XLSX readers both hand their rows here as an Arrow table. Marks are decoded from
the Arrow string buffers by :meth:`MarkCodes.columns` (numbers by
:meth:`~pingyi.ballots.numeric.NumericMarks.columns`; no Python loop per mark); strata
and forms are dictionary-encoded and looked up once per distinct text. An empty row is not
a sheet (it is counted as an empty line), and a total row (合计) summed by a spreadsheet is
an error, since it would be read as one more voter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.files import BallotFile
from pingyi.ballots.header import Columns
from pingyi.ballots.marks import MarkCodes
from pingyi.round.models import Round

TOTAL_WORDS = ("合计", "总计", "小计", "total", "sum")


def wide_batch(
    r: Round,
    codes: MarkCodes,
    source: BallotFile,
    cols: Columns,
    record: pa.RecordBatch | pa.Table,
    lines: np.ndarray,
    shifted: np.ndarray | None = None,
) -> tuple[Batch | None, int]:
    """The sheets of ``record`` (rows at file lines ``lines``), and how many rows were empty.
    ``shifted`` rows hold a value past the header (:func:`values_past`): malformed rows."""
    n = len(record)
    sheet = pc.utf8_trim_whitespace(record.column(cols.sheet))
    if isinstance(sheet, pa.ChunkedArray):
        sheet = sheet.combine_chunks()
    cells = len(cols.units) + len(cols.missing_units)
    marks = np.full((n, cells), codes.blank, dtype=np.int8)
    present = list(cols.units)
    texts = [record.column(cols.units[u]) for u in present]
    values = None
    if codes.numeric is not None:
        decoded, numbers = codes.numeric.columns(texts)
        values = np.zeros((n, cells), dtype=np.int64)
        values[:, present] = numbers
    else:
        decoded = codes.columns(texts)
    if len(present) == cells and present == list(range(cells)):
        marks = decoded
    else:
        marks[:, present] = decoded
    stratum_col = _dict_column(record.column(cols.stratum))
    stratum = _indices(stratum_col, _index_lookup(stratum_col, [s.id for s in r.strata]))
    form_col = _dict_column(record.column(cols.form)) if cols.form else None
    if form_col is not None and r.forms:
        form = _indices(form_col, _index_lookup(form_col, list(r.forms)))
    else:
        form = np.zeros(n, dtype=np.int16)
    _refuse_total_rows(source, sheet, stratum_col, lines)
    keep = _non_empty_rows(sheet, stratum_col, marks, codes)
    preset = None
    if shifted is not None and shifted.any():
        keep = keep | shifted
        preset = np.where(shifted, Reason.malformed_row, Reason.none).astype(np.int8)
    if keep.all():
        batch = Batch(
            source.index,
            lines,
            sheet,
            stratum,
            form,
            marks,
            stratum_col,
            form_col,
            cols.missing_units,
            preset,
        )
        batch.values = values
        _say_shifted(batch)
        return batch, 0
    empty = int((~keep).sum())
    if not keep.any():
        return None, empty
    index = np.nonzero(keep)[0]
    take = pa.array(index)
    batch = Batch(
        source.index,
        lines[index],
        sheet.take(take),
        stratum[index],
        form[index],
        marks[index],
        stratum_col.take(take),
        form_col.take(take) if form_col is not None else None,
        cols.missing_units,
        preset[index] if preset is not None else None,
    )
    batch.values = values[index] if values is not None else None
    _say_shifted(batch)
    return batch, empty


def values_past(record: pa.RecordBatch | pa.Table, past: list[str]) -> np.ndarray | None:
    """Rows with a value (not only spaces) in the unnamed columns ``past`` the header's last
    name (header.past_header); None when the file has no such columns."""
    if not past:
        return None
    shifted = np.zeros(len(record), dtype=bool)
    for name in past:
        text = pc.utf8_trim_whitespace(record.column(name).cast(pa.string()))
        shifted |= pc.greater(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    return shifted


def _say_shifted(batch: Batch) -> None:
    if batch.preset is not None:
        rows = np.flatnonzero(batch.preset == Reason.malformed_row).tolist()
        batch.details = {
            row: "a value past the header's last column: a row shifted by a cell?" for row in rows
        }


def _dict_column(column: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not isinstance(column, pa.DictionaryArray):
        column = pc.dictionary_encode(column)
    return column


def _indices(column: pa.DictionaryArray, lookup: np.ndarray) -> np.ndarray:
    indices: np.ndarray = lookup[column.indices.to_numpy(zero_copy_only=False)]
    return indices


def _index_lookup(column: pa.DictionaryArray, ids: list[str]) -> np.ndarray:
    position = {value: i for i, value in enumerate(ids)}
    values = column.dictionary.to_pylist()
    return np.fromiter((position.get(str(v).strip(), -1) for v in values), dtype=np.int16, count=len(values))


def _refuse_total_rows(
    source: BallotFile, sheet: pa.Array, stratum: pa.DictionaryArray, lines: np.ndarray
) -> None:
    """A total row (合计) summed by a spreadsheet would be read as one more voter."""
    words = pa.array(list(TOTAL_WORDS))
    longest = max(len(word) for word in TOTAL_WORDS)
    short = pc.less_equal(pc.utf8_length(sheet), longest).to_numpy(zero_copy_only=False)
    by_sheet = np.zeros(len(sheet), dtype=bool)
    if short.any():  # only an id as short as a total word can be one: lowered only those
        rows = np.flatnonzero(short)
        lowered = pc.utf8_lower(sheet.take(pa.array(rows)))
        by_sheet[rows] = pc.is_in(lowered, value_set=words).to_numpy(zero_copy_only=False)
    total_strata = _per_text(stratum, lambda texts: pc.is_in(pc.utf8_lower(texts), value_set=words))
    hits = by_sheet | total_strata
    if hits.any():
        row = int(np.nonzero(hits)[0][0])
        raise source.problem(
            "total_row",
            "looks like a total row (合计/total), not a sheet: remove it from the file",
            line=int(lines[row]),
        )


def _non_empty_rows(
    sheet: pa.Array, stratum: pa.DictionaryArray, marks: np.ndarray, codes: MarkCodes
) -> np.ndarray:
    """Rows with anything in them: an empty line is not a sheet."""
    has_id: np.ndarray = pc.not_equal(pc.utf8_length(sheet), 0).to_numpy(zero_copy_only=False)
    if has_id.all():  # every row has an id: none is empty (the usual batch)
        return has_id
    has_stratum = _per_text(stratum, lambda texts: pc.not_equal(pc.utf8_length(texts), 0))
    has_mark = (marks != codes.blank).any(axis=1) if marks.size else np.zeros(len(sheet), bool)
    rows: np.ndarray = has_id | has_stratum | has_mark
    return rows


def _per_text(column: pa.DictionaryArray, test: Callable[[pa.Array], pa.Array]) -> np.ndarray:
    """``test`` of each row's text (whitespace trimmed), worked out once per distinct text."""
    texts = pc.utf8_trim_whitespace(column.dictionary.cast(pa.string()))
    verdicts = test(texts).to_numpy(zero_copy_only=False).astype(bool)
    rows: np.ndarray = verdicts[column.indices.to_numpy(zero_copy_only=False)]
    return rows
