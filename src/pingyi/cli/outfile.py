"""Files a command writes on request (``check --rejects``): never over an input, never
over an existing file without ``--force``, and never half-written."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pingyi.errors import PingyiError, Problem, refuse_os


def refuse_overwrite(path: Path, force: bool, inputs: Iterable[Path]) -> None:
    """Raise unless ``path`` may be written: the system takes its name, its folder exists,
    it is not one of the run's ``inputs``, and it does not exist yet (or ``force``)."""
    refuse_os(path)
    problem = _why_not(path, force, inputs)
    if problem:
        raise PingyiError([Problem(str(path), None, "", "output_refused", problem)])


def _why_not(path: Path, force: bool, inputs: Iterable[Path]) -> str | None:
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    if path.is_dir():
        return "is a folder; give a file name"
    if path.exists():
        resolved = path.resolve()
        if any(resolved == p.resolve() for p in inputs if p.exists()):
            return "is an input of this run; it is never overwritten"
        if not force:
            return "exists; give --force to replace it"
    return None
