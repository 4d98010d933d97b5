"""Implausible entries in a real browser: each is refused next to its field and nothing
is saved (the case's version in the store does not move, no case is created)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.test_forms_journey import field, open_form, save, type_in

pytestmark = pytest.mark.browser

def today() -> dt.date:
    """Today when asked, not when the module was imported (a run may cross midnight)."""
    return dt.date.today()


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
    type_in(page, "referral.date", today().isoformat())
    refused(page, "municipality", "the case code is made from the municipality")
    field(page, "child.given_name").locator(".cpkit-message").filter(
        has_text="given name or family name").wait_for()
    assert len(served_store.summaries()) == before


@pytest.mark.parametrize(("path", "value", "message"), [
    ("child.date_of_birth", "1890-01-01", "under 18"),
    ("referral.date", "tomorrow", "is in the future"),
    ("consent.date", "2010-01-01", "before the child's date of birth"),
])
def test_the_referral_form_refuses(voila_server, page, served_store, path, value, message):
    before = version(served_store)
    if value == "tomorrow":  # when typed, not when collected: a run may cross midnight
        value = (today() + dt.timedelta(days=1)).isoformat()
    open_form(page, voila_server.url("referral", f"case={CASE}"))
    type_in(page, path, value)
    refused(page, path, message)
    assert version(served_store) == before


def test_an_assessment_completed_tomorrow_is_refused(voila_server, page, served_store):
    before = version(served_store)
    open_form(page, voila_server.url("risk", f"case={CASE}"))
    type_in(page, "assessment.completed_on", (today() + dt.timedelta(days=1)).isoformat())
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


def test_a_cmr_held_in_the_future_is_refused(voila_server, page, served_store):
    before = version(served_store)
    meetings = len(served_store.get(CASE).case.meetings)
    open_form(page, voila_server.url("cmr", f"case={CASE}"))
    later = (today() + dt.timedelta(days=40)).isoformat()
    type_in(page, f"meetings[{meetings}].date", later)
    refused(page, f"meetings[{meetings}].status", "cannot be recorded as held")
    assert version(served_store) == before


def test_a_six_year_old_is_not_closed_as_over_18(voila_server, page, served_store):
    young = "MI-2026-0001"  # born 2020
    before = version(served_store, young)
    open_form(page, voila_server.url("closure", f"case={young}"))
    field(page, "closure.reason").locator("label", has_text="over 18").first.click()
    page.locator(".cpkit-condition[data-rule='closure.over_18'][data-state='refused']"
                 ).wait_for()  # the condition shown before anything is pressed
    refused(page, "closure.reason", "'over 18': the child is 6")
    assert page.locator(".cpkit-confirm-bar").is_hidden()  # nothing to confirm
    assert version(served_store, young) == before
    assert served_store.get(young).case.closure is None


def test_a_mistaken_case_is_voided_and_leaves_the_case_list(voila_server, page,
                                                             served_store):
    open_form(page, voila_server.url("referral"))
    type_in(page, "municipality", "Prizren")
    type_in(page, "child.given_name", "Test")
    save(page, expect="Created case")
    code = page.locator(".cpkit-created").get_attribute("data-code")
    page.locator("button.cpkit-void-button").click()
    page.locator("button.cpkit-void-confirm").click()
    page.locator(".cpkit-void-section .cpkit-message", has_text="reason").wait_for()
    page.locator(".cpkit-void-reason input").fill("Created by mistake while testing")
    page.locator("button.cpkit-void-confirm").click()
    page.locator(".cpkit-status .cpkit-voided").wait_for()
    assert code not in {r["case_id"] for r in served_store.summaries()}
    open_form(page, voila_server.url("index"), ready=".cpkit-caseload table")
    assert code not in page.locator(".cpkit-caseload").inner_text()
    assert [r["action"] for r in served_store.audit_rows(code)][-1] == "void"
