"""The benchmarks' shared round and ballots: a 103-unit, 11-stratum round (like seed 000's
Ningbo round) and wide ballots from ``pingyi simulate``, made once and cached in
benchmarks/data/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
UNITS, STRATA = 103, 11
PINGYI = str(Path(sys.executable).with_name("pingyi"))


def round_file() -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / "round.yaml"
    categories = ["party", "government", "vertical", "public"]
    lines = ["round: bench", "extends: ningbo-weighted", "categories:"]
    lines += [f"  - {{id: {c}, name: {c}, winners: 3}}" for c in categories]
    lines += ["strata:"]
    lines += [f"  - {{id: s{i:02d}, name: 层面{i}, weight: {1 + i % 3}}}" for i in range(STRATA)]
    lines += ["quotas: []", "units:"]
    lines += [f"  - {{id: u{i:03d}, name: 单位{i}, category: {categories[i % 4]}}}" for i in range(UNITS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ballots(sheets: int, round_path: Path) -> Path:
    path = DATA / f"ballots-{sheets}.csv"
    if not path.exists():
        subprocess.run(
            [PINGYI, "simulate", str(round_path), "--sheets", str(sheets), "--seed", "1", "-o", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path
