"""The README's promises: its test command is the one CI runs, its commands exist."""

from __future__ import annotations

import re

from pingyi.cli.main import cli

from .conftest import ROOT


def _quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    install_and_run, install_and_test = _quick_start()
    assert install_and_run.startswith("pip install . && pingyi ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install_and_test in ci


def test_quick_start_runs_on_a_shipped_example():
    command = _quick_start()[0].split("&& ", 1)[1].split()
    for argument in command[2:]:
        assert (ROOT / argument).is_file(), argument


def test_readme_lists_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `pingyi (\w+)", readme, flags=re.M))
    assert listed == set(cli.commands)
