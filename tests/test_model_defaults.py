"""A part a document leaves out is made by :func:`cpkit.model._blank`: the same object
``model_construct()`` makes (each field at its default, none marked as given), without
pydantic asking each default factory for its signature on every call."""

from __future__ import annotations

import inspect

import pytest

from cpkit.model import Assessment, CarePlan, Case, Child, ConsentRecord, RiskFactors, _blank

PARTS = [Assessment, CarePlan, Child, ConsentRecord, RiskFactors]


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.__name__)
def test_a_left_out_part_is_what_model_construct_makes(part):
    made, construct = _blank(part)(), part.model_construct()
    assert made == construct
    assert made.__pydantic_fields_set__ == construct.__pydantic_fields_set__ == set()
    assert made.__pydantic_extra__ == construct.__pydantic_extra__
    assert _blank(part)() is not made  # a new object each time, lists included
    assert all(getattr(made, name) is not getattr(_blank(part)(), name)
               for name, value in made if isinstance(value, list))


def test_a_case_leaving_its_parts_out_gets_them_blank_and_writes_none_of_them():
    case = Case.model_validate({"format": "cpkit-case/1", "referral": {
        "date": "2026-11-02", "source": "school", "concern": "bruises"}})
    for name, part in (("child", Child), ("consent", ConsentRecord),
                       ("assessment", Assessment), ("care_plan", CarePlan)):
        assert getattr(case, name) == part.model_construct()
    assert set(case.to_document()) == {"format", "referral"}


def test_a_blank_part_asks_no_signature(monkeypatch):
    """What made validation slow: ``inspect.signature`` of ``list`` for every list field
    of every left-out part."""
    _blank(Assessment)()  # its defaults worked out once
    calls = []
    asked = inspect._signature_from_callable  # what inspect.signature runs

    def counted(*args, **kwargs):
        calls.append(args[0])
        return asked(*args, **kwargs)

    monkeypatch.setattr(inspect, "_signature_from_callable", counted)
    Assessment.model_construct()
    assert calls  # pydantic's own construct asks (the check sees it)
    calls.clear()
    _blank(Assessment)()
    assert calls == []
