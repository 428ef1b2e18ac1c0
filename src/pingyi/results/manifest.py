"""manifest.json: what went in and what came out, with SHA-256, so a result can be proved.

Paths are stored relative to the results directory (POSIX separators), so a round folder
moved or copied whole still verifies; a built-in scheme is named ``<pingyi>/schemes/…``.
The manifest is the only output that carries the time and the command line.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pingyi import __version__
from pingyi.errors import PingyiError, Problem
from pingyi.results.digests import file_sha256
from pingyi.results.format import MANIFEST_FORMAT, TOOL
from pingyi.round.models import Round
from pingyi.round.schemes import builtin_display, schemes_dir

BUILTIN = "<pingyi>/schemes/"


@dataclass(frozen=True)
class Input:
    role: str  # round, scheme, units, adjustments, opinions, previous, component, corrections, ballots
    path: Path
    display: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def round_inputs(r: Round, round_file: str, ballots: list[tuple[Path, str]]) -> list[Input]:
    """Every file a tally read: the round and its schemes and units file, side files, ballots."""
    inputs = [Input("round", Path(round_file).resolve(), round_file)]
    builtin = schemes_dir().resolve()
    for path in r.files[1:]:
        if path.parent == builtin:
            inputs.append(Input("scheme", path, builtin_display(path.stem)))
        else:
            role = "units" if path.suffix.lower() in (".csv", ".xlsx", ".xlsm") else "scheme"
            inputs.append(Input(role, path, os.path.relpath(path)))
    if r.adjustments:
        inputs.append(Input("adjustments", (r.base_dir / r.adjustments).resolve(), r.adjustments))
    if r.opinions:
        inputs.append(Input("opinions", (r.base_dir / r.opinions.file).resolve(), r.opinions.file))
    if r.previous:
        inputs.append(
            Input(
                "previous", (r.base_dir / r.previous / "results.json").resolve(), f"{r.previous}/results.json"
            )
        )
    for component in r.composite.components if r.composite else []:
        if component.source == "results" and component.path:
            results = (r.base_dir / component.path / "results.json").resolve()
            inputs.append(Input("component", results, f"{component.path}/results.json"))
    if r.corrections:
        inputs.append(Input("corrections", (r.base_dir / r.corrections).resolve(), r.corrections))
    inputs.extend(
        Input("ballots", path.resolve(), display)
        for path, display in sorted(ballots, key=lambda b: str(b[0].resolve()))
    )
    return inputs


def stored_path(path: Path, results_dir: Path) -> str:
    """How the manifest names a file: relative to the results directory, or built-in."""
    builtin = schemes_dir().resolve()
    if path.parent == builtin:
        return BUILTIN + path.name
    return Path(os.path.relpath(path, results_dir.resolve())).as_posix()


def resolve_stored(text: str, results_dir: Path) -> Path:
    """The file a manifest path names, for ``pingyi verify``."""
    if text.startswith(BUILTIN):
        return schemes_dir() / text[len(BUILTIN) :]
    return (results_dir / text).resolve()


def make_manifest(
    results_dir: Path,
    inputs: list[Input],
    outputs: dict[str, bytes],
    command: list[str] | None,
    options: dict[str, Any],
) -> dict[str, Any]:
    """``options`` are those that change an output's bytes (the report's language), so
    ``pingyi verify`` can run the same tally."""
    return {
        "tool": TOOL,
        "format_version": MANIFEST_FORMAT,
        "pingyi_version": __version__,
        "command": command,
        "options": options,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "inputs": [
            {
                "role": i.role,
                "path": stored_path(i.path, results_dir),
                "given": i.display,
                "bytes": i.path.stat().st_size,
                "sha256": file_sha256(i.path),
            }
            for i in inputs
        ],
        "outputs": [
            {"path": name, "bytes": len(data), "sha256": sha256(data)} for name, data in outputs.items()
        ],
    }


def is_pingyi_manifest(record: Any) -> bool:
    """Whether ``record`` is a manifest pingyi wrote: its tool name and format, or (written
    before the tool name was recorded) format 1 with pingyi's own keys."""
    if not isinstance(record, dict):
        return False
    lists = isinstance(record.get("inputs"), list) and isinstance(record.get("outputs"), list)
    if record.get("tool") == TOOL:
        return lists and record.get("format_version") == MANIFEST_FORMAT
    return lists and record.get("format_version") == 1 and isinstance(record.get("pingyi_version"), str)


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a results directory, checked to be pingyi's own and well formed."""
    path = directory / "manifest.json"
    try:
        record = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as error:
        raise _bad(path, "no manifest.json: not a results directory written by 'pingyi tally'") from error
    except OSError as error:
        raise _bad(path, f"cannot read: {error.strerror}") from error
    except (ValueError, RecursionError) as error:
        raise _bad(path, f"not a pingyi manifest: {error}") from error
    if not is_pingyi_manifest(record):
        raise _bad(path, "not a pingyi manifest (no tool, format_version, inputs and outputs)")
    for key in ("inputs", "outputs"):
        for index, item in enumerate(record[key]):
            if not (
                isinstance(item, dict)
                and isinstance(item.get("path"), str)
                and isinstance(item.get("sha256"), str)
                and (key == "outputs" or isinstance(item.get("role"), str))
            ):
                raise _bad(
                    path,
                    "expected {path, sha256" + (", role" if key == "inputs" else "") + "}",
                    f"{key}[{index}]",
                )
    return dict(record)


def changed_outputs(directory: Path, record: dict[str, Any]) -> list[str]:
    """The outputs a manifest lists that are missing or no longer have their SHA-256."""
    changed = []
    for item in record["outputs"]:
        path = directory / item["path"]
        if not _inside(path, directory) or not path.is_file():
            changed.append(f"output {item['path']} is missing")
        elif file_sha256(path) != item["sha256"]:
            changed.append(f"output {item['path']} has changed since it was written (SHA-256 differs)")
    return changed


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().parent == directory.resolve()


def _bad(path: Path, message: str, field: str = "") -> PingyiError:
    return PingyiError([Problem(str(path), None, field, "bad_manifest", message)])


#: Inputs that are other rounds' results directories (their results.json).
RESULTS_ROLES = ("previous", "component")


def results_chain(inputs: list[Input]) -> list[Path]:
    """Every results directory this round reads, directly or through the rounds it reads
    (a chain lower → upper → city), each once, in the order first reached."""
    seen: list[Path] = []
    todo = [i.path.parent for i in inputs if i.role in RESULTS_ROLES]
    while todo:
        directory = todo.pop(0).resolve()
        if directory in seen:
            continue
        seen.append(directory)
        try:
            record = read_manifest(directory)
        except PingyiError:
            continue
        for item in record["inputs"]:
            if item.get("role") in RESULTS_ROLES:
                todo.append(resolve_stored(item["path"], directory).parent)
    return seen


def changed_inputs(directory: Path, record: dict[str, Any]) -> list[str]:
    """The inputs a manifest lists that are missing or no longer have their SHA-256."""
    changed = []
    for item in record["inputs"]:
        path = resolve_stored(item["path"], directory)
        if not path.is_file():
            changed.append(f"input {item['path']} is missing")
        elif file_sha256(path) != item["sha256"]:
            changed.append(f"input {item['path']} has changed (SHA-256 differs)")
    return changed
