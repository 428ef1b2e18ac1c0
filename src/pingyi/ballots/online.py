"""Online exports into normalised batches, with the checks paper does not need
(SPEC "Online questionnaires"): one device voting many times, answers clicked through.

A round's exports are read together before counting (:class:`OnlineSheets`), because the
IP limit is a property of all of them: sheets from one IP (the address before the
bracket in ``1.2.3.4(浙江-宁波)``) are taken in submit order (提交答卷时间, then the
sheet number) and those beyond ``online.max_per_ip`` are rejected as ``ip_limit``. Submit
order, not file order, decides, so the rejects do not depend on how the exports are
named or split. A sheet number seen in several exports (an overlapping download) is one
sheet for the limit; its extra copies are ``duplicate`` like a re-scanned paper sheet.
Every sheet an IP submitted counts toward its limit, whatever else is wrong with it.

A sheet answered in under ``online.min_seconds`` is ``too_fast``; a stratum answer that
``strata_answers`` (or a stratum's name or id) does not map is ``unknown_answer``. Among
these, ``ip_limit`` is reported first, then ``too_fast``, then ``unknown_answer``.

An online sheet's id is its channel and number (``wjx:12``), so the numbers of an export
never collide with the ids of paper sheets. Each batch keeps its channel through the
:class:`FileNotes` of its file (channels.py counts per channel).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pingyi.ballots.batch import Batch, Reason
from pingyi.ballots.files import BallotFile, FileNotes, OnlineNotes
from pingyi.ballots.marks import mark_codes
from pingyi.ballots.online_rows import Export, read_export
from pingyi.ballots.sniff import file_kind
from pingyi.errors import PingyiError, Problem
from pingyi.round.models import Round
from pingyi.round.online import is_online, online_round, paper_round

BATCH_ROWS = 20_000
_DURATION = re.compile(
    r"^(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|min|m))?\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s|sec))?$"
)
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})$")
_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?\s*秒?)?$"
)


def seconds_taken(text: str) -> float | None:
    """Seconds from a time-taken cell: ``10秒``, ``1分5秒``, ``1小时2分3秒``, ``65``,
    ``00:01:05``; None for anything else."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    match = _DURATION.match(text)
    if match and any(match.groups()):
        h, m, s = match.groups()
        return int(h or 0) * 3600 + int(m or 0) * 60 + float(s or 0)
    return None


def submit_time(text: str) -> tuple[int, ...] | None:
    """A submit time as a sortable tuple: ``2024/5/6 10:01:02``, ``2024-05-06 10:01``
    (an XLSX date cell reads as the latter form); None for anything else."""
    match = _TIME.match(text.strip())
    if match is None:
        return None
    return tuple(int(part or 0) for part in match.groups())


def ip_address(text: str) -> str:
    """``1.2.3.4(浙江-宁波)`` → ``1.2.3.4``."""
    return re.split(r"[(（]", text, maxsplit=1)[0].strip()


def _number_order(number: str) -> tuple[int, int, str]:
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


@dataclass
class _Verdicts:
    """Per row of one export: the reason known before counting, and its words."""

    preset: np.ndarray  # int8 Reason
    details: dict[int, str]


