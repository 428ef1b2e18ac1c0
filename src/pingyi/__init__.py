"""pingyi (评议): ballot tabulation for democratic appraisal rounds.

The public API is what the command line uses (docs/api.md)::

    import pingyi

    t = pingyi.tally("examples/yixing/round.yaml", ["examples/yixing/ballots.csv"])
    t.units            # pandas DataFrame indexed by unit id
    pingyi.write_results(t, "results")

Names are imported on first use, so ``pingyi --help`` loads neither pandas nor pyarrow.
"""

from __future__ import annotations

import os
from typing import Any

__version__ = "0.1.0"

# openpyxl writes XML through lxml when lxml is installed, and the bytes of report.xlsx
# then differ from a machine without it, so `pingyi verify` would fail there. pingyi
# writes its workbooks one way everywhere: openpyxl's own writer.
os.environ["OPENPYXL_LXML"] = "False"

_PUBLIC = {
    "load_round": "pingyi.api",
    "read_ballots": "pingyi.api",
    "tally": "pingyi.api",
    "write_results": "pingyi.api",
    "read_results": "pingyi.api",
    "check": "pingyi.api",
    "CheckReport": "pingyi.api",
    "Tally": "pingyi.results.bundle",
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


def __dir__() -> list[str]:
    return sorted(__all__)
