"""results.json's encoder (results/jsontext.py) writes the text ``json.dumps(...,
ensure_ascii=False, indent=2)`` writes, for generated documents and for the values it
leaves to the standard library."""

from __future__ import annotations

import json
from enum import IntEnum

from hypothesis import given
from hypothesis import strategies as st

from pingyi.results.jsontext import dumps_indented

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from('"\\\n\t\x00\x1f\u2028')
    ),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


def _standard(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@given(DOCUMENTS)
def test_documents_are_the_text_json_dumps_writes(document):
    assert dumps_indented(document) == _standard(document)


class _Rank(IntEnum):
    FIRST = 1


def test_other_values_go_to_the_standard_library():
    """Tuples, keys that are not text and int subclasses are json.dumps's to write."""
    for value in ({"a": (1, 2.5)}, {1: "one", None: [True]}, [_Rank.FIRST], {"deep": [{"k": ()}]}):
        assert dumps_indented(value) == _standard(value)
