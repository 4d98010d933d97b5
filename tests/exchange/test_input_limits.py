"""The quick check of an import's input limits (``_plainly_acceptable``, run on every
case) lets through exactly what the full walk (``input_problems``) finds nothing in,
at each limit's edge: a case it wrongly passed would skip a refusal."""

from __future__ import annotations

import pytest

from cpkit import exchange
from cpkit.exchange import (
    MAX_DEPTH,
    MAX_DOCUMENT_CHARS,
    MAX_KEY,
    MAX_STRING,
    _loads,
    _plainly_acceptable,
    input_problems,
)


def nested(levels: int) -> object:
    """A document whose objects and lists are nested ``levels`` deep."""
    value: object = "x"
    for level in range(levels):
        value = {"a": value} if level % 2 else [value]
    return value


CASES = {
    "plain": {"a": ["b", 1, 2.5, True, None, {"c": "d"}]},
    "nesting at the limit": nested(MAX_DEPTH),
    "nesting over the limit": nested(MAX_DEPTH + 1),
    "longest text": {"a": ["x" * MAX_STRING]},
    "text too long": {"a": ["x" * (MAX_STRING + 1)]},
    "longest key": {"k" * MAX_KEY: 1},
    "key too long": {"b": {"k" * (MAX_KEY + 1): 1}},
    "NUL in a text in a list": {"a": [["ok", "n\x00l"]]},
    "NUL in a key": {"a": {"n\x00l": 1}},
    "largest case": {"a": ["x" * MAX_STRING] * (MAX_DOCUMENT_CHARS // MAX_STRING - 1),
                     "b": "y" * (MAX_STRING - 2)},
    "case too large": {"a": ["x" * MAX_STRING] * (MAX_DOCUMENT_CHARS // MAX_STRING),
                       "b": "y"},
}
PARSED = {  # what only the parser makes: refused numbers, repeated keys
    "NaN in a list": '{"a": [1, NaN]}',
    "number too long": '{"a": {"b": 1' + "0" * 40 + "}}",
    "repeated key, nested": '{"a": [{"b": 1, "b": 2}]}',
}


@pytest.mark.parametrize("name", [*CASES, *PARSED])
def test_the_quick_check_passes_what_the_full_walk_passes(name):
    document = CASES[name] if name in CASES else _loads(PARSED[name], name)
    found = input_problems(document)
    assert _plainly_acceptable(document) == (not found)
    assert bool(found) == any(word in name for word in (
        "over", "too", "NUL", "NaN", "repeated")), found


def test_unusual_values_go_to_the_full_walk():
    """A value no parser makes (a caller's own object) is not waved through by the quick
    check; the full walk decides (and finds nothing to refuse in it)."""
    document = {"a": [object()]}
    assert not _plainly_acceptable(document)
    assert exchange.input_problems(document) == []
