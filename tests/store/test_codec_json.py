"""The stored text of a case (cpkit.store.codec) is written with pydantic-core's JSON
encoder (cpkit.model.json_bytes): the same text as json.dumps but for how a float is
spelt, and every document comes back exactly as it went in."""

from __future__ import annotations

import json

import pytest

from cpkit import crypto
from cpkit.model import json_bytes, snapshot
from cpkit.store import codec
from tests.conftest import CASE_FILES, fixture_document


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("name", CASE_FILES)
def test_a_fixture_is_written_as_json_dumps_writes_it(name):
    document = fixture_document(name)
    assert json_bytes(document).decode("utf-8") == _dumps(document)


def test_texts_and_numbers_of_every_kind_come_back_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("CPKIT_HOME", str(tmp_path))
    key = crypto.current_key(create=True)
    document = {**fixture_document("case_cyrillic_emotional.json"),
                "other_system": {"score": 1e-05, "big": 1e22, "ratio": 0.1, "minus": -0.0,
                                 "count": 12345678901234567890, "whole": 1.0,
                                 "text": "x\x01\x1f\x7f\u2028\"\\/ Ëndrina 🙂 Ђорђе",
                                 "k\ney": [True, False, None]}}
    stored = codec.encode(document, key)
    back = codec.decode(stored, key)
    assert back == document and list(back) == list(document)
    assert _dumps(back) == _dumps(document)  # floats, -0.0 and 1.0 kept as they were
    assert "Ëndrina" not in stored and "1e-05" not in stored  # sealed with the rest


def test_a_float_is_spelt_differently_but_reads_the_same():
    value = {"score": 1e-05}
    assert json_bytes(value) == b'{"score":0.00001}'
    assert json.loads(json_bytes(value)) == json.loads(_dumps(value)) == value


def test_snapshots_tell_apart_what_json_tells_apart():
    document = fixture_document("case_high_physical.json")
    changed = json.loads(json.dumps(document))
    changed["child"]["given_name"] += "a"
    assert snapshot(document) == snapshot(json.loads(json.dumps(document)))
    assert snapshot(changed) != snapshot(document)
    assert snapshot({"a": 1}) != snapshot({"a": 1.0}) != snapshot({"a": True})
