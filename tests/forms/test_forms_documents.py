"""Render and Print from the forms: the document opens in the page (HTML in a frame,
PDF inline as data), never a path; a report returned at sign-off shows on the form it
concerns and on the landing page with the supervisor's comment, until rendered again."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.dashboard.signoff import return_report
from cpkit.forms.care_plan import CarePlanForm
from cpkit.forms.closure import ClosureForm
from cpkit.forms.cmr import MeetingForm
from cpkit.forms.landing import Landing
from tests.conftest import AS_OF, fixture_case

CASE = "PR-2026-0001"


@pytest.fixture
def cases(sqlite_store):
    sqlite_store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    return sqlite_store


def test_forms_carry_their_documents(cases):
    assert {k for k, _l in MeetingForm(CASE, store=cases, today=AS_OF).document_kinds()} == {
        "minutes", "invitation"}
    assert CarePlanForm(CASE, store=cases, today=AS_OF).document_kinds()[0][0] == "care-plan"
    assert ClosureForm(CASE, store=cases, today=AS_OF).document_kinds()[0][0] == "closure"


def test_minutes_render_inline_and_a_returned_report_shows_until_rendered_again(cases):
    form = MeetingForm(CASE, store=cases, meeting=1, today=AS_OF)
    assert form.meeting_date() == dt.date(2026, 10, 29)
    assert form.documents.render("minutes", "html") is True
    shown = form.documents.viewer.value
    assert "<iframe" in shown and "sandbox=" in shown and "cpkit-home" not in shown
    report_id = int(shown.split("data-report='")[1].split("'")[0])

    return_report(cases, report_id, "Add the family's views to the minutes.", actor="sara")
    again = MeetingForm(CASE, store=cases, meeting=1, today=AS_OF)
    assert "Add the family&#x27;s views" in again.documents.returned.value
    landing = Landing(store=cases, today=AS_OF)
    assert "Add the family&#x27;s views" in landing.returned.value
    assert "cmr.ipynb?case=PR-2026-0001" in landing.returned.value

    assert again.documents.render("minutes", "pdf") is True  # rendered again
    viewer = again.documents.viewer.value
    assert "data:application/pdf;base64,JVBER" in viewer and "type='application/pdf'" in viewer
    assert ".pdf'" in viewer and "/reports/" not in viewer  # a file name, never a path
    assert again.documents.returned.value == ""
    assert Landing(store=cases, today=AS_OF).returned.value == ""
