"""pingyi (评议): ballot tabulation for democratic appraisal rounds.

The public API is what the command line uses::

    from pingyi import load_round, read_ballots, tally

Names are imported on first use, so ``pingyi --help`` does not load pandas.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "load_round": "pingyi.round.load",
    "PingyiError": "pingyi.errors",
    "Problem": "pingyi.errors",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'pingyi' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
