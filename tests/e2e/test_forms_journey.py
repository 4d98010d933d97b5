"""The assessor's journey in a real browser, against ``cpkit serve``'s Voila server.

Landing page -> new referral -> risk framework (the banner turns high and says why)
-> wellbeing -> care plan with two actions -> initial CMR; then ``cpkit export``
shows exactly what was typed.  Also: bad input is refused with its message, a stale
save shows the conflict, and every form is photographed into test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from cpkit import protocol
from cpkit.forms.fields import path_class
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser

def today() -> dt.date:
    """Today when asked, not when the module was imported (a run may cross midnight)."""
    return dt.date.today()


def field(page, path: str):
    return page.locator(f".{path_class(path)}").first


def type_in(page, path: str, value: str) -> None:
    field(page, path).locator("input, textarea").first.fill(value)


def choose(page, path: str, label: str) -> None:
    field(page, path).locator("select").select_option(label=label)


def tick(page, path: str, label: str) -> None:
    field(page, path).get_by_label(label, exact=True).check()


def radio(page, path: str, starts_with: str) -> None:
    field(page, path).locator("label", has_text=starts_with).first.click()


def save(page, expect: str = "Saved:") -> None:
    """Click Save and wait for the kernel's answer (``expect``, case-sensitive)."""
    page.locator("button.cpkit-save").click()
    page.locator(".cpkit-status span.ok, .cpkit-status span.bad",
                 has_text=re.compile(re.escape(expect))).wait_for()


def open_form(page, url: str, ready: str = "button.cpkit-save") -> None:
    page.goto(url)
    page.locator(ready).wait_for()


def banner(page) -> str:
    return page.locator(".cpkit-risk-banner").inner_text()


def wait_banner(page, text: str) -> None:
    page.wait_for_function(
        "t => (document.querySelector('.cpkit-risk-banner') || {}).innerText?.includes(t)",
        arg=text, timeout=10_000)


