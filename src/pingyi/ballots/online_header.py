"""An online export's header: which column is the sheet number, the submit time, the time
taken, the IP, the stratum question and each unit (SPEC "Online questionnaires").

问卷星 heads a question's column ``N、题目`` and a matrix question's rows ``N、题目(行标题)``
(text export) or ``第N题(行标题)`` (numeric export). With ``units_by: name`` a unit's column
is the one whose bracketed row title is the unit's name (``units_by: id``: its id);
``ballots.columns`` maps a unit to a column explicitly. Everything is matched after
trimming spaces (exports keep the spaces a questionnaire's author typed).

What is recognised is returned as an :class:`OnlineMapping`, which ``pingyi check`` shows,
so a user sees the mapping before the count. What cannot be counted right is an error
naming the headers: a unit two headers match, a unit no header matches, and paper-style
columns (a unit id, a ``sheet`` column) in an export, which mean paper sheets were pasted
into it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from pingyi.ballots.files import BallotFile
from pingyi.errors import PingyiError, Problem
from pingyi.round.models import Round
from pingyi.round.online import metadata_columns

CLOSING = {")": "(", "）": "（"}
_Report = Callable[[str, str, str], None]  # how the helpers add a problem: code, column, message
ROLE_WORDS = {"sheet": "sheet id", "submitted": "submitted", "seconds": "seconds", "ip": "IP"}


@dataclass(frozen=True)
class OnlineMapping:
    """What an export's header was recognised as; headers are the file's own names."""

    channel: str  # the round's ballots.source: wjx or online
    metadata: dict[str, str]  # role (sheet, submitted, seconds, ip) -> header
    stratum: str
    units: dict[int, str]  # unit index -> header
    form: int = 0  # the round's form the export's units make up (0 without forms)
    ignored: tuple[str, ...] = ()

    def describe(self, r: Round) -> dict[str, object]:
        """The mapping as ``pingyi check`` shows it (and its JSON)."""
        return {
            "channel": self.channel,
            **{role: self.metadata[role].strip() if role in self.metadata else None for role in ROLE_WORDS},
            "stratum": self.stratum.strip(),
            "form": list(r.forms)[self.form] if r.forms else None,
            "units": [
                {"unit": r.units[i].id, "name": r.units[i].name, "column": column.strip()}
                for i, column in sorted(self.units.items())
            ],
            "ignored": [name.strip() for name in self.ignored],
        }


def row_title(header: str) -> str | None:
    """The bracketed row title at the end of a matrix column's header, or None:
    ``2、请评价(市委办公室)`` → ``市委办公室``; brackets may be full-width and nested
    (``第3题(人民银行（宜兴支行）)`` → ``人民银行（宜兴支行）``)."""
    text = header.strip()
    if not text or text[-1] not in CLOSING:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if char in CLOSING:
            depth += 1
        elif char in CLOSING.values():
            depth -= 1
            if depth == 0:
                title = text[i + 1 : -1].strip()
                return title if i > 0 and title else None
    return None


def is_export(r: Round, header: list[str]) -> bool:
    """Whether a header is an online export's: it has the sheet-number and submit-time
    columns of the round's source (问卷星: 序号, 提交答卷时间)."""
    names = {h.strip() for h in header}
    columns = metadata_columns(r.ballots)
    needed = [columns[role] for role in ("sheet", "submitted") if role in columns]
    return bool(needed) and all(name.strip() in names for name in needed)


def paper_columns_present(paper: Round, header: list[str]) -> bool:
    """Whether a header has a paper file's sheet-id and stratum columns."""
    names = {h.strip() for h in header}
    b = paper.ballots
    return b.sheet_id in names and b.stratum in names


def neither_error(r: Round, paper: Round, source: BallotFile, header: list[str]) -> PingyiError:
    """A file of an online round that is neither an export nor a paper file."""
    columns = metadata_columns(r.ballots)
    online = ", ".join(columns[role] for role in ("sheet", "submitted") if role in columns)
    shown = ", ".join(h.strip() for h in header[:8]) + (", …" if len(header) > 8 else "")
    return source.problem(
        "missing_column",
        f"is neither a {_service(r)} export (no {online} columns) nor a paper file (no "
        f"{paper.ballots.sheet_id}, {paper.ballots.stratum} columns; ballots.paper names them); "
        f"header has: {shown}",
        line=1,
    )


