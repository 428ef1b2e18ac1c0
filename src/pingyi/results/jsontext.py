"""JSON text with a two-space indent, exactly as ``json.dumps(value, ensure_ascii=False,
indent=2)`` writes it, in half the time.

With an indent, the standard library encodes through nested Python generators (its C
encoder only writes compact JSON): 15 ms of a city round's results.json. This encoder
writes the same text for the types a results document holds (dicts with text keys,
lists, text, exact ints, floats, booleans, None), escaping text with the standard
library's own C function; anything else is left to ``json.dumps``.
tests/test_results_jsontext.py compares both on generated documents.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INFINITY = float("inf")


class _Other(Exception):
    """A value this encoder does not write (a tuple, a non-text key, an int subclass)."""


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``."""
    parts: list[str] = []
    try:
        _encode(value, 0, parts.append)
    except _Other:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(parts)


def _encode(value: Any, level: int, write: Any) -> None:
    kind = type(value)
    if kind is str:
        write(encode_basestring(value))
    elif value is None:
        write("null")
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif kind is int:
        write(int.__repr__(value))
    elif kind is float:
        if value != value:
            write("NaN")
        elif value == _INFINITY:
            write("Infinity")
        elif value == -_INFINITY:
            write("-Infinity")
        else:
            write(float.__repr__(value))
    elif kind is dict:
        if not value:
            write("{}")
            return
        inner = "\n" + "  " * (level + 1)
        opening = "{"
        for key, item in value.items():
            if type(key) is not str:
                raise _Other
            write(f"{opening}{inner}{encode_basestring(key)}: ")
            opening = ","
            _encode(item, level + 1, write)
        write("\n" + "  " * level + "}")
    elif kind is list:
        if not value:
            write("[]")
            return
        inner = "\n" + "  " * (level + 1)
        opening = "["
        for item in value:
            write(opening + inner)
            opening = ","
            _encode(item, level + 1, write)
        write("\n" + "  " * level + "]")
    else:
        raise _Other