def test_assessor_journey_from_referral_to_initial_cmr(voila_server, page):
    open_form(page, voila_server.url(), ".cpkit-landing")
    assert "PR-2026-0001" in page.locator(".cpkit-caseload").inner_text()
    assert page.locator("a.cpkit-dashboard").get_attribute("href") == "dashboard.ipynb"
    screenshot(page, "forms-index")
    page.locator("a.cpkit-new-referral").click()

    # Referral and consent: a new case
    page.locator(".cpkit-form-referral button.cpkit-save").wait_for()
    referred = (today() - dt.timedelta(days=2)).isoformat()
    type_in(page, "child.given_name", "Leonora")
    type_in(page, "child.family_name", "Berisha")
    type_in(page, "child.date_of_birth", "2020-05-17")
    choose(page, "child.sex", "Female")
    type_in(page, "municipality", "Prizren")
    type_in(page, "case_manager", "Sw. Hana Dervishi")
    tick(page, "agencies_involved", protocol.label("agency", "csw"))
    tick(page, "agencies_involved", protocol.label("agency", "education"))
    type_in(page, "referral.date", referred)
    choose(page, "referral.referring_agency", protocol.label("agency", "education"))
    type_in(page, "referral.concern", "Teacher saw bruises on the arms twice this month.")
    tick(page, "referral.abuse_categories", protocol.label("abuse_category", "physical"))
    choose(page, "consent.parent_consent", protocol.label("consent", "given"))
    # A 6-year-old: the child's assent is asked for too (a warning otherwise).
    choose(page, "consent.child_assent", protocol.label("consent", "given"))
    choose(page, "consent.written", "Yes")
    screenshot(page, "forms-referral")
    save(page, "Created case")
    code = page.locator(".cpkit-created").get_attribute("data-code")
    assert code.startswith("PZ-")

    # Risk framework: the banner turns high and says why
    page.locator("a.cpkit-next").click()
    page.locator(".cpkit-form-risk .cpkit-risk-banner").wait_for()
    assert "Not assessed yet" in banner(page)
    type_in(page, "assessment.started_on", referred)
    radio(page, "assessment.risk_factors.abuse_severity", "Medium risk —")
    wait_banner(page, "Medium risk: Severity of physical")
    radio(page, "assessment.risk_factors.site_of_injury", "High risk —")
    wait_banner(page, "High risk: Site of injury")
    text = banner(page)
    assert "Incomplete: 2 of 11 factors assessed" in text and "CMR required" in text
    assert page.locator(".cpkit-banner.level-high").count() == 1
    screenshot(page, "forms-risk")
    save(page)
    page.set_viewport_size({"width": 800, "height": 1100})
    screenshot(page, "forms-risk-tablet")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Wellbeing
    page.locator("a.cpkit-link", has_text="Wellbeing").click()
    page.locator(".cpkit-form-wellbeing button.cpkit-save").wait_for()
    choose(page, "assessment.wellbeing.safety.status", protocol.label("status", "not_met"))
    type_in(page, "assessment.wellbeing.safety.notes", "Hit at home with a belt.")
    type_in(page, "assessment.needs", "To be safe at home\nA trusted adult at school")
    screenshot(page, "forms-wellbeing")
    save(page)

    # Care plan with two actions
    page.locator("a.cpkit-link", has_text="Care plan").click()
    page.locator(".cpkit-form-care_plan button.cpkit-save").wait_for()
    for i, (need, action, agency) in enumerate([
            ("To be safe at home", "Weekly home visits", "csw"),
            ("A trusted adult at school", "School psychologist meets her weekly",
             "school_psychologist")]):
        page.locator("button.cpkit-add").click()
        field(page, f"care_plan.actions[{i}].need").wait_for()
        type_in(page, f"care_plan.actions[{i}].need", need)
        type_in(page, f"care_plan.actions[{i}].action", action)
        choose(page, f"care_plan.actions[{i}].responsible_agency",
               protocol.label("agency", agency))
        choose(page, f"care_plan.actions[{i}].term", protocol.label("term", "short"))
        type_in(page, f"care_plan.actions[{i}].due", (today() + dt.timedelta(days=30)).isoformat())
        type_in(page, f"care_plan.actions[{i}].contingency", "An extraordinary CMR is called.")
    screenshot(page, "forms-care_plan")
    save(page)

    # Initial CMR
    page.locator("a.cpkit-link", has_text="CMR meeting").click()
    page.locator(".cpkit-form-cmr button.cpkit-save").wait_for()
    meeting = "meetings[0]"
    assert field(page, f"{meeting}.kind").locator("select").input_value() == (
        protocol.label("meeting_kind", "initial"))
    type_in(page, f"{meeting}.chair", "Ilir Zeqiri")
    choose(page, f"{meeting}.family_attended", "Yes")
    choose(page, f"{meeting}.agreed_risk_level", protocol.label("level", "high"))
    type_in(page, f"{meeting}.decisions", "Case accepted at high risk\nCare plan agreed")
    screenshot(page, "forms-cmr")
    # Nobody is listed as present (invitees are not attendance): Article 7 warns first.
    save(page, expect="acknowledge the protocol")
    page.locator(".cpkit-warning", has_text="Article 7").wait_for()
    for box in page.locator(".cpkit-acknowledge input[type=checkbox]").all():
        box.check()
    save(page)

    # What the store holds is exactly what was typed
    result = voila_server.cpkit("export", code)
    assert result.returncode == 0, result.stderr
    case = json.loads(result.stdout)
    assert case["child"]["given_name"] == "Leonora"
    assert case["child"]["date_of_birth"] == "2020-05-17"
    assert case["referral"]["concern"] == "Teacher saw bruises on the arms twice this month."
    assert case["referral"]["abuse_categories"] == ["physical"]
    assert case["agencies_involved"] == ["csw", "education"]
    assert case["consent"]["written"] is True
    assert case["assessment"]["risk_factors"] == {"abuse_severity": "medium",
                                                  "site_of_injury": "high"}
    assert case["assessment"]["started_on"] == referred
    assert case["assessment"]["wellbeing"]["safety"] == {"status": "not_met",
                                                        "notes": "Hit at home with a belt."}
    assert case["assessment"]["needs"] == ["To be safe at home", "A trusted adult at school"]
    actions = case["care_plan"]["actions"]
    assert [a["need"] for a in actions] == ["To be safe at home", "A trusted adult at school"]
    assert [a["id"] for a in actions] == ["A1", "A2"]
    assert actions[1]["responsible_agency"] == "school_psychologist"
    [cmr] = case["meetings"]
    assert cmr["kind"] == "initial" and cmr["agreed_risk_level"] == "high"
    assert cmr["decisions"] == ["Case accepted at high risk", "Care plan agreed"]
    assert cmr["date"] == today().isoformat()
    assert len(cmr["invited"]) > 10  # all agencies invited to an initial CMR
    assert "participants" not in cmr  # nobody recorded as present
    assert any(a["rule"] == "meetings.article_7_validity" for a in case["acknowledgements"])
    assert case["derived"]["overall_risk"] == "high"


