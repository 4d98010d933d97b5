"""An agreed care plan names responsibilities, timeframes and contingencies."""

import pytest

from tests.rules.helpers_rules import case_of, found, refused

FULL = {"id": "A1", "action": "Weekly home visits", "responsible_agency": "csw",
        "term": "short", "contingency": "extraordinary CMR"}


@pytest.mark.rule("care_plan.agreed_actions_complete", "allows")
def test_a_draft_plan_may_be_incomplete_and_an_agreed_one_complete():
    """"Plan should be developed and agreed, identifying key actions and responsibilities
    and timeframes ... This should also include contingency arrangements.\""""
    draft = case_of(care_plan={"actions": [{"id": "A1", "action": "visits"}]})
    assert found(draft, "care_plan.agreed_actions_complete") == []
    due = {**FULL, "term": None, "due": "2026-05-01"}
    agreed = case_of(care_plan={"agreed_on": "2026-03-20", "actions": [FULL, due]})
    assert found(agreed, "care_plan.agreed_actions_complete") == []


@pytest.mark.rule("care_plan.agreed_actions_complete", "refuses")
def test_an_agreed_plan_without_agency_timeframe_or_contingency_is_refused():
    """"identifying key actions and responsibilities and timeframes ... contingency
    arrangements i.e. what will happen if the plan or parts of it cannot be met\""""
    bare = {"id": "A2", "action": "visits"}
    case = case_of(care_plan={"agreed_on": "2026-03-20", "actions": [FULL, bare]})
    assert found(case, "care_plan.agreed_actions_complete") == [
        "care_plan.actions[1].responsible_agency", "care_plan.actions[1].term",
        "care_plan.actions[1].contingency"]
    refused(case, "care_plan.agreed_actions_complete", "care_plan.actions[1].contingency")
