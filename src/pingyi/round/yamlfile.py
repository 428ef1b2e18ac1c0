"""YAML with line numbers: plain Python data plus where each value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two equal keys.
Here the document is composed into nodes, duplicate keys are reported, and every path of
the data (``("units", 3, "category")``) is mapped to the file and line that wrote it, so
that errors found much later, by pydantic or by cross-checks, still point at a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

import yaml

from pingyi.errors import PingyiError, Problem

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """A data tree, the (file, line) of each path in it, and the text written for each
    value YAML read as other than text (``1.0``, ``yes``, ``~``), for messages: a number
    read as a Fraction is shown as the user wrote it, never as Python's repr."""

    data: Any
    where: dict[Path_, tuple[str, int]] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)

    def locate(self, path: Path_, default_file: str) -> tuple[str, int | None]:
        """The file and line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            hit = self.where.get(tuple(path[:end]))
            if hit is not None:
                return hit
        return default_file, None


def format_path(path: Path_) -> str:
    """``("units", 3, "category")`` -> ``units[3].category``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_text(path: Path, display: str) -> str:
    """Read a text file in UTF-8 (BOM allowed), falling back to GB18030.

    Round files written on Chinese Windows are often GBK; a file that is neither is an
    error naming the file, never a silent replacement of characters.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:  # unreadable (permissions), a folder, a device gone
        reason = error.strerror or str(error)
        raise PingyiError([Problem(display, None, "", "unreadable", f"cannot be read ({reason})")]) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PingyiError([Problem(display, None, "", "encoding", "is neither UTF-8 nor GB18030 text")])


#: Deepest nesting a round file may have: the contract needs five levels, and a bound
#: keeps a hostile file (``[[[[…`` thousands deep) from exhausting Python's stack.
MAX_DEPTH = 50
#: Values that aliases may add to a document. A few reused lists are a few hundred; the
#: "billion laughs" (nine aliases of nine aliases …) is refused before it grows.
ALIAS_BUDGET = 10_000

_CORE = "tag:yaml.org,2002:"
#: Tags a round file may carry, explicit or resolved: text, numbers, yes/no, null, dates
#: (kept as text), ``=`` and ``<<`` (kept as text), lists and mappings. Anything else,
#: ``!!python/…`` above all, is refused: the file is data, never objects.
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")}
_COLLECTION_TAGS: dict[type[yaml.Node], str] = {
    yaml.SequenceNode: _CORE + "seq",
    yaml.MappingNode: _CORE + "map",
}
_AS_TEXT = {_CORE + t for t in ("str", "timestamp", "value", "merge")}
#: Numbers as people write them. YAML 1.1 also reads 0x10, 0o17, 017 (octal 15), 1_000
#: and 1:30 (sexagesimal) as numbers; those stay text, so 017 is 17 where a number is
#: expected, an id 007 keeps its zeros, and 0x10 is an error naming its line.
_DECIMAL_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_DECIMAL_FLOAT = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
#: Control characters (C0 but tab and line feed, DEL, C1) and bidirectional overrides:
#: round texts reach terminals, CSV files and workbooks, where these rewrite the screen
#: or reorder what a reader sees.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_problem(text: str) -> str | None:
    """What is wrong with ``text`` if it holds a control character, else ``None``."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return (
        f"contains the control character U+{ord(found.group()):04X} "
        "(remove it: names and titles reach terminals and spreadsheets)"
    )


