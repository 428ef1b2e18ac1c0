"""Read a round file: resolve ``extends``, read the units file, validate, cross-check.

Validation runs section by section (``scale``, ``units``, …) so that one bad section does
not hide the problems of the others, and cross-checks run on every section that is valid:
a round file with five mistakes gets five messages in one run (STYLE 5). Every message
names the file and line that wrote the value, which may be the scheme's file.
"""

from __future__ import annotations

import difflib
import functools
import os
import types
import typing
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from pingyi.errors import PingyiError, Problem, os_problem, refusal
from pingyi.round import schemes
from pingyi.round.checks import cross_check
from pingyi.round.models import ANY_FILE_KEYS, Round
from pingyi.round.tablefile import TABLE_SUFFIXES, read_rows
from pingyi.round.yamlfile import Located, Path_, control_problem, format_path, load_yaml, merge, read_text


def load_round(path: str | os.PathLike[str]) -> Round:
    """Load and validate a round file; raise :class:`PingyiError` listing every problem."""
    path = Path(path)
    display = str(path)
    files: list[Path] = []
    doc = _load_document(path, display, "round", [], files)
    problems = _expand_units_file(doc, path.parent, files)
    values = _validate_sections(doc, display, problems)
    problems.extend(cross_check(values, doc, display, path.parent))
    if problems:
        raise PingyiError(problems)
    if values.get("title") is None:
        values["title"] = values["round"]
    result = Round.model_construct(**values)
    result._base_dir = path.parent
    result._files = tuple(files)
    return result


def load_scheme(name_or_path: str) -> Located:
    """A scheme's merged document (with its own ``extends``), for listing and checks."""
    builtin = schemes.builtin_path(name_or_path)
    path = builtin or Path(name_or_path)
    display = schemes.builtin_display(name_or_path) if builtin else name_or_path
    return _load_document(path, display, "scheme", [], [])


# --- documents and extends ---------------------------------------------------------------


def _load_document(path: Path, display: str, kind: str, stack: list[Path], files: list[Path]) -> Located:
    refused = refusal(path)
    if refused is not None:
        raise PingyiError([os_problem(display, refused)])
    if path.is_dir():
        raise PingyiError([Problem(display, None, "", "not_a_file", "is a folder, not a file")])
    if not path.exists():
        raise PingyiError([Problem(display, None, "", "file_not_found", "file not found")])
    files.append(path.resolve())
    doc = load_yaml(read_text(path, display), display)
    if not isinstance(doc.data, dict):
        raise PingyiError(
            [
                Problem(
                    display,
                    1,
                    "",
                    "wrong_type",
                    f"a {kind} file is a mapping of keys (got {_kind(doc.data)})",
                )
            ]
        )
    _check_kind(doc, display, kind)
    extends = doc.data.pop("extends", None)
    if extends is None:
        return doc
    line = doc.where[("extends",)][1]
    base_path, base_display = _resolve_extends(extends, path, display, line)
    if base_path.resolve() in stack + [path.resolve()]:
        chain = " -> ".join(p.name for p in stack + [path.resolve(), base_path.resolve()])
        raise PingyiError(
            [Problem(display, line, "extends", "extends_cycle", f"extends makes a cycle: {chain}")]
        )
    base = _load_document(base_path, base_display, "scheme", stack + [path.resolve()], files)
    if kind == "round":
        # a scheme's title names the scheme, never a round: a round has its own, or its id
        base.data.pop("title", None)
        base.where.pop(("title",), None)
    return merge(base, doc)


