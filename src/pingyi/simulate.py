"""Synthetic wide ballots for rehearsals, tests and benchmarks, deterministic for a seed.

Strata are drawn in proportion to the round's quotas, each unit (each unit × item, in a
round with items) has its own tendency over the scale — a mean mark, for numeric marks,
drawn about in halves — and a small share of blanks, invalid marks (two codes joined, two
numbers in a cell), all-blank sheets and identical re-scans (duplicates) is mixed in, as
card readers deliver them.
Columns are built as Arrow dictionary arrays and written by pyarrow's CSV writer, so 10^6
sheets × 100 units take seconds, not a Python loop per mark.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pingyi.ballots.validity import on_form_matrix
from pingyi.errors import PingyiError, Problem
from pingyi.numbers import plain
from pingyi.round.items import cell_columns, round_cells
from pingyi.round.models import Round
from pingyi.round.online import is_online, paper_round

CHUNK = 100_000


@dataclass(frozen=True)
class Mix:
    """Shares of the imperfections mixed into simulated ballots."""

    blank: float = 0.02
    invalid: float = 0.005
    all_blank_sheets: float = 0.002
    duplicates: float = 0.005
    conflicts: int = 0


def stratum_shares(r: Round) -> np.ndarray:
    """Equal shares, raised where a quota's minimum share asks for more (with a margin)."""
    ids = [s.id for s in r.strata]
    shares = np.full(len(ids), 1 / len(ids))
    for quota in r.quotas:
        if quota.min_share is None:
            continue
        inside = np.array([i in quota.strata for i in ids])
        want = min(float(quota.min_share) + 0.03, 0.99)
        have = shares[inside].sum()
        if 0 < have < want and inside.sum() < len(ids):
            shares[inside] *= want / have
            shares[~inside] *= (1 - want) / shares[~inside].sum()
    normalised: np.ndarray = shares / shares.sum()
    return normalised


def simulate(
    r: Round, sheets: int, seed: int, out: str | os.PathLike[str], mix: Mix = Mix(), encoding: str = "utf-8"
) -> int:
    """Write ``sheets`` synthetic sheets (plus re-scans) for round ``r``; return rows written.

    ``out`` is replaced whole or not at all (see :func:`_replacing`). A round that takes
    online exports gets paper sheets, laid out as its ``ballots.paper`` says.
    """
    r = paper_round(r) if is_online(r) else r
    out = Path(out)
    with _replacing(out) as target:
        if encoding == "utf-8":
            return _write_utf8(r, sheets, seed, mix, target)
        utf8 = target.with_name(target.name + ".utf8")
        try:
            written = _write_utf8(r, sheets, seed, mix, utf8)
            _transcode(utf8, target, encoding)
        finally:
            utf8.unlink(missing_ok=True)
        return written


def _write_utf8(r: Round, sheets: int, seed: int, mix: Mix, path: Path) -> int:
    rng = np.random.default_rng(seed)
    tendencies = _tendencies(r, rng, len(round_cells(r)))
    shares = stratum_shares(r)
    forms = list(r.forms or {})
    write_codes = _write_codes(r)
    rescans = int(round(sheets * mix.duplicates))
    picks = np.sort(
        np.random.default_rng([seed, 1]).choice(
            sheets, size=min(sheets, rescans + mix.conflicts), replace=False
        )
    )
    written = 0
    copies = []
    with open(path, "wb") as sink:
        sink.write((",".join(_schema(r).names) + "\n").encode("utf-8"))
    with (
        open(path, "ab") as sink,
        pacsv.CSVWriter(
            sink, _schema(r), write_options=pacsv.WriteOptions(include_header=False, quoting_style="none")
        ) as writer,
    ):
        for start in range(0, sheets, CHUNK):
            n = min(CHUNK, sheets - start)
            table = _chunk(r, rng, start, n, tendencies, shares, forms, write_codes, mix)
            writer.write_table(table)
            written += len(table)
            inside = picks[(picks >= start) & (picks < start + n)] - start
            if len(inside):
                copies.append(table.take(pa.array(inside)))
        if copies:
            again = pa.concat_tables(copies)
            order = np.random.default_rng([seed, 2]).permutation(len(again))
            again = again.take(pa.array(order))
            writer.write_table(again.slice(0, rescans))
            if mix.conflicts:
                writer.write_table(_altered(r, again.slice(rescans), write_codes))
            written += len(again)
    return written


