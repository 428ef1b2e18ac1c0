"""report.xlsx's 渠道 sheet: sheets per channel (paper, 问卷星 …), for rounds that take
online exports (SPEC "Online questionnaires": each sheet keeps its channel).

One row per channel: sheets read, counted and rejected, and the sheets counted per
stratum, as results.json ``sheets.by_channel`` holds them. Rounds without online
sources have no such sheet, so their workbooks stay as they were.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from pingyi.report.i18n import word
from pingyi.report.sheets import fit_columns, for_print, sheet_title, table

CHANNEL_WORDS = {"paper": ("纸质评议表", "paper"), "wjx": ("问卷星", "wjx"), "online": ("网上问卷", "online")}


def channel_name(channel: str, lang: str) -> str:
    zh, en = CHANNEL_WORDS.get(channel, (channel, channel))
    return en if lang == "en" else zh


def channel_sheet(ws: Worksheet, document: dict[str, Any], lang: str, taken: set[str]) -> None:
    """The 渠道 sheet of a round whose results.json has ``sheets.by_channel``."""
    title = "渠道" if lang == "zh" else "Channels"
    ws.title = sheet_title(title, taken)
    strata = document["strata"]
    headers = [title, word("sheets_read", lang), word("sheets_counted", lang), word("sheets_rejected", lang)]
    counted = word("sheets_counted", lang)
    headers += [f"{s['name']}（{counted}）" if lang == "zh" else f"{s['name']} ({counted})" for s in strata]
    rows = [
        [
            channel_name(channel, lang),
            figures["read"],
            figures["counted"],
            figures["rejected"],
            *(figures["counted_by_stratum"][s["id"]] for s in strata),
        ]
        for channel, figures in document["sheets"]["by_channel"].items()
    ]
    table(ws, 1, headers, rows, [None] * len(headers))
    fit_columns(ws)
    for_print(ws, header_row=1, title=f"{document['title']} {title}")
