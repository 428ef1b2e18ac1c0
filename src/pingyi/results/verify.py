"""Verification of a results directory (SPEC ``pingyi verify``).

Three things must hold: every input named in the manifest still has its SHA-256; every
output on disk still has the SHA-256 the manifest recorded; and a fresh tally of those
inputs, in memory, gives the same bytes as each output file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pingyi import __version__
from pingyi.errors import PingyiError, Problem
from pingyi.results import build
from pingyi.results.manifest import file_sha256, resolve_stored, sha256


@dataclass
class Verification:
    inputs: int = 0
    outputs: int = 0
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def verify(results_dir: str | Path) -> Verification:
    directory = Path(results_dir)
    record = _manifest(directory)
    report = Verification(len(record["inputs"]), len(record["outputs"]))
    if record["pingyi_version"] != __version__:
        report.notes.append(f"written by pingyi {record['pingyi_version']}, verified with {__version__}")
    _check_inputs(directory, record, report)
    on_disk = _check_outputs(directory, record, report)
    if any(not _resolve(directory, i).is_file() for i in record["inputs"]):
        return report
    round_input = next(i for i in record["inputs"] if i["role"] == "round")
    ballots = [(_resolve(directory, i), i["given"]) for i in record["inputs"] if i["role"] == "ballots"]
    try:
        lang = record.get("options", {}).get("lang", "zh")
        outcome = build.build(str(_resolve(directory, round_input)), ballots, lang=lang)
    except PingyiError as error:
        report.differences.extend(f"the tally fails now: {p}" for p in error.problems)
        return report
    for name, data in outcome.files.items():
        if name in on_disk and on_disk[name] != data:
            report.differences.append(f"{name}: a fresh tally gives different bytes")
    return report


def _manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    try:
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PingyiError(
            [Problem(str(path), None, "", "bad_manifest", f"not a pingyi manifest: {error}")]
        ) from error
    missing = [key for key in ("inputs", "outputs", "pingyi_version") if key not in record]
    if missing:
        raise PingyiError(
            [
                Problem(
                    str(path),
                    None,
                    missing[0],
                    "bad_manifest",
                    f"not a pingyi manifest: no {', '.join(missing)}",
                )
            ]
        )
    return record


def _resolve(directory: Path, item: dict[str, Any]) -> Path:
    return resolve_stored(item["path"], directory)


def _check_inputs(directory: Path, record: dict[str, Any], report: Verification) -> None:
    for item in record["inputs"]:
        path = _resolve(directory, item)
        if not path.is_file():
            report.differences.append(f"input {item['path']} ({item['role']}) is missing")
        elif file_sha256(path) != item["sha256"]:
            report.differences.append(f"input {item['path']} ({item['role']}) has changed (SHA-256 differs)")


def _check_outputs(directory: Path, record: dict[str, Any], report: Verification) -> dict[str, bytes]:
    on_disk = {}
    for item in record["outputs"]:
        path = directory / item["path"]
        if not path.is_file():
            report.differences.append(f"output {item['path']} is missing")
            continue
        data = path.read_bytes()
        on_disk[item["path"]] = data
        if sha256(data) != item["sha256"]:
            report.differences.append(f"output {item['path']} has changed since it was written")
    return on_disk
