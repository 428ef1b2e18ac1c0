"""Per-option shares as reports print them (SPEC "Per-option shares").

Published 测评 tables print each option's share beside its count, headed by the option's
label and 率: 满意率 / 基本满意率 / 不满意率. A unit's shares are taken as results.json
stores them (``units[].shares``), never recomputed, so a largest-remainder table shows
exactly the digits that add up to 100 % (58.07, not 58.06). A stratum's shares, which
results.json does not store, are formed from its counts the same way, by the engine's
own rule (:mod:`pingyi.engine.shares`).

Where an option is labelled 满意, its share is 满意率 — the heading pingyi already gives
the satisfaction rate (满意 + 基本满意 over the valid marks, seed 002). A table showing
both then heads the rate by what it adds up: ``满意率（满意+基本满意）``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, cast

from pingyi.engine.shares import SharesRounding, exact_shares, shown_shares
from pingyi.numbers import show
from pingyi.report.i18n import word

ROUNDINGS = ("half_up", "truncate", "largest_remainder")


def share_codes(document: dict[str, Any]) -> list[str]:
    """The codes with a share: the valid options, then ``blank`` where blanks are valid."""
    scale = document["scale"]
    codes = [o["code"] for o in scale["options"] if o.get("valid", True)]
    return codes + (["blank"] if scale["blank"].get("valid", True) else [])


def share_label(document: dict[str, Any], code: str) -> str:
    """The label an option (or the blank) is printed with: ``满意``, ``弃权``."""
    scale = document["scale"]
    if code == "blank":
        return str(scale["blank"]["label"])
    return next(str(o["label"]) for o in scale["options"] if o["code"] == code)


def share_headings(document: dict[str, Any], lang: str = "zh") -> list[str]:
    """``满意率``, ``基本满意率``, … in :func:`share_codes` order."""
    return [word("share_of", lang, label=share_label(document, code)) for code in share_codes(document)]


def rate_heading(document: dict[str, Any], lang: str = "zh") -> str:
    """The satisfaction rate's heading beside the shares (and on sheets read with them):
    ``满意率``, or ``满意率（满意+基本满意）`` where an option's share takes that heading."""
    plain = word("rate", lang)
    if plain not in share_headings(document, lang):
        return plain
    satisfied = "+".join(str(o["label"]) for o in document["scale"]["options"] if o.get("satisfied"))
    return word("rate_of", lang, labels=satisfied)


def unit_shares(document: dict[str, Any], unit: dict[str, Any]) -> list[float | None]:
    """The unit's shown shares (0–1) in :func:`share_codes` order, as results.json stores
    them (formed from its counts for a results.json written before shares existed)."""
    stored = unit.get("shares")
    if not isinstance(stored, dict):
        return counted_shares(document, unit["counts"])
    return [_number(stored.get(code)) for code in share_codes(document)]


def counted_shares(document: dict[str, Any], counts: Mapping[str, int]) -> list[float | None]:
    """Shown shares (0–1) of ``counts`` (a stratum's), rounded as the round rounds them."""
    codes = share_codes(document)
    marks = {code: counts.get(code, 0) for code in codes}
    if not all(type(n) is int and n >= 0 for n in marks.values()):
        return [None] * len(codes)  # an edited results.json: no share rather than a wrong one
    exact = exact_shares(marks, codes)
    if exact is None:
        return [None] * len(codes)
    rounding = document.get("shares_rounding")
    places = int(document["precision"]["satisfaction_percent"])
    how = cast(SharesRounding, rounding if rounding in ROUNDINGS else "half_up")
    shown = shown_shares(exact, places, how)
    return [float(shown[code]) for code in codes]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def share_text(value: float | None, places: int) -> str | None:
    """A shown share as 0–1 text with ``places`` decimals of a percent plus two:
    ``0.069`` → ``"0.0690"``, like ``satisfaction_rate`` in scores.csv."""
    if value is None:
        return None
    return show(Fraction(repr(value)), places + 2)
