"""The side files a round names, read at the edge and handed to the engine as values.

A round may name an ``adjustments`` file (seed 003's daily assessment and deductions, one
row per unit), an ``opinions`` file (seed 000's 表四、表五, typed in), a ``previous``
results directory (seed 000's rank movement, seed 002's escalation) and a ``corrections``
file (supervised corrections of misreads, SPEC "Audit"). The engine never
opens a file (STYLE 3): :func:`read_side_inputs` reads them all here, reporting every gap
at once with its file, line and field, and :func:`pingyi.engine.tally.tally` takes the
values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from pingyi.ballots.corrections import Correction
from pingyi.ballots.marks import MarkCodes, mark_codes
from pingyi.engine.composite import Adjustments, Sourced, needed_columns
from pingyi.engine.movement import PreviousRound
from pingyi.engine.opinions import Opinion, classify
from pingyi.errors import PingyiError, Problem
from pingyi.round.items import cell_id
from pingyi.round.models import Round, to_fraction
from pingyi.round.tablefile import read_rows


@dataclass
class SideInputs:
    """What a round's side files say, as plain values."""

    adjustments: Adjustments = field(default_factory=dict)
    opinions: list[Opinion] = field(default_factory=list)
    previous: PreviousRound | None = None
    sourced: Sourced = field(default_factory=dict)  # composite components from other rounds
    corrections: list[Correction] = field(default_factory=list)  # in file order
    problems: list[Problem] = field(default_factory=list)  # warnings, e.g. rows without text


def read_side_inputs(r: Round) -> SideInputs:
    """Every side file of ``r``; raises one :class:`PingyiError` with all their problems."""
    from pingyi.results.previous import load_previous
    from pingyi.results.sources import read_sources

    problems: list[Problem] = []
    side = SideInputs()
    for read in (_adjustments_into, _opinions_into, _corrections_into):
        try:
            read(r, side)
        except PingyiError as error:
            problems.extend(error.problems)
    if r.previous is not None:
        try:
            side.previous = load_previous(r.base_dir / r.previous, r.previous)
        except PingyiError as error:
            problems.extend(error.problems)
    try:
        side.sourced = read_sources(r)
    except PingyiError as error:
        problems.extend(error.problems)
    if problems:
        raise PingyiError(problems)
    return side


def read_adjustments(r: Round) -> Adjustments:
    """The adjustments file as exact numbers per unit, or every problem in it at once.

    Every unit needs its row and every needed cell a number: a gap is an error naming
    the unit, never a silent zero (seed 003 四、集中评议).
    """
    if r.composite is None or r.adjustments is None:
        return {}
    columns = needed_columns(r.composite)
    rows = read_rows(r.base_dir / r.adjustments, r.adjustments, ("unit", *columns))
    known = {u.id for u in r.units}
    found: Adjustments = {}
    problems: list[Problem] = []
    for line, cells in rows:
        unit = cells["unit"]
        if unit not in known:
            problems.append(
                Problem(
                    r.adjustments, line, "unit", "unknown_unit", f"unit '{unit}' is not a unit of the round"
                )
            )
        elif unit in found:
            problems.append(
                Problem(r.adjustments, line, "unit", "duplicate_unit", f"unit '{unit}' has a second row")
            )
        else:
            found[unit] = _numbers(r.adjustments, line, unit, cells, columns, problems)
    problems.extend(
        Problem(r.adjustments, None, "unit", "missing_unit", f"no row for unit '{u.id}' ({u.name})")
        for u in r.units
        if u.id not in found
    )
    if problems:
        raise PingyiError(problems)
    return found


def _numbers(
    display: str,
    line: int,
    unit: str,
    cells: dict[str, str],
    columns: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, Fraction]:
    values: dict[str, Fraction] = {}
    for column in columns:
        try:
            values[column] = to_fraction(cells[column])
        except ValueError:
            problems.append(
                Problem(
                    display,
                    line,
                    column,
                    "not_a_number",
                    f"unit '{unit}': expected a number, got {cells[column]!r}",
                )
            )
    return values


def read_opinions(r: Round) -> tuple[list[Opinion], list[Problem]]:
    """Every opinion of the round in file order, and warnings (rows without text)."""
    if r.opinions is None:
        return [], []
    display = r.opinions.file
    rows = read_rows(r.base_dir / display, display, ("unit", "text"))
    known = {u.id for u in r.units}
    opinions, problems, empty = [], [], 0
    for line, cells in rows:
        unit, text = cells["unit"], cells["text"]
        if unit not in known:
            problems.append(
                Problem(display, line, "unit", "unknown_unit", f"unit '{unit}' is not a unit of the round")
            )
        elif not text:
            empty += 1
        else:
            opinion_class = classify(r.opinions, text)
            opinions.append(
                Opinion(unit, text, opinion_class, cells.get("stratum", ""), cells.get("sheet", ""))
            )
    if problems:
        raise PingyiError(problems)
    warnings = (
        [Problem(display, None, "", "opinion_without_text", f"{empty} rows without text skipped", "warning")]
        if empty
        else []
    )
    return opinions, warnings


