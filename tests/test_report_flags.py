"""One table of flags (pingyi.flags): every view draws a flag's words and looks from it."""

from __future__ import annotations

import dataclasses

import pytest

from pingyi import flags as flag_table
from pingyi.engine.result import FLAGS as ENGINE_FLAGS
from pingyi.flags import AWARD_FLAGS, FLAG_IDS, FLAGS, flag_label, row_fill
from pingyi.report.i18n import word
from pingyi.report.sheets import flag_fill


def test_flag_ids_are_results_json_order_and_the_engine_uses_them():
    assert FLAG_IDS == ("winner", "last_place", "rectification", "veto", "tie", "uncertain")
    assert ENGINE_FLAGS is FLAG_IDS


def test_labels_lists_and_looks():
    assert [(f.zh, f.en, f.style, f.fill) for f in FLAGS] == [
        ("优胜", "winner", "bold green", "C6EFCE"),
        ("末位", "last place", "bold red", "F8CBAD"),
        ("整改", "rectify", "yellow", "FFE699"),
        ("否决", "veto", "magenta", "D9D9D9"),
        ("并列", "tie", "cyan", None),
        ("存疑", "uncertain", "bold yellow", "BDD7EE"),
    ]
    assert [(f.list_key, f.list_title("zh"), f.list_title("en")) for f in AWARD_FLAGS] == [
        ("winners", "优胜单位", "Winners"),
        ("last_place", "末位单位", "Last place"),
        ("rectification", "重点整改单位", "To rectify"),
    ]
    assert [word(f.list_key or "", "zh") for f in AWARD_FLAGS] == ["优胜单位", "末位单位", "重点整改单位"]
    assert flag_label("last_place", "en") == "last place"


@pytest.mark.parametrize(
    ("flags", "colour"),
    [
        (["winner", "last_place"], "F8CBAD"),
        (["winner", "rectification"], "FFE699"),
        (["winner", "veto"], "D9D9D9"),
        (["winner", "tie"], "C6EFCE"),
        (["tie"], None),
        (["tie", "uncertain"], "BDD7EE"),
        (["last_place", "uncertain"], "F8CBAD"),
        ([], None),
    ],
)
def test_row_fill_takes_the_flag_of_highest_precedence(flags, colour):
    assert row_fill(flags) == colour
    fill = flag_fill(flags)
    assert (fill.fgColor.rgb[-6:] if fill else None) == colour


def test_a_new_flag_in_the_table_reaches_every_view(monkeypatch):
    """Adding a flag touches one place: the table (here patched) is all the views read."""
    new = dataclasses.replace(FLAGS[-1], id="revisit", zh="复核", en="revisit", fill="BDD7EE")
    monkeypatch.setitem(flag_table.BY_ID, "revisit", new)
    assert flag_label("revisit") == "复核"
    assert row_fill(["revisit"]) == "BDD7EE"
