"""A stored case read without validating it again (:meth:`cpkit.model.Case.from_stored`,
what ``cpkit show`` reads) is the case validation makes: equal, with the same fields
set, unknown keys and values of the same types; a document that is not as the store
writes it gets the model's own error; and the read builds no validator."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys

import pytest
from pydantic import BaseModel, ValidationError

from cpkit import model
from cpkit.demo import generate_cases
from cpkit.model import Case
from tests.conftest import FIXTURES


def fixture_documents() -> list[dict]:
    found = []
    for path in sorted(FIXTURES.glob("case*.json*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            found += [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            found += data if isinstance(data, list) else [data]
    return found


def rich_document() -> dict:
    """Every kind of field: datetimes (UTC, an offset, none), progress reports with
    actions, an aliased key (``from``), unknown keys in nested parts, a closure."""
    document = json.loads((FIXTURES / "case_closed.json").read_text(encoding="utf-8"))
    document["x_other_system"] = {"id": 7}
    document["consent"]["do_not_disclose"] = [
        {"what": "The new address", "from": "police_community", "x_note": "asked by the mother"}]
    meeting = document["meetings"][0]
    meeting["progress_reports"] = [{"agency": "education", "submitted_on": "2026-03-28",
                                    "actions": [{"id": "a1", "status": "done",
                                                 "cannot_comply": False}]}]
    meeting["invited"] = [{"agency": "education", "answer": "attending",
                           "answered_on": "2026-03-25"}]
    meeting["minutes_acknowledged"] = [{"agency": "education", "on": "2026-04-02"}]
    meeting["status"] = "held"
    meeting["time"] = "09:30"
    document["chronology"] = [{"date": "2026-05-02", "what": "Court hearing", "source": "CSW"}]
    document["acknowledgements"] = [
        {"rule": "closure.views", "by": "blerta", "at": "2026-07-03T10:15:00Z"},
        {"rule": "closure.consulted", "field": "closure", "by": "blerta",
         "at": "2026-07-03T12:15:00+02:00", "note": "consulted by phone"},
        {"rule": "risk.age", "by": "blerta", "at": "2026-07-03T10:15:30.250000"}]
    document["closure"]["agencies_consulted"] = [{"agency": "education", "on": "2026-06-30"}]
    return document


def documents() -> list[dict]:
    demo = [c.to_document() for c in generate_cases(120, seed=5, today=dt.date(2026, 11, 22))]
    found = [*fixture_documents(), rich_document(), *json.loads(json.dumps(demo, default=str))]
    for document in found:
        document.pop("derived", None)  # the export's, not the case's
    return found


def same(validated: object, read: object, path: str = "case") -> None:
    """Equal all the way down: values and their types (a datetime's offset too), the
    fields set, the unknown keys, the private attributes."""
    assert type(validated) is type(read), path
    if isinstance(validated, BaseModel):
        assert validated.model_fields_set == read.model_fields_set, path
        assert validated.__pydantic_extra__ == read.__pydantic_extra__, path
        assert validated.__pydantic_private__ == read.__pydantic_private__, path
        for name in type(validated).model_fields:
            same(getattr(validated, name), getattr(read, name), f"{path}.{name}")
    elif isinstance(validated, list):
        assert len(validated) == len(read), path
        for i, (a, b) in enumerate(zip(validated, read, strict=True)):
            same(a, b, f"{path}[{i}]")
    else:
        assert validated == read, path
        if isinstance(validated, dt.datetime):
            assert validated.utcoffset() == read.utcoffset(), path


def test_a_stored_case_is_read_as_validation_makes_it():
    checked = 0
    for document in documents():
        kept = copy.deepcopy(document)
        validated, read = Case.model_validate(document), model._construct(Case, document)
        assert read == validated
        same(validated, read)
        assert read.to_document() == validated.to_document() == document
        assert document == kept  # the document is not changed by the read
        checked += 1
    assert checked > 120


BAD = [  # (where, value): a document the store does not write
    ("training", "yes"),
    ("referral.date", "2026-02-30"),
    ("referral.date", 20260203),
    ("assessment.risk_factors.site_of_injury", "severe"),
    ("assessment.risk_factors.x_unknown", "low"),  # a closed part refuses unknown keys
    ("meetings", {"date": "2026-03-31"}),
    ("meetings.0.kind", None),
    ("meetings.0.participants.0", "Agim"),
    ("referral", None),
    ("child.languages", "sq"),
    ("acknowledgements", [{"rule": "r", "by": "b", "at": "yesterday"}]),
    ("acknowledgements", [{"rule": "r", "at": "2026-07-03T10:15:00Z"}]),  # no "by"
]


@pytest.mark.parametrize(("where", "value"), BAD)
def test_a_document_not_as_stored_gets_the_models_own_error(where, value):
    document = json.loads((FIXTURES / "case_closed.json").read_text(encoding="utf-8"))
    *path, last = where.split(".")
    part = document
    for key in path:
        part = part[int(key)] if isinstance(part, list) else part[key]
    part[int(last) if isinstance(part, list) else last] = value
    with pytest.raises(ValidationError) as validated:
        Case.model_validate(document)
    with pytest.raises(ValidationError) as read:
        Case.from_stored(document)
    assert read.value.errors() == validated.value.errors()


def test_limits_are_checked_on_write_not_again_on_read():
    """What the stored read leaves to the write: lengths and patterns (the store wrote
    the document within them)."""
    document = json.loads((FIXTURES / "case_minimal.json").read_text(encoding="utf-8"))
    document["referral"]["concern"] = "x" * (model.TEXT_MAX + 1)
    with pytest.raises(ValidationError):
        Case.model_validate(document)
    assert Case.from_stored(document).referral.concern == document["referral"]["concern"]


def test_every_field_of_every_part_has_a_stored_read():
    """A new kind of field (a union, a number) fails here, not in ``cpkit show``."""
    parts = model.parts()
    assert Case in parts and len(parts) >= 23
    for part in parts:
        model._plan(part)


def test_the_models_validators_only_refuse():
    """The stored read skips the model's own validators; that is right only while they
    refuse without changing a value (``Case._no_repeats``).  A validator that changes a
    value must be applied by :func:`cpkit.model.read_stored` too."""
    found = {}
    for part in model.parts():
        decorators = part.__pydantic_decorators__
        for kind in ("validators", "field_validators", "root_validators",
                     "field_serializers", "model_serializers", "model_validators"):
            found.update({f"{part.__name__}.{name}": kind
                          for name in getattr(decorators, kind)})
    assert found == {"Case._no_repeats": "field_validators"}


def validators_built_after(code: str) -> list[str]:
    """The parts whose validator a new process has built once it ran ``code`` (with
    ``model`` imported and the rich document read as ``document``)."""
    script = ("import json, sys\nfrom cpkit import model\ndocument = json.load(sys.stdin)\n"
              f"{code}\n"
              "print(json.dumps([p.__name__ for p in model.parts() if p.__pydantic_complete__]))")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(rich_document()),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_a_stored_read_builds_no_validator():
    """Building the 23 parts' validators was most of ``cpkit show``'s start."""
    assert validators_built_after("model.Case.from_stored(document)") == []


def test_validators_built_ahead_are_the_ones_validation_uses():
    model.build_validators()
    parts = model.parts()
    assert all(part.__pydantic_complete__ for part in parts)
    document = rich_document()
    assert Case.model_validate(document).to_document() == document
