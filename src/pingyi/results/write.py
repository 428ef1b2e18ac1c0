"""Writing a results directory atomically: all of it, or none of it.

Files go to a fresh temporary directory beside the target, which then takes the target's
place by rename; a run that fails before that leaves an older result untouched. A
directory that exists but was not written by pingyi (no manifest.json) is never replaced,
so ``-o .`` cannot delete a working folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pingyi.errors import PingyiError, Problem


def write_directory(target: Path, files: dict[str, bytes]) -> None:
    """Replace ``target`` with a directory holding exactly ``files``."""
    _refuse_foreign(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a results folder is not
    try:
        for name, data in files.items():
            with open(staging / name, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _refuse_foreign(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise PingyiError(
            [
                Problem(
                    str(target),
                    None,
                    "",
                    "not_a_results_dir",
                    "exists and is not a directory; choose another -o",
                )
            ]
        )
    if any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise PingyiError(
            [
                Problem(
                    str(target),
                    None,
                    "",
                    "not_a_results_dir",
                    "exists, is not empty and holds no manifest.json: pingyi "
                    "replaces only its own results directories; choose another -o",
                )
            ]
        )
