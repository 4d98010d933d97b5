"""Closure rules from the format and the protocol's closing procedure."""

from cpkit.exchange import load_case
from cpkit.model import Closure
from cpkit.rules.closure import can_close, closure_problems
from tests.conftest import fixture_document

BASE = {"format": "cpkit-case/1", "case_id": "PR-2026-0200",
        "referral": {"date": "2026-03-02"},
        "assessment": {"risk_factors": {"site_of_injury": "high"}}}
CLOSURE = Closure(date="2026-06-10", reason="risk_reduced", family_views="relieved")


def test_closure_of_medium_or_high_case_needs_a_closure_cmr():
    case = load_case(BASE)
    problems = closure_problems(case, CLOSURE)
    assert [p.path for p in problems] == ["closure"]
    assert "closure CMR" in problems[0].message


def test_closure_allowed_after_a_closure_cmr_on_or_before_the_date():
    case = load_case({**BASE, "meetings": [{"date": "2026-06-10", "kind": "closure"}]})
    assert can_close(case, CLOSURE)


def test_closure_cmr_after_the_closure_date_does_not_count():
    case = load_case({**BASE, "meetings": [{"date": "2026-06-11", "kind": "closure"}]})
    assert not can_close(case, CLOSURE)


def test_low_risk_case_closes_without_a_cmr():
    case = load_case({**BASE, "assessment": {"risk_factors": {"site_of_injury": "low"}}})
    assert can_close(case, CLOSURE)


def test_agreed_medium_risk_needs_a_closure_cmr_even_if_assessed_low():
    case = load_case({**BASE, "assessment": {"risk_factors": {"site_of_injury": "low"}},
                      "meetings": [{"date": "2026-05-01", "kind": "initial",
                                    "agreed_risk_level": "medium"}]})
    assert not can_close(case, CLOSURE)


def test_closure_needs_the_child_or_family_views():
    case = load_case({**BASE, "meetings": [{"date": "2026-06-10", "kind": "closure"}]})
    silent = Closure(date="2026-06-10", reason="risk_reduced")
    assert [p.message for p in closure_problems(case, silent)] == [
        "the views of the child or the family must be recorded before closing"]


def test_agreed_at_meeting_must_name_a_closure_meeting():
    case = load_case({**BASE, "meetings": [{"date": "2026-06-10", "kind": "closure"}]})
    wrong = Closure(date="2026-06-10", reason="risk_reduced", child_views="ok",
                    agreed_at_meeting="2026-06-01")
    assert [p.path for p in closure_problems(case, wrong)] == ["closure.agreed_at_meeting"]


def test_the_closed_fixture_meets_the_rules():
    assert closure_problems(load_case(fixture_document("case_closed.json"))) == []
