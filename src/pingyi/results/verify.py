"""Verification of a results directory (SPEC ``pingyi verify``, "Audit").

What the outputs are is decided from the inputs, never from the manifest's own list: the
tally is run again, in memory, from the inputs the manifest names, and every file that run
writes must be on disk with the same bytes and be listed in the manifest with its
SHA-256. So removing an output's entry from the manifest, or adding a file to the
directory, is found. Besides: every input must still have its SHA-256, and a previous
round's results directory must itself still verify (its manifest's hashes hold).

A result written by another pingyi version is rebuilt with that version's stamp in
results.json, so a version bump alone never fails verification; it is noted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pingyi import __version__
from pingyi.errors import PingyiError
from pingyi.results import build
from pingyi.results.digests import file_sha256
from pingyi.results.manifest import changed_outputs, read_manifest, resolve_stored, sha256

MANIFEST = "manifest.json"
#: Failures of this machine, not of the inputs: verify stops on them (exit 2) rather than
#: report the results as differing.
MACHINE_PROBLEMS = frozenset({"temp_space"})


@dataclass
class Verification:
    inputs: int = 0
    outputs: int = 0
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def verify(results_dir: str | Path) -> Verification:
    directory = Path(results_dir)
    record = read_manifest(directory)
    report = Verification(len(record["inputs"]))
    written_by = str(record.get("pingyi_version", "?"))
    if written_by != __version__:
        report.notes.append(f"written by pingyi {written_by}, verified with {__version__}")
    _check_inputs(directory, record, report)
    report.differences.extend(changed_outputs(directory, record))
    if any(not _resolve(directory, i).is_file() for i in record["inputs"]):
        return report
    round_input = next((i for i in record["inputs"] if i["role"] == "round"), None)
    if round_input is None:
        report.differences.append("the manifest names no round file")
        return report
    ballots = [
        (_resolve(directory, i), str(i.get("given", i["path"])))
        for i in record["inputs"]
        if i["role"] == "ballots"
    ]
    options = record.get("options")
    lang = options.get("lang") if isinstance(options, dict) else None
    lang = lang if lang in ("zh", "en") else "zh"
    try:
        operator = options.get("operator") if isinstance(options, dict) else None
        fresh = build.build(
            str(_resolve(directory, round_input)),
            ballots,
            lang=lang,
            version=written_by,
            operator=operator if isinstance(operator, str) else None,
            confidence=_replicates(options),
        )
    except PingyiError as error:
        if any(p.code in MACHINE_PROBLEMS for p in error.problems):
            raise  # this machine cannot run the tally: no verdict on the results either way
        report.differences.extend(f"the tally fails now: {p}" for p in error.problems)
        return report
    _compare(directory, record, fresh.files, report)
    return report


def _compare(directory: Path, record: dict[str, Any], files: dict[str, bytes], report: Verification) -> None:
    listed = {item["path"]: item["sha256"] for item in record["outputs"]}
    report.outputs = len(files)
    for name, data in files.items():
        path = directory / name
        if not path.is_file() or path.is_symlink():
            missing = f"output {name} is missing"
            if missing not in report.differences:  # said already by the manifest's check
                report.differences.append(f"output {name} is missing or not a plain file")
            continue
        same = path.read_bytes() == data
        if not same:
            report.differences.append(f"{name}: a fresh tally gives different bytes")
        if name not in listed:
            report.differences.append(f"output {name} is not listed in the manifest")
        elif same and listed[name] != sha256(data):  # the file holds, its record does not
            report.differences.append(f"output {name}: the manifest records another SHA-256")
    expected = set(files) | {MANIFEST}
    for name in sorted(set(listed) - set(files)):
        report.differences.append(f"the manifest lists {name}, which the tally does not write")
    for path in sorted(directory.iterdir()):
        if path.name not in expected and path.name not in listed:
            report.differences.append(f"{path.name} is in the directory, but the tally does not write it")


def _resolve(directory: Path, item: dict[str, Any]) -> Path:
    return resolve_stored(item["path"], directory)


def _check_inputs(directory: Path, record: dict[str, Any], report: Verification) -> None:
    for item in record["inputs"]:
        path = _resolve(directory, item)
        if not path.is_file():
            report.differences.append(f"input {item['path']} ({item['role']}) is missing")
        elif file_sha256(path) != item["sha256"]:
            report.differences.append(f"input {item['path']} ({item['role']}) has changed (SHA-256 differs)")
        elif item["role"] in ("previous", "component"):
            previous = path.parent
            try:
                changed = changed_outputs(previous, read_manifest(previous))
            except PingyiError as error:
                changed = [str(p) for p in error.problems]
            report.differences.extend(f"{item['role']} results {item['path']}: {c}" for c in changed)


def _replicates(options: object) -> int | None:
    value = options.get("confidence") if isinstance(options, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