def _check_kind(doc: Located, display: str, kind: str) -> None:
    wrong = "scheme" if kind == "round" else "round"
    if wrong in doc.data:
        line = doc.where[(wrong,)][1]
        expected = (
            "a round names its scheme with 'extends:'"
            if kind == "round"
            else "a file reached by 'extends' must be a scheme, which has no 'round:' key"
        )
        raise PingyiError(
            [
                Problem(
                    display,
                    line,
                    wrong,
                    "unknown_key",
                    f"'{wrong}' does not belong in a {kind} file ({expected})",
                )
            ]
        )
    if kind == "scheme" and "scheme" not in doc.data:
        raise PingyiError(
            [Problem(display, 1, "scheme", "missing_key", "a scheme file starts with 'scheme: NAME'")]
        )


def _resolve_extends(extends: Any, path: Path, display: str, line: int) -> tuple[Path, str]:
    if not isinstance(extends, str) or not extends.strip():
        raise PingyiError(
            [
                Problem(
                    display,
                    line,
                    "extends",
                    "wrong_type",
                    "expected a built-in scheme name or a relative path",
                )
            ]
        )
    relative = path.parent / extends
    refused = refusal(relative)
    if refused is not None:
        raise PingyiError([os_problem(display, refused, line=line, field="extends", named=extends)])
    if relative.is_file():
        return relative, os.path.normpath(os.path.join(os.path.dirname(display), extends))
    builtin = schemes.builtin_path(extends)
    if builtin is not None:
        return builtin, schemes.builtin_display(extends)
    known = schemes.builtin_names()
    hint = _did_you_mean(extends, known)
    raise PingyiError(
        [
            Problem(
                display,
                line,
                "extends",
                "scheme_not_found",
                f"scheme '{extends}' not found{hint} (built-in: {', '.join(known)}; "
                f"or a path relative to {os.path.basename(display)})",
            )
        ]
    )


def _kind(value: Any) -> str:
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        int: "a number",
        float: "a number",
        Fraction: "a number",
        bool: "yes/no",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _shown(value: Any, written: str | None) -> str:
    """A value in a message as the user wrote it (``1.0``, ``yes``), never Python's repr
    (``Fraction(1, 1)``, ``True``): text quoted, a list or mapping by its kind."""
    if isinstance(value, str):
        return f"'{value}'"
    if value is None or isinstance(value, list | dict):
        return _kind(value)
    return written if written else str(value)


# --- units file --------------------------------------------------------------------------


def _expand_units_file(doc: Located, base_dir: Path, files: list[Path]) -> list[Problem]:
    """``units: units.csv`` becomes the list of units, each with its CSV line; the
    problems returned are texts of the file a YAML value could not hold (control
    characters)."""
    units = doc.data.get("units")
    if not isinstance(units, str):
        return []
    path = base_dir / units
    display = str(path)
    _check_table_path(doc, ("units",), path, "units")
    rows = read_rows(path, display, ("id", "name", "category"))
    files.append(path.resolve())
    doc.data["units"] = [{k: row[k] for k in ("id", "name", "category")} for _, row in rows]
    for index, (line, _) in enumerate(rows):
        doc.where[("units", index)] = (display, line)
        for key in ("id", "name", "category"):
            doc.where[("units", index, key)] = (display, line)
    problems = []
    for index, (line, row) in enumerate(rows):
        for key in ("id", "name", "category"):
            wrong = control_problem(row[key])
            if wrong:
                problems.append(
                    Problem(display, line, format_path(("units", index, key)), "control_character", wrong)
                )
    return problems


def _check_table_path(doc: Located, key: Path_, path: Path, what: str) -> None:
    """A side table named in the round file is a CSV or XLSX file that is there.

    Checked before the file is opened, so ``units: /etc/shadow`` is refused by its name
    and nothing of an unrelated file reaches a message.
    """
    file, line = doc.where[key]
    named = doc.data[key[0]]
    refused = refusal(path)
    if refused is not None:
        raise PingyiError([os_problem(file, refused, line=line, field=format_path(key), named=named)])
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise PingyiError(
            [
                Problem(
                    file,
                    line,
                    format_path(key),
                    "bad_value",
                    f"expected a .csv or .xlsx file of {what} (got '{named}')",
                )
            ]
        )
    if not path.exists():
        raise PingyiError(
            [
                Problem(
                    file,
                    line,
                    format_path(key),
                    "file_not_found",
                    f"file '{named}' not found (looked in {path})",
                )
            ]
        )
    if path.is_dir():
        raise PingyiError(
            [Problem(file, line, format_path(key), "not_a_file", f"'{named}' is a folder, not a file")]
        )


