"""Items (评议内容): what each unit is rated on, when a form rates it on several things.

Seed 002 rates every department on four items (比依法行政, 比行政效能, 比工作实绩,
比工作机制), seed 003 on five; 万众评公务 gives five items 100 points each. A round
without ``items`` rates each unit with one overall mark, as before.

The counting core counts *cells*: one per unit without items, one per unit × item with
them (unit-major: all items of the first unit, then the next unit's). A cell is named
``unit`` or ``unit.item`` (the id a form entry, a reject detail or a correction uses);
its wide column is ``ballots.columns[unit]`` without items, and with items
``ballots.item_column`` (``{unit}.{item}``) filled in, ``{unit}`` by
``ballots.columns[unit]`` where that maps the unit, unless ``ballots.columns`` maps the
cell's own id (``u1.law: Q7``).

A form lists unit ids (every item of the unit) or cell ids (``u1.law``: that item only).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from pydantic import field_validator

from pingyi.round.fields import Exact, Id, Section

if TYPE_CHECKING:
    from pingyi.round.models import Ballots, Round

#: The default wide column of a unit × item.
ITEM_COLUMN = "{unit}.{item}"


class Item(Section):
    """评议内容: one thing a unit is rated on, with its weight in the unit's figures."""

    id: Id
    name: str
    weight: Exact = Fraction(1)

    @field_validator("weight")
    @classmethod
    def _positive(cls, weight: Fraction) -> Fraction:
        if weight <= 0:
            raise ValueError("an item's weight must be positive (e.g. 1, 4 or 0.4)")
        return weight


@dataclass(frozen=True)
class Cells:
    """The marked cells of a round's sheets, in counting order."""

    ids: tuple[str, ...]  # "u1" without items, "u1.law" with them
    unit: tuple[int, ...]  # the unit index of each cell
    item: tuple[int, ...]  # the item index of each cell (0 without items)
    items: int  # items per unit (1 without items)

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, unit: int, item: int) -> int:
        return unit * self.items + item


def cell_id(unit_id: str, item_id: str | None) -> str:
    return unit_id if item_id is None else f"{unit_id}.{item_id}"


def round_cells(r: Round) -> Cells:
    """The cells of a round: its units, or its units × items."""
    if not r.items:
        n = len(r.units)
        return Cells(tuple(u.id for u in r.units), tuple(range(n)), (0,) * n, 1)
    ids, units, items = [], [], []
    for i, unit in enumerate(r.units):
        for j, item in enumerate(r.items):
            ids.append(cell_id(unit.id, item.id))
            units.append(i)
            items.append(j)
    return Cells(tuple(ids), tuple(units), tuple(items), len(r.items))


def cell_columns(r: Round) -> list[str]:
    """The wide column of each cell (before matching a file's header)."""
    return [column for _, column in columns_of(r.ballots, [u.id for u in r.units], [i.id for i in r.items])]


def columns_of(ballots: Ballots, unit_ids: list[str], item_ids: list[str]) -> list[tuple[str, str]]:
    """(cell id, wide column) of each cell, in counting order."""
    columns = ballots.columns
    if not item_ids:
        return [(u, columns.get(u, u)) for u in unit_ids]
    template = ballots.item_column
    return [
        (
            cell_id(u, item),
            columns.get(cell_id(u, item))
            or template.replace("{unit}", columns.get(u, u)).replace("{item}", item),
        )
        for u in unit_ids
        for item in item_ids
    ]


def form_entry(entry: str, unit_ids: list[str], item_ids: list[str]) -> list[tuple[str, str | None]] | None:
    """What one form entry lists: [(unit, None)] for a unit id (every item), the matches
    of ``unit.item`` for a cell id; None when it names nothing the round has. Two matches
    (a dotted unit id) mean the entry is ambiguous."""
    if entry in unit_ids:
        return [(entry, None)]
    found: list[tuple[str, str | None]] = []
    for at, ch in enumerate(entry):
        if ch == "." and entry[:at] in unit_ids and entry[at + 1 :] in item_ids:
            found.append((entry[:at], entry[at + 1 :]))
    return found or None