def online_mapping(r: Round, paper: Round, source: BallotFile, header: list[str]) -> OnlineMapping:
    """Map the round's online keys onto an export's header; every problem of the header
    is reported at once."""
    b = r.ballots
    problems: list[Problem] = []

    def problem(code: str, column: str, message: str) -> None:
        problems.append(Problem(source.display, 1, column, code, message))

    named: dict[str, str] = {}
    twice: list[str] = []  # an error where the name is read (below), else just ignored
    for original in header:
        name = original.strip()
        if name in named:
            twice.append(name)
        elif name:
            named[name] = original
    columns = metadata_columns(b)
    needed = _needed_roles(r)
    missing = [name for role, name in columns.items() if role in needed and name.strip() not in named]
    if missing:
        problem(
            "missing_column",
            missing[0],
            f"missing column(s) {', '.join(missing)} of a {_service(r)} export "
            f"(header has: {_shown(list(named))})",
        )
    columns = {role: name for role, name in columns.items() if name.strip() in named}
    if b.stratum.strip() not in named:
        problem("missing_column", b.stratum, _no_stratum(b.stratum.strip(), list(named)))
    fixed = {name.strip() for name in columns.values()} | {b.stratum.strip()}
    units, ambiguous = _unit_columns(r, named, fixed, problem)
    form = _form(r, set(units) | ambiguous, problem)
    used = fixed | {named_.strip() for named_ in units.values()}
    titles = {u.name.strip() for u in r.units} | {u.id for u in r.units}
    for name in dict.fromkeys(twice):
        if name in used or row_title(name) in titles:
            problem("duplicate_column", name, f"column '{name}' appears twice (after trimming spaces)")
    _refuse_paper_columns(r, paper, named, used, problem)
    if problems:
        raise PingyiError(problems)
    ignored = tuple(original for name, original in named.items() if name not in used)
    metadata = {role: named[name.strip()] for role, name in columns.items()}  # those present
    return OnlineMapping(b.source, metadata, named[b.stratum.strip()], units, form, ignored)


def _needed_roles(r: Round) -> set[str]:
    """The metadata an export must have: its sheet numbers, and what the round's online
    checks read (the IP and submit time for the IP limit, the time taken for too_fast)."""
    online = r.ballots.online
    needed = {"sheet"}
    if online is not None and online.max_per_ip is not None:
        needed |= {"ip", "submitted"}
    if online is not None and online.min_seconds is not None:
        needed.add("seconds")
    return needed


def _unit_columns(
    r: Round, named: dict[str, str], fixed: set[str], problem: _Report
) -> tuple[dict[int, str], set[int]]:
    """unit index -> header: explicit ``ballots.columns`` first, then row titles; and the
    units that several headers match (each an error already)."""
    b = r.ballots
    units: dict[int, str] = {}
    explicit: set[str] = set()
    for i, unit in enumerate(r.units):
        wanted = b.columns.get(unit.id)
        if wanted is None:
            continue
        if wanted.strip() not in named:
            problem(
                "missing_column",
                wanted,
                f"no column '{wanted.strip()}' for unit {unit.id} (ballots.columns.{unit.id}); "
                f"header has: {_shown(list(named))}",
            )
            continue
        units[i] = named[wanted.strip()]
        explicit.add(wanted.strip())
    key = {u.id: u.name if b.units_by == "name" else u.id for u in r.units}
    by_title: dict[str, list[int]] = {}
    for i, unit in enumerate(r.units):
        if i not in units:
            by_title.setdefault(key[unit.id].strip(), []).append(i)
    matches: dict[int, list[str]] = {}
    ambiguous: set[int] = set()
    for name, original in named.items():
        if name in fixed or name in explicit:
            continue
        title = row_title(name)
        for i in by_title.get(title or "", []):
            matches.setdefault(i, []).append(original)
    for i, found in sorted(matches.items()):
        unit = r.units[i]
        if len(found) > 1:
            both = " and ".join(f"'{h.strip()}'" for h in found)
            problem(
                "ambiguous_column",
                found[0].strip(),
                f"unit {unit.id} ({unit.name}) is the row title of columns {both}: map it to one of "
                f"them in ballots.columns",
            )
            ambiguous.add(i)
            continue
        units[i] = found[0]
    taken: dict[str, int] = {}
    for i, column in sorted(units.items()):
        if column in taken:
            other = r.units[taken[column]]
            problem(
                "ambiguous_column",
                column.strip(),
                f"units {other.id} and {r.units[i].id} both read column '{column.strip()}' "
                "(two units with one name? map them in ballots.columns)",
            )
        taken[column] = i
    return units, ambiguous


