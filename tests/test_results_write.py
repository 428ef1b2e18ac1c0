"""Replacing a results directory on Linux: the two folders are swapped in one step
(renameat2), found without running a program (ctypes.util.find_library runs ldconfig)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pingyi.results.write import _exchange

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")


def test_two_folders_are_swapped_in_one_step_without_a_subprocess(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("no subprocess while replacing results")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    new, old = tmp_path / "new", tmp_path / "old"
    new.mkdir()
    old.mkdir()
    (new / "results.json").write_text("new", encoding="utf-8")
    (old / "results.json").write_text("old", encoding="utf-8")
    assert _exchange(new, old) is True
    assert (old / "results.json").read_text(encoding="utf-8") == "new"
    assert (new / "results.json").read_text(encoding="utf-8") == "old"
