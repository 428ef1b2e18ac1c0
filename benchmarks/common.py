"""The benchmarks' shared round and ballots: a 103-unit, 11-stratum round (like seed 000's
Ningbo round) and wide ballots from ``pingyi simulate``, made once and cached in
benchmarks/data/. Two variants count as many marks a sheet in the other counting paths:
``numeric`` (the same 103 units rated 0–100 in halves, 万众评公务) and ``items`` (26
units × 4 items = 104 unit × item columns on the 2:1:0 scale, seed 002)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
UNITS, STRATA = 103, 11
PINGYI = str(Path(sys.executable).with_name("pingyi"))


#: The marked columns of a sheet in each kind of round (103 units, or 26 units × 4 items).
MARKS = {"options": UNITS, "numeric": UNITS, "items": 104}

_HEADS = {
    "options": ["extends: ningbo-weighted"],
    "numeric": [
        "scale: {numeric: {min: 0, max: 100}}",
        "scoring: {method: weighted_mean}",
        "satisfaction: {satisfied_at_least: 60}",
    ],
    "items": [
        "extends: qianren-2-1-0",
        "items:",
        "  - {id: law, name: 比依法行政, weight: 4}",
        "  - {id: eff, name: 比行政效能, weight: 3}",
        "  - {id: work, name: 比工作实绩, weight: 2}",
        "  - {id: mech, name: 比工作机制, weight: 1}",
    ],
}


def round_file(kind: str = "options") -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / ("round.yaml" if kind == "options" else f"round-{kind}.yaml")
    categories = ["party", "government", "vertical", "public"]
    units = 26 if kind == "items" else UNITS
    lines = ["round: bench", *_HEADS[kind], "categories:"]
    lines += [f"  - {{id: {c}, name: {c}, winners: 3}}" for c in categories]
    lines += ["strata:"]
    lines += [f"  - {{id: s{i:02d}, name: 层面{i}, weight: {1 + i % 3}}}" for i in range(STRATA)]
    lines += ["quotas: []", "units:"]
    lines += [f"  - {{id: u{i:03d}, name: 单位{i}, category: {categories[i % 4]}}}" for i in range(units)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ballots(sheets: int, round_path: Path) -> Path:
    kind = round_path.stem.removeprefix("round").removeprefix("-")
    path = DATA / (f"ballots-{kind}-{sheets}.csv" if kind else f"ballots-{sheets}.csv")
    if not path.exists():
        subprocess.run(
            [PINGYI, "simulate", str(round_path), "--sheets", str(sheets), "--seed", "1", "-o", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path