# --- validation --------------------------------------------------------------------------


@functools.cache
def _adapter(name: str) -> TypeAdapter[Any]:
    field = Round.model_fields[name]
    annotation: Any = field.annotation
    if field.metadata:
        annotation = typing.Annotated[annotation, *field.metadata]
    return TypeAdapter(annotation)


def _validate_sections(doc: Located, display: str, problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in doc.data:
        if key not in Round.model_fields:
            allowed = [k for k in Round.model_fields if k != "scheme"] + list(ANY_FILE_KEYS)
            problems.append(_unknown_key(doc, display, (key,), allowed))
    for name, field in Round.model_fields.items():
        if name not in doc.data:
            if field.is_required():
                problems.append(
                    Problem(display, None, name, "missing_key", f"required key '{name}' is missing")
                )
            continue
        try:
            values[name] = _adapter(name).validate_python(doc.data[name])
        except ValidationError as exc:
            problems.extend(_problem(err, name, doc, display) for err in exc.errors())
            salvaged = _salvage_items(name, doc.data[name])
            if salvaged is not None:
                values[name] = salvaged
    return values


def _salvage_items(name: str, raw: Any) -> list[Any] | None:
    """The valid items of a list section that failed, ``None`` in place of bad ones.

    Cross-checks then still run on the good units, categories and strata (a bad unit
    must not hide a duplicate id two lines below it).
    """
    element = _element(Round.model_fields[name].annotation)
    if not (isinstance(raw, list) and isinstance(element, type) and issubclass(element, BaseModel)):
        return None
    items: list[Any] = []
    for item in raw:
        try:
            items.append(element.model_validate(item))
        except ValidationError:
            items.append(None)
    return items


def _problem(err: Any, section: str, doc: Located, display: str) -> Problem:
    path: Path_ = (section, *err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return _unknown_key(doc, display, path, _allowed_keys(path[:-1]))
    file, line = doc.locate(path, display)
    if kind == "missing":
        return Problem(file, line, format_path(path), "missing_key", f"required key '{path[-1]}' is missing")
    message = str(err["msg"]).removeprefix("Value error, ")
    value, written = err.get("input"), doc.texts.get(path)
    if message.startswith("Input should be "):
        message = "expected " + message.removeprefix("Input should be ")
        message += f" (got {_shown(value, written)})"
    if isinstance(value, bool) and "string" in message:
        message += "; YAML reads bare yes/no/on/off as true/false, quote the text"
    elif isinstance(value, int | Fraction) and written and "string" in message:
        message += f"; quote it to make it text: '{written}'"
    code = "wrong_type" if kind.endswith(("_type", "_parsing")) else "bad_value"
    return Problem(file, line, format_path(path), code, message)


def _unknown_key(doc: Located, display: str, path: Path_, allowed: list[str]) -> Problem:
    file, line = doc.locate(path, display)
    key = str(path[-1])
    hint = _did_you_mean(key, allowed)
    return Problem(
        file,
        line,
        format_path(path),
        "unknown_key",
        f"unknown key '{key}'{hint} (expected one of: {', '.join(allowed)})",
    )


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f", did you mean '{close[0]}'?" if close else ""


def _allowed_keys(path: Path_) -> list[str]:
    """The keys of the model found at ``path`` inside a Round."""
    current: Any = Round
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            current = _element(current)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            current = current.model_fields[part].annotation
        else:
            current = _element(current)
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _element(annotation: Any) -> Any:
    args = typing.get_args(_unwrap(annotation))
    return args[-1] if args else annotation
