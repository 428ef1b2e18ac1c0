"""Counting speed and memory: pingyi's counting core against pyarrow parse-only and DuckDB.

Run on demand (not a test):

    python benchmarks/bench_count.py --sheets 10000 100000 1000000 --repeat 3

For each size it makes (once, cached in benchmarks/data/) a 103-unit, 11-stratum round
and its ballots with `pingyi simulate`, then times, in paired runs each in its own
subprocess (so peak RSS is that run's own):

- pingyi:        read_ballots(), the counting core tally uses (unit × stratum × mark)
- arrow-parse:   pyarrow's streaming CSV reader over the same file, parse only
- duckdb-wide:   SELECT stratum, count_if(u='A'), … GROUP BY stratum over
                 read_csv(all_varchar=true)  (only if duckdb is importable)

and prints medians of seconds, sheets/s, marks/s and peak RSS (MB). ``--kinds numeric
items`` times the other counting paths beside the options (pingyi and the parse floor):
numeric marks (103 units rated 0–100 in halves: exact sums per unit × stratum) and items
(26 units × 4 items on the 2:1:0 scale: 104 cells a sheet), e.g.

    python benchmarks/bench_count.py --sheets 1000000 --repeat 1 --kinds options numeric items
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import textwrap

from common import MARKS, UNITS, ballots, round_file  # benchmarks/ is run as scripts

PINGYI = """
from pingyi.round.load import load_round
from pingyi.ballots.count import read_ballots
c = read_ballots(load_round({round!r}), [{csv!r}])
result = {{"read": c.read, "counted": c.counted}}
"""

ARROW = """
import pyarrow.csv as pacsv
rows = 0
for batch in pacsv.open_csv({csv!r}, read_options=pacsv.ReadOptions(block_size=4 << 20)):
    rows += len(batch)
result = {{"rows": rows}}
"""

DUCKDB = """
import duckdb
units = ["u%03d" % i for i in range({units})]
cols = ", ".join(f"count_if({{u}}='{{k}}')" for u in units for k in "ABCD")
sql = f"SELECT stratum, {{cols}} FROM read_csv({csv!r}, all_varchar=true) GROUP BY stratum"
rows = duckdb.sql(sql).fetchall()
result = {{"groups": len(rows)}}
"""

TIMED = """
import json, resource, time
start = time.perf_counter()
{body}
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, **result}}))
"""


def run(body: str) -> dict[str, float]:
    code = TIMED.format(body=textwrap.dedent(body))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", choices=list(MARKS), default=["options"])
    args = parser.parse_args()
    try:
        import duckdb  # noqa: F401

        contenders = {"pingyi": PINGYI, "arrow-parse": ARROW, "duckdb-wide": DUCKDB}
    except ImportError:
        contenders = {"pingyi": PINGYI, "arrow-parse": ARROW}
    print(f"{'sheets':>9} {'what':<20} {'seconds':>8} {'sheets/s':>11} {'marks/s':>12} {'peak MB':>8}")
    for sheets in args.sheets:
        for kind in args.kinds:
            round_path = round_file(kind)
            csv = ballots(sheets, round_path)
            chosen = (
                contenders if kind == "options" else {k: contenders[k] for k in ("pingyi", "arrow-parse")}
            )
            times: dict[str, list[dict[str, float]]] = {name: [] for name in chosen}
            for _ in range(args.repeat):  # paired: each round runs every contender once
                for name, body in chosen.items():
                    times[name].append(run(body.format(round=str(round_path), csv=str(csv), units=UNITS)))
            size = csv.stat().st_size / 1e6
            for name, runs in times.items():
                seconds = statistics.median(r["seconds"] for r in runs)
                peak = statistics.median(r["peak_mb"] for r in runs)
                what = name if kind == "options" else f"{name} {kind}"
                print(
                    f"{sheets:>9} {what:<20} {seconds:>8.2f} {sheets / seconds:>11,.0f} "
                    f"{sheets * MARKS[kind] / seconds:>12,.0f} {peak:>8.0f}   ({size:.0f} MB file)"
                )


if __name__ == "__main__":
    main()
