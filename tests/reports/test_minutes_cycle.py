"""Minutes as at the meeting, with the agencies' parts; the invitation of a planned CMR."""

from __future__ import annotations

import datetime as dt
import html

from cpkit import protocol
from cpkit.exchange import load_case
from cpkit.reports import sections
from cpkit.reports.context import open_case
from cpkit.rules import meeting_parts
from tests.conftest import fixture_document

CODE = "PR-2026-0001"
REVIEW = dt.date(2026, 10, 29)


def page(store, kind: str, meeting: str = "", code: str = CODE) -> str:
    ctx = open_case(case_id=code, report=kind, meeting_date=meeting, redact=False,
                    as_of="2026-11-20", store=store)
    return "\n".join(sections.report(ctx))


def test_minutes_show_the_assessment_as_it_stood_at_the_meeting(sqlite_store):
    """"Minutes as at the meeting": the store keeps every version; the minutes read the
    version that recorded the meeting, not today's assessment or plan."""
    sqlite_store.import_cases([load_case(fixture_document("case_high_physical.json"))])
    record = sqlite_store.get(CODE)
    then = record.case.assessment.summary
    changed = record.case.model_copy(deep=True)
    changed.assessment.summary = "A later reassessment: the family moved."
    changed.assessment.risk_factors.site_of_injury = "low"
    changed.care_plan.actions[0].action = "A new action agreed afterwards"
    sqlite_store.save(changed, record.version)
    text = page(sqlite_store, "minutes", REVIEW.isoformat())
    assert html.escape(then) in text
    assert "A later reassessment" not in text and "A new action agreed afterwards" not in text
    # The case file shows today's case.
    assert "A later reassessment" in page(sqlite_store, "case")


def test_minutes_carry_each_agencys_report_apologies_and_article_7(sqlite_store):
    document = fixture_document("case_high_physical.json")
    review = next(m for m in document["meetings"] if m["date"] == REVIEW.isoformat())
    review.update(status="held", invited=[
        {"agency": "education", "answer": "attending", "answered_on": "2026-10-20"},
        {"agency": "police_domestic_violence", "answer": "apologies",
         "answered_on": "2026-10-27", "information": "No call-outs to the home since June."},
        {"agency": "ngo"}],
        progress_reports=[{"agency": "education", "by": "School officer",
                           "submitted_on": "2026-10-25", "text": "Attends every day.",
                           "actions": []}],
        participants=[{"agency": "education", "name": "School officer"}])
    sqlite_store.import_cases([load_case(document)])
    text = page(sqlite_store, "minutes", REVIEW.isoformat())
    assert "Attends every day." in text and "School officer" in text
    assert "No call-outs to the home since June." in text
    assert "Article 7" in text
    assert html.escape(protocol.label("agency", "ngo")) in text.split("Article 7")[1][:400]
    assert 'id="minutes-municipality"' in text and "Prishtinë" in text


def test_closure_cmr_minutes_have_the_appendix_7_closure_block(loaded_store):
    text = page(loaded_store, "minutes", code="GJ-2026-0001")
    assert 'id="minutes-case-closure"' in text


def test_invitation_for_a_planned_initial_cmr_of_a_new_case(sqlite_store):
    """The invitation (Appendix 6) of a new case's initial CMR: all agencies invited,
    with the time and the venue."""
    document = fixture_document("case_minimal.json")
    sqlite_store.import_cases([load_case(document)])
    record = sqlite_store.get(document["case_id"])
    day = dt.date.today() + dt.timedelta(days=7)
    planned = meeting_parts.plan(record.case, day, "initial", "09:30", "CSW meeting room")
    sqlite_store.save(planned, record.version)
    text = page(sqlite_store, "invitation", code=document["case_id"])
    assert "09:30" in text and "CSW meeting room" in text
    for key in protocol.agency_keys():
        if key != "other":
            assert html.escape(protocol.label("agency", key)) in text