def _form(r: Round, present: set[int], problem: _Report) -> int:
    """The form the units an export has columns for make up.

    A questionnaire lists every unit (without forms), or exactly the units of one form:
    a unit with no column is an error, since sheets would silently not rate it."""
    if not r.forms:
        absent = [i for i in range(len(r.units)) if i not in present]
        if absent:
            what = "name" if r.ballots.units_by == "name" else "id"
            names = ", ".join(f"{r.units[i].id} ({r.units[i].name})" for i in absent[:8])
            more = f" and {len(absent) - 8} more" if len(absent) > 8 else ""
            problem(
                "missing_column",
                r.units[absent[0]].name,
                f"no column for unit(s) {names}{more}: no header's bracketed row title is the unit's "
                f"{what} (map it in ballots.columns)",
            )
        return 0
    index = {u.id: i for i, u in enumerate(r.units)}
    for f, on_form in enumerate(r.forms.values()):
        if {index[u] for u in on_form} == present:
            return f
    closest = []
    for form_id, on_form in r.forms.items():
        lacking = [u for u in on_form if index[u] not in present]
        extra = [r.units[i].id for i in sorted(present) if r.units[i].id not in on_form]
        closest.append(
            f"{form_id}: lacks {', '.join(lacking) or 'none'}, has {', '.join(extra) or 'none'} too"
        )
    problem(
        "missing_column",
        "",
        f"the export's {len(present)} unit columns are not the units of one form ({'; '.join(closest)})",
    )
    return 0


def _refuse_paper_columns(
    r: Round, paper: Round, named: dict[str, str], used: set[str], problem: _Report
) -> None:
    """A column headed like a paper file's (sheet, stratum, a unit id or name) in an
    export means paper sheets were pasted into it: their rows would be read as online
    sheets. An error, naming the columns."""
    b = paper.ballots
    paper_like = {b.sheet_id, b.stratum} | {u.id for u in r.units} | {u.name.strip() for u in r.units}
    paper_like |= set(b.columns.values())
    found = [name for name in named if name in paper_like and name not in used]
    if found:
        problem(
            "mixed_layout",
            found[0],
            f"a {_service(r)} export with paper-style column(s) {', '.join(found)}: put paper sheets "
            "in a file of their own (read with ballots.paper), or remove these columns",
        )


def _no_stratum(stratum: str, names: list[str]) -> str:
    number = re.match(r"^(\d+)\s*[、.．]", stratum)
    close = [n for n in names if number and re.match(rf"^{number.group(1)}\s*[、.．]", n)]
    close = close or difflib.get_close_matches(stratum, names, n=1, cutoff=0.5)
    hint = f", did you mean '{close[0]}'?" if close else ""
    return (
        f"no column '{stratum}' (ballots.stratum, the question whose answer names the stratum){hint} "
        f"(header has: {_shown(names)})"
    )


def _service(r: Round) -> str:
    return "问卷星" if r.ballots.source == "wjx" else "online"


def _shown(names: list[str]) -> str:
    return ", ".join(names[:10]) + (", …" if len(names) > 10 else "")
