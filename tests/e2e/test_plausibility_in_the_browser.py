"""Implausible entries in a real browser: each is refused next to its field and nothing
is saved (the case's version in the store does not move, no case is created)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.test_forms_journey import field, open_form, save, type_in

pytestmark = pytest.mark.browser

TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
CASE = "PR-2026-0001"


@pytest.fixture
def page(browser):
    """A page with room for a loaded machine (the first page after start-up is slow)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(150_000)
    yield page
    context.close()


def refused(page, path: str, text: str) -> None:
    """Save is refused and ``path``'s own message says ``text``."""
    save(page, expect="Not saved")
    field(page, path).locator(".cpkit-message").filter(has_text=text).wait_for()


def version(served_store, code: str = CASE) -> int:
    return served_store.get(code).version


def test_an_empty_referral_creates_no_case(voila_server, page, served_store):
    before = len(served_store.summaries())
    open_form(page, voila_server.url("referral"))
    type_in(page, "referral.date", TODAY.isoformat())
    refused(page, "municipality", "the case code is made from the municipality")
    field(page, "child.given_name").locator(".cpkit-message").filter(
        has_text="given name or family name").wait_for()
    assert len(served_store.summaries()) == before


@pytest.mark.parametrize(("path", "value", "message"), [
    ("child.date_of_birth", "1890-01-01", "under 18"),
    ("referral.date", TOMORROW, "is in the future"),
    ("consent.date", "2010-01-01", "before the child's date of birth"),
])
def test_the_referral_form_refuses(voila_server, page, served_store, path, value, message):
    before = version(served_store)
    open_form(page, voila_server.url("referral", f"case={CASE}"))
    type_in(page, path, value)
    refused(page, path, message)
    assert version(served_store) == before


def test_an_assessment_completed_tomorrow_is_refused(voila_server, page, served_store):
    before = version(served_store)
    open_form(page, voila_server.url("risk", f"case={CASE}"))
    type_in(page, "assessment.completed_on", TOMORROW)
    refused(page, "assessment.completed_on", "is in the future")
    assert version(served_store) == before


def test_a_care_plan_action_needs_its_need_action_and_agency(voila_server, page,
                                                             served_store):
    before = version(served_store)
    open_form(page, voila_server.url("care_plan", f"case={CASE}"))
    count = page.locator(".cpkit-row").count()
    page.locator("button.cpkit-add").first.click()
    page.locator(".cpkit-row").nth(count).wait_for()
    prefix = f"care_plan.actions[{count}]"
    save(page, expect="Not saved")
    for key, text in (("need", "the need this action meets"), ("action", "what will be done"),
                      ("responsible_agency", "the agency responsible")):
        field(page, f"{prefix}.{key}").locator(".cpkit-message").filter(
            has_text=text).wait_for()
    assert version(served_store) == before
