"""The forms refuse implausible entries next to their field and save nothing (the
browser side: tests/e2e/test_forms_plausibility.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.forms.care_plan import CarePlanForm
from cpkit.forms.referral import ReferralForm
from cpkit.forms.risk import RiskForm
from tests.conftest import AS_OF, fixture_case
from tests.forms.test_forms_widgets import field, put

CASE = "PR-2026-0001"
TOMORROW = (AS_OF + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def cases(store):
    store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    return store


def messages(form, path: str) -> str:
    return field(form, path).message.value


def test_an_empty_referral_creates_nothing(cases):
    form = ReferralForm(None, store=cases, today=AS_OF)
    put(form, "referral.date", AS_OF.isoformat())
    assert form.save() is False
    assert "municipality" in messages(form, "municipality")
    assert "given name" in messages(form, "child.given_name")
    assert [s["case_id"] for s in cases.summaries()] == [CASE]


@pytest.mark.parametrize(("form_class", "path", "value", "text"), [
    (ReferralForm, "referral.date", TOMORROW, "is in the future"),
    (ReferralForm, "consent.date", "2010-01-01", "before the child&#x27;s date of birth"),
    (RiskForm, "assessment.completed_on", TOMORROW, "is in the future"),
])
def test_refused_next_to_the_field_nothing_saved(cases, form_class, path, value, text):
    before = cases.get(CASE).version
    form = form_class(CASE, store=cases, today=AS_OF)
    put(form, path, value)
    assert form.save() is False
    assert text in messages(form, path)
    assert cases.get(CASE).version == before


def test_a_blank_care_plan_action_is_refused(cases):
    before = cases.get(CASE).version
    form = CarePlanForm(CASE, store=cases, today=AS_OF)
    form.actions.add_button.click()
    assert form.save() is False
    paths = {p.path for p in form.problems}
    i = len(cases.get(CASE).case.care_plan.actions)
    assert {f"care_plan.actions[{i}].need", f"care_plan.actions[{i}].action"} <= paths
    assert cases.get(CASE).version == before