@contextmanager
def _replacing(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out`` that replaces it when the block succeeds.

    Written in the same folder, synced, then renamed over ``out``: a full disk or a kill
    leaves the old file (or none), never half of one, and no temporary file behind. A
    file system error is a :class:`PingyiError` naming ``out``.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as error:
        raise _cannot_write(out, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, out)
    except OSError as error:
        raise _cannot_write(out, error) from None
    finally:
        temporary.unlink(missing_ok=True)


def _transcode(source: Path, target: Path, encoding: str) -> None:
    """Re-encode a UTF-8 file a megabyte at a time (10^6 sheets never sit in memory)."""
    with open(source, encoding="utf-8", newline="") as text, open(target, "wb") as sink:
        while chunk := text.read(1 << 20):
            sink.write(chunk.encode(encoding))


def _cannot_write(out: Path, error: OSError) -> PingyiError:
    reason = error.strerror or str(error)
    return PingyiError([Problem(str(out), None, "", "cannot_write", f"cannot write ({reason})")])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _altered(r: Round, table: pa.Table, write_codes: list[str]) -> pa.Table:
    """The same sheet ids with the first unit's mark changed: conflicting duplicates."""
    column = 2 + (1 if r.ballots.form else 0)
    first = table.column(column).to_pylist()
    changed = [write_codes[1] if v != write_codes[1] else write_codes[0] for v in first]
    return table.set_column(column, table.schema.field(column), pa.array(changed, pa.string()))


def _schema(r: Round) -> pa.Schema:
    b = r.ballots
    names = [b.sheet_id, b.stratum] + ([b.form] if b.form else [])
    names += cell_columns(r)  # a unit, or with items a unit × item, each its own column
    return pa.schema([(name, pa.string()) for name in names])


def _tendencies(r: Round, rng: np.random.Generator, cells: int) -> np.ndarray:
    """Each cell's tendency: its chances over the options, or its mean number."""
    numeric = r.scale.numeric
    if numeric is not None:
        low, high = float(numeric.min), float(numeric.max)
        means: np.ndarray = low + (high - low) * rng.uniform(0.62, 0.95, cells)
        return means
    n_options = len(r.scale.options)
    alpha = np.array([12.0, 4.0, 1.5, 1.0, 0.5, 0.5][:n_options] + [0.5] * max(0, n_options - 6))
    return np.stack([rng.dirichlet(alpha * rng.uniform(0.5, 1.5, n_options)) for _ in range(cells)])


def _numbers(r: Round) -> list[Fraction]:
    """The numbers simulated marks take: the range in halves (in ones over 200 points)."""
    numeric = r.scale.numeric
    assert numeric is not None
    step = Fraction(1, 2) if numeric.max - numeric.min <= 200 else Fraction(1)
    count = int((numeric.max - numeric.min) / step)
    return [numeric.min + k * step for k in range(count + 1)]


def _write_codes(r: Round) -> list[str]:
    """Cell text for each option (or number), then blank and invalid, as this round's
    reader writes it; an invalid number is two numbers in one cell."""
    if r.scale.numeric is not None:
        texts = [plain(n) for n in _numbers(r)]
        invalid = (
            r.ballots.invalid_codes[0] if r.ballots.invalid_codes else f"{texts[-1]} {texts[len(texts) // 2]}"
        )
        return texts + ["", invalid]
    back = {code: read for read, code in r.ballots.marks.items()}
    options = [back.get(o.code, o.code) for o in r.scale.options]
    invalid = r.ballots.invalid_codes[0] if r.ballots.invalid_codes else "".join(options[:2])
    return options + ["", invalid]


def _chunk(
    r: Round,
    rng: np.random.Generator,
    start: int,
    n: int,
    tendencies: np.ndarray,
    shares: np.ndarray,
    forms: list[str],
    write_codes: list[str],
    mix: Mix,
) -> pa.Table:
    n_options = len(write_codes) - 2  # the options, or the numbers
    cells = len(tendencies)
    stratum = rng.choice(len(r.strata), size=n, p=shares)
    form = rng.integers(0, len(forms), size=n) if forms else np.zeros(n, dtype=np.int64)
    on_form = on_form_matrix(r)
    if r.scale.numeric is not None:
        numeric = r.scale.numeric
        spread = 0.1 * float(numeric.max - numeric.min)
        drawn = tendencies[None, :] + spread * rng.standard_normal((n, cells))
        step = (numeric.max - numeric.min) / (n_options - 1)
        marks = np.rint((drawn - float(numeric.min)) / float(step)).astype(np.int64)
        marks = np.clip(marks, 0, n_options - 1)
    else:
        draws = rng.random((n, cells))
        cumulative = np.cumsum(tendencies, axis=1)
        marks = (draws[:, :, None] > cumulative[None, :, :]).sum(axis=2)
        marks = np.minimum(marks, n_options - 1)
    noise = rng.random((n, cells))
    marks[noise < mix.blank] = n_options
    marks[(noise >= mix.blank) & (noise < mix.blank + mix.invalid)] = n_options + 1
    marks[rng.random(n) < mix.all_blank_sheets] = n_options
    marks[~on_form[form]] = n_options  # units not on the sheet's form are left empty
    return _table(r, start + np.arange(n), stratum, form, forms, marks, write_codes)


def _table(
    r: Round,
    numbers: np.ndarray,
    stratum: np.ndarray,
    form: np.ndarray,
    forms: list[str],
    marks: np.ndarray,
    write_codes: list[str],
) -> pa.Table:
    ids = pc.utf8_lpad(pc.cast(pa.array(numbers + 1), pa.string()), width=7, padding="0")
    columns = [pc.binary_join_element_wise("S", ids, ""), _coded(stratum, [s.id for s in r.strata])]
    if r.ballots.form:
        columns.append(_coded(form, forms or [""]))
    dictionary = pa.array(write_codes, pa.string())
    for unit in range(marks.shape[1]):
        columns.append(
            pa.DictionaryArray.from_arrays(pa.array(marks[:, unit].astype(np.int32)), dictionary).cast(
                pa.string()
            )
        )
    return pa.Table.from_arrays(columns, schema=_schema(r))


def _coded(indices: np.ndarray, values: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32)), pa.array(values, pa.string())
    ).cast(pa.string())