def load_yaml(text: str, display: str) -> Located:
    """Parse one YAML document, keeping the line of every key and list item.

    Composition is bounded (nesting, alias expansion) and only plain data tags are
    built, so no file can run code, exhaust memory or the stack, or slip a control
    character into a name.
    """
    try:
        loader = _BoundedLoader(text, display)
    except yaml.reader.ReaderError as exc:
        where = text.count("\n", 0, exc.position) + 1
        message = f"control character U+{exc.character:04X} is not allowed in a round file (remove it)"
        raise PingyiError([Problem(display, where, "", "control_character", message)]) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise PingyiError([Problem(display, line, "", "yaml_syntax", f"YAML syntax: {what}")]) from None
    finally:
        loader.dispose()
    if node is None:
        return Located({})
    located = Located(None)
    problems: list[Problem] = []
    scalars = yaml.SafeLoader("")  # resolves tags: 2 -> int, true -> bool, 0.9 -> float
    located.data = _build(node, (), display, located, problems, scalars)
    if problems:
        raise PingyiError(problems)
    return located


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, composing under :data:`MAX_DEPTH` and :data:`ALIAS_BUDGET`.

    Each composed node's size (nodes under it, aliases expanded) and height are kept, so
    an alias is charged what it will expand to when it is met, in linear time, and is
    refused at its own line before anything is built from it.
    """

    def __init__(self, text: str, display: str) -> None:
        super().__init__(text)
        self.display = display
        self.depth = 0
        self.expanded = 0
        self.sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (size, height)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            self._charge_alias(event)
            return super().compose_node(parent, index)
        if self.depth + 1 > MAX_DEPTH:
            self._refuse(event, "yaml_depth", f"nested deeper than {MAX_DEPTH} levels")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node is None:
            return None
        children = [self.sizes[id(child)] for child in _children(node)]
        self.sizes[id(node)] = (1 + sum(s for s, _ in children), 1 + max((h for _, h in children), default=0))
        return node

    def _charge_alias(self, event: yaml.AliasEvent) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            return  # PyYAML reports the undefined alias
        if id(target) not in self.sizes:
            self._refuse(event, "yaml_alias", f"alias *{event.anchor} is inside its own anchor")
        size, height = self.sizes[id(target)]
        if self.depth + height > MAX_DEPTH:
            self._refuse(event, "yaml_depth", f"alias *{event.anchor} nests deeper than {MAX_DEPTH} levels")
        self.expanded += size
        if self.expanded > ALIAS_BUDGET:
            self._refuse(
                event,
                "yaml_alias",
                f"aliases expand to more than {ALIAS_BUDGET} values (write the values out)",
            )

    def _refuse(self, event: yaml.Event, code: str, message: str) -> NoReturn:
        line = event.start_mark.line + 1 if event.start_mark else None
        raise PingyiError([Problem(self.display, line, "", code, message)])


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _build(
    node: yaml.Node,
    path: Path_,
    display: str,
    out: Located,
    problems: list[Problem],
    scalars: yaml.SafeLoader,
) -> Any:
    if not _tag_allowed(node):
        problems.append(_tag_problem(node, path, display))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(display, line, format_path(path), "yaml_syntax", "a key must be a plain value")
                )
                continue
            if not _tag_allowed(key_node):
                problems.append(_tag_problem(key_node, path, display))
                continue
            reported = len(problems)
            key = _scalar(key_node, path, display, problems, scalars)
            if len(problems) > reported:
                continue
            if key in result:
                first = out.where[path + (key,)][1]
                problems.append(
                    Problem(
                        display,
                        line,
                        format_path(path + (key,)),
                        "duplicate_key",
                        f"key '{key}' appears twice (first on line {first})",
                    )
                )
                continue
            out.where[path + (key,)] = (display, line)
            result[key] = _build(value_node, path + (key,), display, out, problems, scalars)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            out.where[path + (index,)] = (display, item.start_mark.line + 1)
            items.append(_build(item, path + (index,), display, out, problems, scalars))
        return items
    value = _scalar(node, path, display, problems, scalars)
    if not isinstance(value, str):
        out.texts[path] = node.value
    return value


def _scalar(
    node: yaml.Node, path: Path_, display: str, problems: list[Problem], scalars: yaml.SafeLoader
) -> Any:
    """A scalar's value: numbers only from decimal text (a decimal with a point is an exact
    :class:`~fractions.Fraction`, never a binary float); dates, ``=``, ``<<`` and any other
    number stay the text written."""
    text: str = node.value
    kind = node.tag.removeprefix(_CORE)
    if (
        node.tag in _AS_TEXT
        or (kind == "int" and not _DECIMAL_INT.match(text))
        or (kind == "float" and not _DECIMAL_FLOAT.match(text))
    ):
        value: Any = text
    elif kind == "float":
        value = Fraction(text)  # exactly as written: 0.90000000000000000001 is not 9/10
    else:
        try:
            value = scalars.construct_object(node, deep=True)
        except (ValueError, KeyError, yaml.YAMLError):
            line = node.start_mark.line + 1
            message = f"cannot read {text!r} as {kind} (expected a plain value)"
            problems.append(Problem(display, line, format_path(path), "bad_value", message))
            return None
    if isinstance(value, str):
        wrong = control_problem(value)
        if wrong:
            line = node.start_mark.line + 1
            problems.append(Problem(display, line, format_path(path), "control_character", wrong))
    return value


def _tag_allowed(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.tag in _SCALAR_TAGS
    return bool(node.tag == _COLLECTION_TAGS.get(type(node)))


def _tag_problem(node: yaml.Node, path: Path_, display: str) -> Problem:
    tag = str(node.tag)
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return Problem(
        display,
        node.start_mark.line + 1,
        format_path(path),
        "yaml_tag",
        f"tag {shown!r} is not allowed (a round file holds text, numbers, yes/no, "
        "lists and mappings, without tags)",
    )


def merge(base: Located, overlay: Located) -> Located:
    """Overlay one document on another key by key (how a round overrides its scheme).

    Mappings merge recursively; any other value (a list, a scalar) replaces the base's
    whole, together with the base's line numbers under it.
    """
    where = dict(base.where)
    data = _merge_into(base.data, overlay.data, (), where, overlay.where)
    # a value that is not text at a path comes from the document whose text it keeps
    return Located(data, where, {**base.texts, **overlay.texts})


def _merge_into(
    base: Any,
    over: Any,
    path: Path_,
    where: dict[Path_, tuple[str, int]],
    over_where: dict[Path_, tuple[str, int]],
) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            sub = path + (key,)
            if key in base:
                if not (isinstance(base[key], dict) and isinstance(value, dict)):
                    _drop_under(where, sub)
                merged[key] = _merge_into(base[key], value, sub, where, over_where)
            else:
                merged[key] = value
                _copy_under(over_where, where, sub)
            if sub in over_where:
                where[sub] = over_where[sub]
        return merged
    _drop_under(where, path)
    _copy_under(over_where, where, path)
    return over


def _drop_under(where: dict[Path_, tuple[str, int]], path: Path_) -> None:
    n = len(path)
    for key in [k for k in where if len(k) > n and k[:n] == path]:
        del where[key]


def _copy_under(src: dict[Path_, tuple[str, int]], dst: dict[Path_, tuple[str, int]], path: Path_) -> None:
    n = len(path)
    for key, value in src.items():
        if key[:n] == path:
            dst[key] = value
