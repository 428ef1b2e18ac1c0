"""Composition of the counted sheets: quotas (seed 002: service objects ≥ 60 %) and the
sheets issued per stratum (more counted than issued voids the round)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from pingyi.ballots.count import BallotCounts
from pingyi.numbers import plain


@dataclass(frozen=True)
class QuotaStatus:
    label: str
    strata: tuple[str, ...]
    count: int
    share: Fraction
    required: str  # the lines, exactly: ``≥ 60%``, ``≥ 60.5%`` (never rounded onto another line)
    met: bool
    missed: tuple[Literal["<", ">"], Fraction] | None  # the first share line the share misses


@dataclass(frozen=True)
class IssuedStatus:
    stratum: str
    issued: int
    read: int
    counted: int

    @property
    def return_rate(self) -> Fraction:
        return Fraction(self.read, self.issued) if self.issued else Fraction(0)

    @property
    def over_issued(self) -> bool:
        """More sheets counted than were handed out: the round is void (政协 rule)."""
        return self.counted > self.issued


def quota_status(counts: BallotCounts) -> list[QuotaStatus]:
    """Each quota of the round against the counted sheets, exactly."""
    r = counts.round
    total = counts.counted
    index = {s.id: i for i, s in enumerate(r.strata)}
    result = []
    for quota in r.quotas:
        count = int(sum(counts.sheets_by_stratum[index[s]] for s in quota.strata))
        share = Fraction(count, total) if total else Fraction(0)
        checks, words = [], []
        missed: list[tuple[Literal["<", ">"], Fraction]] = []
        if quota.min_share is not None:
            checks.append(share >= quota.min_share)
            words.append(f"≥ {_exact_percent(quota.min_share)}")
            missed += [("<", quota.min_share)] if not checks[-1] else []
        if quota.max_share is not None:
            checks.append(share <= quota.max_share)
            words.append(f"≤ {_exact_percent(quota.max_share)}")
            missed += [(">", quota.max_share)] if not checks[-1] else []
        if quota.min_count is not None:
            checks.append(count >= quota.min_count)
            words.append(f"≥ {quota.min_count}")
        if quota.max_count is not None:
            checks.append(count <= quota.max_count)
            words.append(f"≤ {quota.max_count}")
        label = quota.label or "+".join(quota.strata)
        first_missed = missed[0] if missed else None
        result.append(
            QuotaStatus(label, tuple(quota.strata), count, share, ", ".join(words), all(checks), first_missed)
        )
    return result


def _exact_percent(line: Fraction) -> str:
    """A quota's line as a percentage, exactly: ``60%``, ``60.5%`` (rounded to a whole
    percent, 60.5 % read as 61 %, and a 60.2 % share missing it read as a contradiction)."""
    return plain(line * 100) + "%"


def issued_status(counts: BallotCounts) -> list[IssuedStatus]:
    """Sheets read and counted against sheets issued, for strata that say ``issued``."""
    return [
        IssuedStatus(s.id, s.issued, int(counts.read_by_stratum[i]), int(counts.sheets_by_stratum[i]))
        for i, s in enumerate(counts.round.strata)
        if s.issued is not None
    ]