class OnlineSheets:
    """A round's online exports, read once, with what the IP limit and the time taken
    decide about each of their rows; paper files are read as ``ballots.paper`` says."""

    def __init__(self, r: Round, files: list[BallotFile]) -> None:
        self.r = online_round(r)
        self.codes = mark_codes(self.r)
        self.paper = paper_round(r)
        self.paper_codes = mark_codes(self.paper)
        self.exports: dict[int, Export] = {}
        problems: list[Problem] = []
        for source in files:
            try:
                export = read_export(self.r, self.paper, source, file_kind(source))
            except PingyiError as error:
                problems.extend(error.problems)
                continue
            if export is not None:
                self.exports[source.index] = export
        if problems:
            raise PingyiError(problems)
        self.verdicts = self._verdicts()

    @staticmethod
    def of(r: Round, files: list[BallotFile]) -> OnlineSheets | None:
        """The online sheets of a round that takes exports; None for a paper round."""
        return OnlineSheets(r, files) if is_online(r) else None

    def batches(self, source: BallotFile) -> Generator[Batch, None, FileNotes]:
        """The sheets of one export, in file order; returns what reading noticed."""
        export = self.exports[source.index]
        verdicts = self.verdicts[source.index]
        r, mapping = self.r, export.mapping
        strata = self._strata_lookup()
        channel = mapping.channel
        for first in range(0, len(export), BATCH_ROWS):
            rows = range(first, min(first + BATCH_ROWS, len(export)))
            n = len(rows)
            numbers = export.column(mapping.metadata["sheet"])[first : first + n]
            answers = export.column(mapping.stratum)[first : first + n]
            marks = np.full((n, len(r.units)), self.codes.blank, dtype=np.int8)
            present = sorted(mapping.units)
            if present:
                texts = [
                    pa.array(export.column(mapping.units[u])[first : first + n], pa.string()) for u in present
                ]
                marks[:, present] = self.codes.columns(texts)
            details = {
                row - first: text for row, text in verdicts.details.items() if first <= row < first + n
            }
            yield Batch(
                source.index,
                np.array(export.lines[first : first + n], dtype=np.int64),
                pa.array([f"{channel}:{number}" if number else "" for number in numbers], pa.string()),
                np.array([strata.get(a, -1) for a in answers], dtype=np.int16),
                np.full(n, mapping.form, dtype=np.int16),
                marks,
                pa.array(answers, pa.string()),
                None,
                preset=verdicts.preset[first : first + n].copy(),
                details=details,
            )
        notes = OnlineNotes(
            channel,
            mapping.describe(r),
            np.array(export.lines, dtype=np.int64),
            np.array([strata.get(a, -1) for a in export.column(mapping.stratum)], dtype=np.int16),
        )
        return FileNotes(export.encoding, (), (), export.empty_lines, source.path.stat().st_size, notes)

    def _strata_lookup(self) -> dict[str, int]:
        """Answer text -> stratum index: a stratum's id or name, or ``strata_answers``."""
        index = {s.id: i for i, s in enumerate(self.r.strata)}
        lookup = {s.name.strip(): i for i, s in enumerate(self.r.strata)}
        lookup.update({s.id: i for i, s in enumerate(self.r.strata)})
        for answer, stratum in self.r.ballots.strata_answers.items():
            lookup[answer.strip()] = index[stratum]
        return lookup

    def _verdicts(self) -> dict[int, _Verdicts]:
        online = self.r.ballots.online
        limited = self._ip_limited() if online is not None and online.max_per_ip else {}
        strata = self._strata_lookup()
        verdicts: dict[int, _Verdicts] = {}
        problems: list[Problem] = []
        for file, export in self.exports.items():
            preset = np.zeros(len(export), dtype=np.int8)
            details: dict[int, str] = {}
            mapping = export.mapping
            answers = export.column(mapping.stratum)
            numbers = export.column(mapping.metadata["sheet"])
            ips = export.column(mapping.metadata["ip"]) if limited else []
            seconds = (
                export.column(mapping.metadata["seconds"])
                if online is not None and online.min_seconds
                else []
            )
            for row in range(len(export)):
                if row in export.malformed:
                    preset[row] = Reason.malformed_row
                    details[row] = f"wrong number of fields: {export.malformed[row][:80]}"
                    continue
                place = limited.get((ip_address(ips[row]), numbers[row])) if limited else None
                if place is not None:
                    assert online is not None
                    preset[row] = Reason.ip_limit
                    details[row] = (
                        f"sheet {place} from IP {ip_address(ips[row])} in submit order; "
                        f"online.max_per_ip counts the first {online.max_per_ip}"
                    )
                    continue
                if seconds:
                    assert online is not None and online.min_seconds is not None
                    taken = seconds_taken(seconds[row])
                    if taken is None:
                        problems.append(self._bad_cell(export, row, "seconds", seconds[row]))
                    elif taken < online.min_seconds:
                        preset[row] = Reason.too_fast
                        details[row] = (
                            f"answered in {seconds[row]} ({taken:g} s), under "
                            f"online.min_seconds {online.min_seconds} s"
                        )
                        continue
                if answers[row] not in strata:
                    preset[row] = Reason.unknown_answer
                    details[row] = self._unknown_answer(mapping.stratum, answers[row])
            verdicts[file] = _Verdicts(preset, details)
        if problems:
            raise PingyiError(problems[:20])
        return verdicts

    def _ip_limited(self) -> dict[tuple[str, str], int]:
        """(IP, sheet number) -> its place among the IP's sheets in submit order, for the
        sheets beyond ``max_per_ip``. A sheet number is one sheet however many exports
        hold it (its earliest submit time orders it)."""
        online = self.r.ballots.online
        assert online is not None and online.max_per_ip is not None
        first_seen: dict[tuple[str, str], tuple[tuple[int, ...], tuple[int, int, str]]] = {}
        problems: list[Problem] = []
        for export in self.exports.values():
            meta = export.mapping.metadata
            numbers, ips, times = (export.column(meta[role]) for role in ("sheet", "ip", "submitted"))
            for row in range(len(export)):
                if row in export.malformed or not ips[row].strip() or not numbers[row]:
                    continue
                when = submit_time(times[row])
                if when is None:
                    problems.append(self._bad_cell(export, row, "submitted", times[row]))
                    continue
                key = (ip_address(ips[row]), numbers[row])
                order = (when, _number_order(numbers[row]))
                first_seen[key] = min(first_seen.get(key, order), order)
        if problems:
            raise PingyiError(problems[:20])
        by_ip: dict[str, list[tuple[tuple[tuple[int, ...], tuple[int, int, str]], str]]] = {}
        for (ip, number), order in first_seen.items():
            by_ip.setdefault(ip, []).append((order, number))
        limited: dict[tuple[str, str], int] = {}
        for ip, sheets in by_ip.items():
            for place, (_, number) in enumerate(sorted(sheets), start=1):
                if place > online.max_per_ip:
                    limited[(ip, number)] = place
        return limited

    def _bad_cell(self, export: Export, row: int, role: str, text: str) -> Problem:
        column = export.mapping.metadata[role].strip()
        expected = (
            "a time taken like 10秒, 1分5秒 or 65"
            if role == "seconds"
            else "a submit time like 2024/5/6 10:01:02"
        )
        code = "bad_duration" if role == "seconds" else "bad_time"
        return Problem(export.source.display, export.lines[row], column, code, f"'{text}' is not {expected}")

    def _unknown_answer(self, question: str, answer: str) -> str:
        known = list(self.r.ballots.strata_answers) or [s.name for s in self.r.strata]
        return (
            f"answer '{answer}' to {question.strip()} names no stratum (ballots.strata_answers maps: "
            f"{', '.join(known[:8])})"
        )
