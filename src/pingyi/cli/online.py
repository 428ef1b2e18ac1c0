"""What ``pingyi check`` prints about online exports: how each export's header was
mapped (so a user sees the mapping before the count) and the sheets per channel."""

from __future__ import annotations

from typing import Any

from pingyi.cli.output import echo, print_table

CHANNEL_COLUMNS = [("channel", "channel 渠道"), ("read", "读入"), ("counted", "有效"), ("rejected", "无效")]
ROLES = [
    ("sheet", "sheet id"),
    ("submitted", "submitted"),
    ("seconds", "seconds"),
    ("ip", "IP"),
    ("stratum", "stratum"),
    ("form", "form"),
]


def show_mapping(file: dict[str, Any]) -> None:
    """One export's mapping: its metadata and stratum columns, each unit's column, and
    the columns not read."""
    mapping = file["mapping"]
    echo(f"{file['file']}: {mapping['channel']} export")
    for role, words in ROLES:
        if mapping.get(role) is not None:
            echo(f"  {words}: {mapping[role]}")
    print_table(mapping["units"], [("unit", "unit"), ("name", "名称"), ("column", "column")])
    echo(f"  ignored: {', '.join(mapping['ignored']) or 'none'}")


def show_channels(channels: dict[str, dict[str, Any]]) -> None:
    rows = [{"channel": name, **figures} for name, figures in channels.items()]
    print_table(rows, CHANNEL_COLUMNS, title="各渠道 sheets per channel")
