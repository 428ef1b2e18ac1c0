"""The flags of a unit's standing, in one table: every view draws a flag's words and looks
from here (STYLE 7a), so adding a flag touches this table and nothing else.

The table's order is the order of ``flags`` in results.json. A flag that names an award
list (``categories[].winners`` …) carries the list's key and title; the workbook and the
terminal print one list per such flag, in this order. Colours are plain data (an RGB hex
for the workbook's row fill, a rich style for the terminal) so the engine can import the
ids without loading openpyxl or rich.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Flag:
    """One flag: its id in results.json, its short label (a table cell), its award list
    (key in ``categories[]`` and title) where it has one, and how it looks."""

    id: str
    zh: str
    en: str
    style: str  # rich style of the label on a terminal
    fill: str | None = None  # RGB fill of the row in a workbook; None: no fill
    fill_precedence: int = 0  # a row with several filled flags takes the highest
    list_key: str | None = None  # results.json categories[] key listing the flagged units
    list_zh: str | None = None  # the list's title: 优胜单位
    list_en: str | None = None
    decision_zh: str | None = None  # the decision a feedback workbook answers yes or no
    decision_en: str | None = None

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def list_title(self, lang: str = "zh") -> str:
        """The title of the flag's award list: ``优胜单位`` / ``Winners``."""
        title = self.list_en if lang == "en" else self.list_zh
        if title is None:
            raise KeyError(f"flag {self.id} has no award list")
        return title

    def decision(self, lang: str = "zh") -> str:
        """The decision about a unit, answered 是/否: ``列入重点整改单位``."""
        text = self.decision_en if lang == "en" else self.decision_zh
        if text is None:
            raise KeyError(f"flag {self.id} is not a decision")
        return text

    def listed(self, category: Mapping[str, Any]) -> list[str]:
        """The unit ids on the flag's award list in a category of results.json, in rank order."""
        if self.list_key is None:
            raise KeyError(f"flag {self.id} has no award list")
        return list(category[self.list_key])


FLAGS: tuple[Flag, ...] = (
    Flag(
        "winner",
        "优胜",
        "winner",
        style="bold green",
        fill="C6EFCE",
        fill_precedence=1,
        list_key="winners",
        list_zh="优胜单位",
        list_en="Winners",
        decision_zh="评为优胜单位",
        decision_en="Winner",
    ),
    Flag(
        "last_place",
        "末位",
        "last place",
        style="bold red",
        fill="F8CBAD",
        fill_precedence=4,
        list_key="last_place",
        list_zh="末位单位",
        list_en="Last place",
        decision_zh="列为末位单位",
        decision_en="Last place",
    ),
    Flag(
        "rectification",
        "整改",
        "rectify",
        style="yellow",
        fill="FFE699",
        fill_precedence=3,
        list_key="rectification",
        list_zh="重点整改单位",
        list_en="To rectify",
        decision_zh="列入重点整改单位",
        decision_en="Ordered to rectify",
    ),
    Flag("veto", "否决", "veto", style="magenta", fill="D9D9D9", fill_precedence=2),
    Flag("tie", "并列", "tie", style="cyan"),
    Flag("uncertain", "存疑", "uncertain", style="bold yellow", fill="BDD7EE"),  # any award fill wins
)

#: Flag ids in results.json order.
FLAG_IDS: tuple[str, ...] = tuple(f.id for f in FLAGS)
BY_ID: dict[str, Flag] = {f.id: f for f in FLAGS}
#: Flags that name an award list, in the order the lists are shown.
AWARD_FLAGS: tuple[Flag, ...] = tuple(f for f in FLAGS if f.list_key is not None)


def flag(flag_id: str) -> Flag:
    return BY_ID[flag_id]


def flag_label(flag_id: str, lang: str = "zh") -> str:
    """The short label of a flag in a table cell: ``优胜`` / ``winner``."""
    return BY_ID[flag_id].label(lang)


def row_fill(flags: Sequence[str]) -> str | None:
    """The fill colour of a row carrying ``flags``: the filled flag of highest precedence."""
    filled = [BY_ID[f] for f in flags if f in BY_ID and BY_ID[f].fill is not None]
    if not filled:
        return None
    return max(filled, key=lambda f: f.fill_precedence).fill
