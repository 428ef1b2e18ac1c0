"""The round file's keys for sheets collected online (SPEC "Online questionnaires").

问卷星 (wjx) and services like it export one row per answered questionnaire: metadata
columns (the sheet's number, when it was submitted, how long it took, the voter's IP),
then one column per question, a matrix question one column per row. ``ballots.source``
says a round takes such exports; the metadata columns of 问卷星 are known, another
service names them in ``online.columns``. The rest of the online mapping reuses the
``ballots`` keys a paper round has: ``stratum`` is the question whose answer names the
stratum, ``marks`` maps answer texts (or option numbers) to option codes, ``columns``
maps a unit to its column where the row title does not name it.

A round that takes paper files too reads them with ``ballots.paper`` (the paper keys,
defaults ``sheet``/``stratum``): each file's header says which kind it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from pingyi.round.fields import Section

if TYPE_CHECKING:
    from pingyi.round.models import Ballots, Round

#: Where a round's sheets come from: paper (scanned or keyed) or an online export.
Source = Literal["paper", "wjx", "online"]

#: The metadata columns of a 问卷星 export, text or numeric ("按文本"/"按序号").
WJX_COLUMNS = {"sheet": "序号", "submitted": "提交答卷时间", "seconds": "所用时间", "ip": "来自IP"}

#: Answers 问卷星 writes for a question not answered: skipped by the questionnaire's
#: logic (跳过, -3 in the numeric export) or left empty (空, -2). Both are blanks.
WJX_BLANKS = ("(跳过)", "（跳过）", "(空)", "（空）", "-3", "-2")

#: Paper-only keys of ``ballots``: with an online source they go under ``ballots.paper``.
PAPER_ONLY_KEYS = ("layout", "sheet_id", "form", "unit", "mark")


class OnlineColumns(Section):
    """The export's metadata columns (问卷星's are known; another service names its own)."""

    sheet: str | None = Field(None, min_length=1, description="the sheet's number (问卷星: 序号)")
    submitted: str | None = Field(None, min_length=1, description="submit time (提交答卷时间)")
    seconds: str | None = Field(None, min_length=1, description="time taken (所用时间: 10秒, 1分5秒)")
    ip: str | None = Field(None, min_length=1, description="the voter's IP (来自IP: 1.2.3.4(浙江-宁波))")


class Online(Section):
    """Checks paper does not need: one device voting many times, answers clicked through."""

    max_per_ip: int | None = Field(None, ge=1, description="sheets from one IP beyond this: ip_limit")
    min_seconds: int | None = Field(None, ge=1, description="answered in fewer seconds: too_fast")
    columns: OnlineColumns = OnlineColumns()


class OnlineKeys(Section):
    """The ``ballots`` keys of online exports; Ballots extends them. ``paper`` is the
    layout of a mixed round's paper files (a Ballots of its own)."""

    source: Source = "paper"
    strata_answers: dict[str, str] = Field({}, description="stratum answer (text or number) -> stratum id")
    units_by: Literal["name", "id"] = "name"
    online: Online | None = None
    paper: Ballots | None = Field(None, description="the layout of the round's paper files")


def is_online(r: Round) -> bool:
    """Whether the round takes online exports."""
    return r.ballots.source != "paper"


def metadata_columns(b: Ballots) -> dict[str, str]:
    """The export's metadata columns by role (``sheet``, ``submitted``, ``seconds``,
    ``ip``): 问卷星's, with any the round names instead."""
    named = (b.online or Online()).columns.model_dump(exclude_none=True)
    base = dict(WJX_COLUMNS) if b.source == "wjx" else {}
    return {**base, **named}


def paper_round(r: Round) -> Round:
    """The round as its paper files are read: ``ballots`` is ``ballots.paper`` (or the
    paper defaults), so the paper readers need not know online rounds exist."""
    from pingyi.round.models import Ballots

    paper = r.ballots.paper or Ballots()
    copy = r.model_copy(update={"ballots": paper})
    copy._base_dir, copy._files = r.base_dir, r.files
    return copy


def online_round(r: Round) -> Round:
    """The round as its online exports are read: the export's blank answers (跳过, 空)
    join ``blank_codes``, so mark codes come from the same table as paper's."""
    blanks = list(r.ballots.blank_codes) + [t for t in WJX_BLANKS if r.ballots.source == "wjx"]
    ballots = r.ballots.model_copy(update={"blank_codes": blanks})
    copy = r.model_copy(update={"ballots": ballots})
    copy._base_dir, copy._files = r.base_dir, r.files
    return copy
