"""Every report for every fixture case that qualifies, built by the section functions
(the notebook's cells call the same functions): sections present, values from the case.
No kernel here; tests/reports/test_render_pipeline.py runs the real pipeline.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from cpkit import protocol
from cpkit.errors import BadInput
from cpkit.i18n import gettext
from cpkit.reports import sections
from cpkit.reports.context import open_case, select_meeting, show_date
from cpkit.rules.meetings import invited_agencies
from tests.conftest import AS_OF, CASE_FILES, fixture_case

CASES = {fixture_case(name).case_id: fixture_case(name) for name in CASE_FILES}


def qualifying(kind: str) -> list[str]:
    out = []
    for code, case in CASES.items():
        try:
            select_meeting(case, kind, None)
        except BadInput:
            continue
        out.append(code)
    return sorted(out)


def page(store, code: str, kind: str, redact: bool = False, meeting: str = "") -> str:
    ctx = open_case(case_id=code, report=kind, meeting_date=meeting, redact=redact,
                    as_of=AS_OF.isoformat(), store=store)
    return "\n".join(sections.report(ctx))


def ids(text: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', text)


def test_every_kind_has_cases_to_render():
    assert qualifying("minutes") == ["FE-2026-0001", "GJ-2026-0001", "GR-2026-0001",
                                     "PE-2026-0001", "PR-2026-0001"]
    assert qualifying("closure") == ["GJ-2026-0001"]
    assert "GR-2026-0002" in qualifying("care-plan")
    assert "GJ-2026-0001" not in qualifying("invitation")  # closed: nothing planned


@pytest.mark.parametrize("code", qualifying("minutes"))
def test_minutes_have_every_appendix_7_section_and_the_meeting(loaded_store, code):
    text = page(loaded_store, code, "minutes")
    case = CASES[code]
    meeting = max(case.meetings, key=lambda m: m.date)
    expected = [f"minutes-{s['key'].replace('_', '-')}" for s in protocol.MINUTES_SECTIONS]
    closure = ["minutes-case-closure"] if meeting.kind == "closure" else []
    assert ids(text) == ["minutes-municipality", *expected, *closure, "minutes-signatures"]
    for s in protocol.MINUTES_SECTIONS:
        assert html.escape(s["label"]) in text
    assert show_date(meeting.date) in text
    assert html.escape(protocol.label("meeting_kind", meeting.kind)) in text
    for person in meeting.participants:
        assert html.escape(person.name) in text
    for decision in meeting.decisions:
        assert html.escape(decision) in text
    if meeting.discussion:
        assert html.escape(meeting.discussion.split("\n")[0]) in text
    if meeting.agreed_risk_level:
        assert protocol.label("level", meeting.agreed_risk_level) in text
    for key, level in case.assessment.risk_factors.assessed().items():
        assert html.escape(protocol.descriptor(key, level)) in text
    for action in case.care_plan.actions:
        assert html.escape(action.action) in text
    # unredacted: the Task Force copy names the child
    assert html.escape(case.child.given_name) in text


def test_minutes_of_an_earlier_meeting_show_only_results_reported_by_then(loaded_store):
    text = page(loaded_store, "PR-2026-0001", "minutes", meeting="2026-09-29")
    assert "29.09.2026" in text
    assert "No results reported against the plan by this meeting." in text
    later = page(loaded_store, "PR-2026-0001", "minutes")
    assert "Joint visit with the case manager" in later


def test_closure_form_has_every_section_and_the_closure(loaded_store):
    text = page(loaded_store, "GJ-2026-0001", "closure")
    closure = CASES["GJ-2026-0001"].closure
    got = ids(text)
    for s in protocol.CLOSURE_FORM_SECTIONS:
        assert f"closure-{s['key'].replace('_', '-')}" in got
        assert html.escape(s["label"]) in text
    assert "closure-cmr" in got
    assert show_date(closure.date) in text
    assert html.escape(protocol.label("closure_reason", closure.reason)) in text
    assert html.escape(closure.responsible) in text
    assert html.escape(closure.child_views) in text
    assert html.escape(closure.family_views) in text
    agreed = next(m for m in CASES["GJ-2026-0001"].meetings
                  if m.date == closure.agreed_at_meeting)
    assert show_date(agreed.date) in text
    for person in agreed.participants:
        assert html.escape(person.name) in text


@pytest.mark.parametrize("code", qualifying("invitation"))
def test_invitation_has_the_appendix_6_agenda_and_the_agencies(loaded_store, code):
    text = page(loaded_store, code, "invitation")
    case = CASES[code]
    assert ids(text) == ["invitation-details", "invitation-invited", "invitation-agenda",
                         "invitation-notes"]
    for entry in protocol.CMR_AGENDA:
        assert html.escape(entry["label"]) in text
        for item in entry["items"]:
            assert html.escape(item["label"]) in text
    meeting = select_meeting(case, "invitation", None)
    assert show_date(meeting.date) in text
    for agency in invited_agencies(case, meeting.kind):
        assert html.escape(protocol.label("agency", agency)) in text


@pytest.mark.parametrize("code", qualifying("care-plan"))
def test_care_plan_copy_has_purposes_actions_and_contacts(loaded_store, code):
    text = page(loaded_store, code, "care-plan")
    plan = CASES[code].care_plan
    assert ids(text) == ["care-plan-summary", "care-plan-purposes", "care-plan-needs",
                         "care-plan-actions", "care-plan-contacts", "care-plan-signatures"]
    for purpose in protocol.CARE_PLAN_PURPOSES:
        assert html.escape(purpose) in text
    for action in plan.actions:
        assert html.escape(action.action) in text
        if action.responsible_person:
            assert html.escape(action.responsible_person) in text
    if plan.agreed_on:
        assert show_date(plan.agreed_on) in text


@pytest.mark.parametrize("code", sorted(CASES))
def test_case_file_overview_for_every_fixture(loaded_store, code):
    text = page(loaded_store, code, "case")
    assert ids(text) == ["case-identification", "case-referral", "case-assessment",
                         "case-wellbeing", "case-care-plan", "case-meetings", "case-deadlines"]
    assert 'src="data:image/png;base64,' in text
    assert CASES[code].case_id in text
    for key, level in CASES[code].assessment.risk_factors.assessed().items():
        assert html.escape(protocol.label("factor", key)) in text
        if level != "not_known":
            assert html.escape(protocol.descriptor(key, level)) in text


@pytest.mark.parametrize(("code", "kind", "meeting", "message"), [
    ("PR-2026-0001", "closure", "", "not closed"),
    ("MI-2026-0001", "minutes", "", "no meeting"),
    ("PR-2026-0001", "minutes", "2026-01-05", "no meeting (CMR) was held on 2026-01-05"),
    ("PR-2026-0001", "invitation", "2027-01-05", "recorded or planned"),
    ("GJ-2026-0001", "invitation", "", "no meeting is planned"),
    ("MI-2026-0001", "care-plan", "", "no care plan"),
])
def test_reports_that_cannot_be_made_are_refused(loaded_store, code, kind, meeting, message):
    with pytest.raises(BadInput, match=re.escape(message)) as err:
        open_case(case_id=code, report=kind, meeting_date=meeting, store=loaded_store)
    child = CASES[code].child
    assert child.given_name not in str(err.value)


def test_the_example_case_opens_without_a_store():
    ctx = open_case()
    assert ctx.code == "PR-2026-0001" and ctx.version is None and ctx.redact
    assert ctx.as_of == dt.date(2026, 11, 22)


@pytest.mark.parametrize("lang", ["sq", "sr", "sr-Cyrl"])
def test_reports_come_out_in_the_language_asked_for(loaded_store, lang):
    ctx = open_case(case_id="PR-2026-0001", report="minutes", lang=lang, store=loaded_store)
    text = "\n".join(sections.report(ctx))
    for s in protocol.MINUTES_SECTIONS:
        assert html.escape(gettext(s["label"], lang)) in text
    assert html.escape(protocol.label("level", "high", lang)) in text
    assert html.escape(protocol.descriptor("site_of_injury", "high", lang)) in text
    assert protocol.label("level", "high", lang) != "High risk"
