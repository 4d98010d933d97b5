"""Helpers for the rule tests: build a case, run one rule, check load_case agrees."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.errors import InvalidCase
from cpkit.exchange import load_case
from cpkit.model import Case
from cpkit.rules import registry

BASE = {"format": "cpkit-case/1", "case_id": "PR-2026-0200",
        "child": {"date_of_birth": "2016-05-01"},
        "referral": {"date": "2026-03-02"}}


def case_of(**parts) -> Case:
    """A case from ``BASE`` and ``parts``, validated for structure only (no rules)."""
    return Case.model_validate({**BASE, **parts})


def found(case: Case, rule_id: str, as_of: dt.date | None = None) -> list[str]:
    """The field paths rule ``rule_id`` names in ``case`` (through the registry, so the
    rule is proved wired in, stamped with its id)."""
    kind = registry.all_rules()[rule_id].kind
    return [p.path for p in registry.run(case, kind, as_of) if p.rule == rule_id]


def refused(case: Case, rule_id: str, path: str) -> None:
    """``rule_id`` refuses ``case`` naming ``path``, and so does :func:`load_case`."""
    assert path in found(case, rule_id)
    with pytest.raises(InvalidCase) as err:
        load_case(case.to_document())
    assert any(p.path == path and p.rule == rule_id for p in err.value.problems), err.value
