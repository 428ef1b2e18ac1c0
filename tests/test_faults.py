"""A tally killed at any point (SIGKILL, as a power cut or an impatient operator) never
leaves the previous results directory unreadable or half-written, and the next run
cleans up after it (issue 10, "Done when").

To land the kills inside the short write phase, the killed processes get a
``sitecustomize`` (on their PYTHONPATH only) that makes every ``os.fsync`` slow and marks
when writing begins; each is killed at a random moment after that mark: while staging
files are written, around the swap, or after it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pingyi

from .conftest import EXAMPLES

PINGYI = str(Path(sys.executable).with_name("pingyi"))
OUTPUTS = {"results.json", "scores.csv", "strata.csv", "rejects.csv", "report.xlsx", "manifest.json"}
SLOW_FSYNC = """\
import os, time
_fsync = os.fsync
def fsync(fd):
    marker = os.environ["PINGYI_TEST_MARKER"]
    if not os.path.exists(marker):
        open(marker, "w").close()
    time.sleep(0.05)
    _fsync(fd)
os.fsync = fsync
"""


def _wait_for(path: Path, limit: float = 20.0) -> None:
    end = time.monotonic() + limit
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.005)


def test_a_killed_tally_leaves_old_or_new_results_whole_and_the_next_run_cleans_up(tmp_path):
    shutil.copytree(EXAMPLES / "siwei", tmp_path / "siwei")
    round_file, ballots = tmp_path / "siwei" / "round.yaml", tmp_path / "siwei" / "ballots.csv"
    old = pingyi.tally(round_file, ballots)
    lines = ballots.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = tmp_path / "changed.csv"
    changed.write_text("".join(lines[:-40]), encoding="utf-8")
    new = pingyi.tally(round_file, changed)
    assert new.files["results.json"] != old.files["results.json"]
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_FSYNC, encoding="utf-8")
    delays = [random.Random(2026 + i).uniform(0.0, 0.5) for i in range(3)]
    targets, runs = [], []
    for i in range(len(delays)):
        target = tmp_path / "out" / f"r{i}"
        pingyi.write_results(old, target)
        env = {**os.environ, "PYTHONPATH": str(hooks), "PINGYI_TEST_MARKER": str(tmp_path / f"mark{i}")}
        command = [PINGYI, "tally", str(round_file), str(changed), "-o", str(target), "-q", "--format", "csv"]
        runs.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        targets.append(target)
    for i, (delay, run) in enumerate(zip(delays, runs, strict=True)):
        _wait_for(tmp_path / f"mark{i}")
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.wait()
    for target in targets:
        files = {p.name: p.read_bytes() for p in target.iterdir()}
        assert set(files) == OUTPUTS, target.name
        written = old if files["results.json"] == old.files["results.json"] else new
        assert {name: files[name] for name in written.files} == written.files, target.name
    for target in targets:
        pingyi.write_results(new, target)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r0", "r1", "r2"]
