"""A ballot file's header: which column holds the sheet id, the stratum, the form and each unit.

The round names the columns (``ballots.sheet_id``, ``ballots.stratum``, ``ballots.form``,
``ballots.columns`` for units whose column is not their id). A column the round needs and
the file lacks is an error on line 1 naming it; a header of one column holding another
delimiter is reported as a wrong delimiter, the commonest cause.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from pingyi.ballots.files import BallotFile
from pingyi.round.models import Round


@dataclass(frozen=True)
class Columns:
    """Where a wide file's columns are, by the names in its header."""

    sheet: str
    stratum: str
    form: str | None
    units: dict[int, str]  # unit index -> column name present in the file
    missing_units: tuple[int, ...]
    unused: tuple[str, ...]  # header names the round does not read

    @property
    def read(self) -> list[str]:
        """The columns read, fixed ones first."""
        return [self.sheet, self.stratum] + ([self.form] if self.form else []) + list(self.units.values())


def columns(r: Round, source: BallotFile, header: list[str]) -> Columns:
    """Map the round's columns onto a wide file's header (names already trimmed)."""
    b = r.ballots
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise source.problem("duplicate_column", f"column '{name}' appears twice", line=1, column=name)
        seen.add(name)
    fixed = [b.sheet_id, b.stratum] + ([b.form] if b.form else [])
    missing = [c for c in fixed if c not in seen]
    if missing:
        raise source.problem(
            "missing_column", missing_message(missing, header, b.delimiter), line=1, column=missing[0]
        )
    wanted = {i: b.columns.get(u.id, u.id) for i, u in enumerate(r.units)}
    units = {i: c for i, c in wanted.items() if c in seen}
    absent = tuple(i for i in wanted if i not in units)
    if absent and not r.forms:
        names = ", ".join(f"{wanted[i]} ({r.units[i].id})" for i in absent[:8])
        more = f" and {len(absent) - 8} more" if len(absent) > 8 else ""
        raise source.problem(
            "missing_column",
            f"no column for unit(s) {names}{more} (map unit ids to the file's columns in ballots.columns)",
            line=1,
            column=wanted[absent[0]],
        )
    used = set(fixed) | set(units.values())
    unused = tuple(c for c in header if c not in used)
    return Columns(b.sheet_id, b.stratum, b.form, units, absent, unused)


def require(source: BallotFile, header: list[str], names: list[str], delimiter: str) -> None:
    """Every one of ``names`` is in the header (the long layout's fixed columns)."""
    missing = [n for n in names if n not in header]
    if missing:
        raise source.problem(
            "missing_column", missing_message(missing, header, delimiter), line=1, column=missing[0]
        )


def missing_message(missing: list[str], header: list[str], delimiter: str) -> str:
    text = f"missing column(s) {', '.join(missing)} (header has: {', '.join(header[:10])}"
    text += ", …)" if len(header) > 10 else ")"
    if len(header) == 1:
        for other in (";", "\t", "|", "，", ","):
            if other != delimiter and other in header[0]:
                shown = {"\t": "tab"}.get(other, other)
                return (
                    f"wrong delimiter: the header is one column '{header[0][:60]}'; the file "
                    f"seems to use '{shown}' (set ballots.delimiter)"
                )
    return text


def csv_header(source: BallotFile, sample: bytes, encoding: str, delimiter: str) -> list[str]:
    """The header's names, trimmed; an empty header is an error."""
    names = raw_header(sample, encoding, delimiter)
    if not "".join(names).strip():
        raise source.problem("empty_file", "has no header row", line=1)
    return [h.strip() for h in names]


def raw_header(sample: bytes, encoding: str, delimiter: str) -> list[str]:
    """The header's names as pyarrow reads them (not stripped): later ranges are given
    these, since they do not start with the header."""
    text = sample.decode(encoding, errors="ignore").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    return next(csv.reader([first], delimiter=delimiter)) if first else [""]
