"""Whole-process speed and memory of pingyi against DuckDB, polars and the parse floor.

Run on demand (not a test), from a checkout with ``pip install -e '.[bench]'``:

    python benchmarks/bench_whole.py --sheets 10000 1000000 --repeat 3

For each size it makes (once, cached in benchmarks/data/) a 103-unit, 11-stratum round
and its wide ballots with ``pingyi simulate``; then, in paired rounds (each round runs
every contender once, in turn), it times whole processes as a user starts them, with each
process's own peak RSS (``os.wait4``):

- ``pingyi check``:  ``pingyi check round.yaml ballots.csv --format json -q``
- ``pingyi tally``:  ``pingyi tally … -o DIR --format json -q`` (every output, report.xlsx too)
- ``parse floor``:   pyarrow's streaming CSV reader on the read plan issue 15 fixed
                     (8 MB byte ranges, two threads, 4 MB blocks, every column as a
                     string), parse only
- ``duckdb wide``:   ``SELECT stratum, count_if(u='A') … GROUP BY stratum`` over
                     ``read_csv(all_varchar=true)``
- ``polars wide``:   the same query, lazily, with ``scan_csv``
- ``pingyi --help`` and ``pingyi rank`` (on the tally's results), for the start-up costs

and prints the medians (seconds, peak MB) and pingyi's ratios to DuckDB and to the floor.
pingyi's bytecode is written first, as an install writes it (``_compile_pingyi``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from common import PINGYI, UNITS, ballots, round_file  # benchmarks/ is run as scripts

FLOOR = """
import pyarrow as pa, pyarrow.csv as pacsv
from concurrent.futures import ThreadPoolExecutor
import os
path = {csv!r}
header = open(path, "rb").readline()
names = header.decode().strip().split(",")
size, cuts = os.path.getsize(path), [0]
with open(path, "rb") as f:  # 8 MB ranges, each cut just after a newline
    while cuts[-1] + (8 << 20) < size:
        f.seek(cuts[-1] + (8 << 20))
        f.readline()
        if f.tell() >= size:
            break
        cuts.append(f.tell())
ranges = list(zip(cuts, cuts[1:] + [size]))
def read(span):
    start, end = span
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    if start == 0:
        data = data[len(header):]
    rows = 0
    reader = pacsv.open_csv(pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=names, block_size=4 << 20, use_threads=False),
        parse_options=pacsv.ParseOptions(quote_char=False),
        convert_options=pacsv.ConvertOptions(column_types={{n: pa.string() for n in names}}))
    for batch in reader:
        rows += len(batch)
    return rows
with ThreadPoolExecutor(2) as pool:
    total = sum(pool.map(read, ranges))
"""

DUCKDB = """
import duckdb
units = ["u%03d" % i for i in range({units})]
cols = ", ".join(f"count_if({{u}}='{{k}}')" for u in units for k in "ABCD")
query = f"SELECT stratum, {{cols}} FROM read_csv({csv!r}, all_varchar=true) GROUP BY stratum"
rows = duckdb.sql(query).fetchall()
"""

POLARS = """
import polars as pl
units = ["u%03d" % i for i in range({units})]
frame = pl.scan_csv({csv!r}, infer_schema=False)
aggs = [(pl.col(u) == k).sum().alias(f"{{u}}{{k}}") for u in units for k in "ABCD"]
rows = frame.group_by("stratum").agg(aggs).collect()
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the process's own peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def contenders(round_path: Path, csv: Path, out: Path) -> dict[str, list[str]]:
    python = [sys.executable, "-c"]
    found = {
        "pingyi check": [PINGYI, "check", str(round_path), str(csv), "--format", "json", "-q"],
        "pingyi tally": [
            PINGYI,
            "tally",
            str(round_path),
            str(csv),
            "-o",
            str(out),
            "--format",
            "json",
            "-q",
        ],
        "parse floor": [*python, textwrap.dedent(FLOOR.format(csv=str(csv)))],
    }
    for name, module, body in (("duckdb wide", "duckdb", DUCKDB), ("polars wide", "polars", POLARS)):
        if shutil.which(sys.executable) and _importable(module):
            found[name] = [*python, textwrap.dedent(body.format(csv=str(csv), units=UNITS))]
    found["pingyi --help"] = [PINGYI, "--help"]
    found["pingyi rank"] = [PINGYI, "rank", "-c", "party", "--results", str(out), "--format", "csv"]
    return found


def _importable(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def _compile_pingyi() -> None:
    """Write pingyi's bytecode, as ``pip install`` does: an editable checkout run with
    PYTHONDONTWRITEBYTECODE (as here) would otherwise compile ~600 KB of source on every
    run (0.08 s), which no installed pingyi pays."""
    import compileall

    import pingyi

    compileall.compile_dir(str(Path(pingyi.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="contenders to run (names as printed)")
    args = parser.parse_args()
    _compile_pingyi()
    round_path = round_file()
    print(f"{'sheets':>9}  {'contender':<14} {'seconds':>8} {'peak MB':>8}   ratios")
    for sheets in args.sheets:
        csv = ballots(sheets, round_path)
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "results"
            runs = contenders(round_path, csv, out)
            if args.only:
                runs = {k: v for k, v in runs.items() if k in args.only or k == "pingyi tally"}
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
            for _ in range(args.repeat):
                for name, command in runs.items():
                    times[name].append(timed(command))
        medians = {
            n: (statistics.median(s for s, _ in t), statistics.median(m for _, m in t))
            for n, t in times.items()
        }
        duck, floor = medians.get("duckdb wide"), medians.get("parse floor")
        for name, (seconds, peak) in medians.items():
            ratios = []
            if name.startswith("pingyi") and duck and name in ("pingyi check", "pingyi tally"):
                ratios.append(f"{seconds / duck[0]:.2f}× duckdb")
            if name in ("pingyi check", "pingyi tally") and floor:
                ratios.append(f"{seconds / floor[0]:.2f}× floor")
            if name == "pingyi rank" and "pingyi --help" in medians:
                ratios.append(f"{seconds / medians['pingyi --help'][0]:.2f}× --help")
            size = csv.stat().st_size / 1e6
            print(
                f"{sheets:>9}  {name:<14} {seconds:>8.2f} {peak:>8.0f}   {', '.join(ratios)}  ({size:.0f} MB)"
            )


if __name__ == "__main__":
    main()