def _adjustments_into(r: Round, side: SideInputs) -> None:
    side.adjustments = read_adjustments(r)


def _opinions_into(r: Round, side: SideInputs) -> None:
    side.opinions, warnings = read_opinions(r)
    side.problems.extend(warnings)


CORRECTION_COLUMNS = ("sheet", "unit", "read", "corrected", "reason", "by")


def read_corrections(r: Round) -> list[Correction]:
    """The corrections file in file order, or every problem in it at once.

    ``read`` and ``corrected`` are mark texts as the card reader writes them (mapped
    through the round's ``ballots`` codes like any cell; an empty cell is a blank).
    Whether ``read`` is what the sheet reads is known only while counting
    (pingyi.ballots.corrections); here each row is checked on its own and against the
    rows before it: a sheet, a known unit, a known corrected mark that differs from the
    read one, a reason and who corrected, and one correction per mark. In a round with
    items an ``item`` column names the unit's item. (A numeric scale takes no corrections:
    the round file's check refuses the key.)
    """
    if r.corrections is None:
        return []
    display = r.corrections
    rows = read_rows(r.base_dir / display, display, CORRECTION_COLUMNS)
    codes = mark_codes(r)
    known, items = {u.id for u in r.units}, [i.id for i in r.items]
    first: dict[tuple[str, str], int] = {}
    found: list[Correction] = []
    problems: list[Problem] = []
    for line, cells in rows:
        item = cells.get("item", "")
        wrong = _correction_problems(display, line, cells, codes, known)
        wrong += _item_problems(display, line, item, items)
        mark = (cells["sheet"], cell_id(cells["unit"], item or None))
        if not wrong and mark in first:
            wrong.append(
                Problem(
                    display,
                    line,
                    "unit",
                    "duplicate_correction",
                    f"sheet '{mark[0]}' unit '{mark[1]}' is corrected on line {first[mark]} already "
                    "(one correction per mark)",
                )
            )
        problems.extend(wrong)
        if not wrong:
            first[mark] = line
            values = {c: cells[c] for c in CORRECTION_COLUMNS}
            found.append(Correction(**values, file=display, line=line, item=item or None))
    if problems:
        raise PingyiError(problems)
    return found


def _correction_problems(
    display: str, line: int, cells: dict[str, str], codes: MarkCodes, units: set[str]
) -> list[Problem]:
    problems = [
        Problem(display, line, column, "missing_value", f"no {column} ({what})")
        for column, what in (
            ("sheet", "the id of the sheet corrected"),
            ("unit", "the unit id whose mark is corrected"),
            ("reason", "why the mark is corrected"),
            ("by", "who corrected it"),
        )
        if not cells[column]
    ]
    unit = cells["unit"]
    if unit and unit not in units:
        problems.append(
            Problem(display, line, "unit", "unknown_unit", f"unit '{unit}' is not a unit of the round")
        )
    corrected = cells["corrected"]
    if not _known_mark(codes, corrected):
        expected = ", ".join(sorted(t for t in codes.table if t))
        problems.append(
            Problem(
                display,
                line,
                "corrected",
                "unknown_mark",
                f"'{corrected}' is not a mark of this round (expected one of {expected}, "
                "or an empty cell for a blank)",
            )
        )
    elif codes.code(cells["read"]) == codes.code(corrected):
        problems.append(
            Problem(
                display,
                line,
                "corrected",
                "no_change",
                f"'{cells['read']}' and '{corrected}' are the same mark: the correction changes nothing",
            )
        )
    return problems


def _item_problems(display: str, line: int, item: str, items: list[str]) -> list[Problem]:
    """A round with items corrects a unit's item (an ``item`` column); one without has none."""
    if items and not item:
        return [
            Problem(display, line, "item", "missing_value", f"no item (the round rates {', '.join(items)})")
        ]
    if item and item not in items:
        known = f"one of {', '.join(items)}" if items else "none: the round has no items"
        return [Problem(display, line, "item", "unknown_item", f"'{item}' is not an item (expected {known})")]
    return []


def _known_mark(codes: MarkCodes, text: str) -> bool:
    """A text the round knows: an option or alias, a blank or invalid code, empty (a
    blank), or several option codes joined (``AC``: a multi-mark, invalid)."""
    text = text.strip()
    if not text or text in codes.table:
        return True
    return len(text) > 1 and all(codes.table.get(ch, codes.blank) < codes.blank for ch in text)


def _corrections_into(r: Round, side: SideInputs) -> None:
    side.corrections = read_corrections(r)