def test_bad_input_shows_the_message_and_saves_nothing(voila_server, page, served_store):
    store = served_store
    before = store.get("GR-2026-0001").version
    open_form(page, voila_server.url("referral", "case=GR-2026-0001"))
    type_in(page, "referral.date", "2026-02-30")
    message = field(page, "referral.date").locator(".cpkit-message")
    message.filter(has_text="not a valid date").wait_for()
    save(page, "Not saved:")
    assert store.get("GR-2026-0001").version == before

    open_form(page, voila_server.url("closure", "case=PR-2026-0001"))
    radio(page, "closure.reason", protocol.label("closure_reason", "risk_reduced")[:30])
    field(page, "closure.agreed_at_meeting").locator(".cpkit-message").filter(
        has_text="held CMR agreed it").wait_for()
    page.locator(".cpkit-condition[data-rule='closure.cmr_agreement'][data-state='refused']"
                 ).wait_for()
    screenshot(page, "forms-closure")
    save(page, "Not saved:")
    assert store.get("PR-2026-0001").case.closure is None
    assert store.get("PR-2026-0001").version == 1


def test_stale_save_of_a_field_saved_since_asks_and_never_overwrites(voila_server, page,
                                                                     served_store):
    open_form(page, voila_server.url("risk", "case=FE-2026-0001"))
    assert "High risk: unaccompanied child" in banner(page)
    store = served_store
    record = store.get("FE-2026-0001")
    theirs = "high" if record.case.assessment.risk_factors.family_stress != "high" else "medium"
    record.case.assessment.summary = "Edited elsewhere in the meantime."
    record.case.assessment.risk_factors.family_stress = theirs
    store.save(record.case, record.version, actor="someone-else")

    radio(page, "assessment.risk_factors.family_stress", "Low risk —")
    save(page, "choose what to keep")
    page.locator(".cpkit-merge", has_text="Saved by someone-else at").wait_for()
    screenshot(page, "forms-conflict")
    stored = store.get("FE-2026-0001")
    assert stored.version == record.version + 1
    assert stored.case.assessment.summary == "Edited elsewhere in the meantime."
    assert stored.case.assessment.risk_factors.family_stress == theirs
    page.locator(".cpkit-merge-field label", has_text="Keep yours").click()
    page.locator("button.cpkit-merge-apply:not([disabled])").click()
    page.locator(".cpkit-status span.ok", has_text="Saved:").wait_for()
    stored = store.get("FE-2026-0001")
    assert stored.version == record.version + 2
    assert stored.case.assessment.summary == "Edited elsewhere in the meantime."
    assert stored.case.assessment.risk_factors.family_stress == "low"
