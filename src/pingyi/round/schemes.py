"""Where the built-in schemes (计分办法) live, and their names.

The repository keeps them in the top-level ``schemes/`` folder; the wheel carries the
same files as package data at ``pingyi/schemes`` (pyproject's force-include). An editable
install of a source checkout has no package copy, so the checkout's folder is used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def schemes_dir() -> Path:
    """The folder of built-in ``*.yaml`` schemes."""
    packaged = Path(str(resources.files("pingyi"))) / "schemes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemes"


def builtin_names() -> list[str]:
    """The names ``extends:`` accepts without a path, sorted."""
    return sorted(p.stem for p in schemes_dir().glob("*.yaml"))


def builtin_path(name: str) -> Path | None:
    """The file of a built-in scheme, or ``None``: only a name :func:`builtin_names` lists
    (so ``../x`` or a name over 255 bytes is never a path to probe)."""
    return schemes_dir() / f"{name}.yaml" if name in builtin_names() else None


def builtin_display(name: str) -> str:
    """How error messages name a built-in scheme's file."""
    return f"<pingyi>/schemes/{name}.yaml"
