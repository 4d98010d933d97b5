"""Entries a form refuses because they cannot be true on the day they are typed."""

from __future__ import annotations

import datetime as dt

from cpkit.model import Action
from cpkit.rules.plausibility import entry_problems
from tests.conftest import AS_OF, fixture_case


def paths(case, today=AS_OF) -> dict[str, str]:
    return {p.path: p.message for p in entry_problems(case, today)}


def test_a_fixture_case_is_plausible():
    assert paths(fixture_case("case_high_physical.json")) == {}


def test_a_case_needs_a_municipality_and_a_child():
    case = fixture_case("case_minimal.json")
    case.municipality = " "
    case.child.given_name = case.child.family_name = None
    found = paths(case)
    assert "municipality" in found["municipality"]
    assert "given name" in found["child.given_name"]


def test_nothing_recorded_in_the_future():
    case = fixture_case("case_high_physical.json")
    later = AS_OF + dt.timedelta(days=1)
    case.referral.date = later
    case.consent.date = later
    case.assessment.completed_on = later
    found = paths(case)
    for path in ("referral.date", "consent.date", "assessment.completed_on"):
        assert "is in the future" in found[path] and AS_OF.isoformat() in found[path]
    assert paths(case, today=later).keys().isdisjoint(found)  # fine on the day itself


def test_consent_not_before_birth():
    case = fixture_case("case_high_physical.json")
    case.consent.date = case.child.date_of_birth - dt.timedelta(days=1)
    assert paths(case)["consent.date"] == "is before the child's date of birth"


def test_an_action_names_its_need_what_is_done_and_the_agency():
    case = fixture_case("case_high_physical.json")
    case.care_plan.actions.append(Action())
    i = len(case.care_plan.actions) - 1
    found = paths(case)
    assert {f"care_plan.actions[{i}].need", f"care_plan.actions[{i}].action",
            f"care_plan.actions[{i}].responsible_agency"} <= found.keys()
