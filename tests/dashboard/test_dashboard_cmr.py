"""The supervisor sees, for each coming CMR, who has reported and who is late, and the
lateness of each agency, in the user's language."""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.access import Guard
from cpkit.dashboard import data
from cpkit.dashboard.widgets import agency_lateness_html, coming_html
from cpkit.exchange import load_case
from cpkit.i18n import set_lang
from cpkit.rules import meeting_parts
from tests.conftest import fixture_document

CODE = "PR-2026-0001"


def test_coming_cmr_shows_who_reported_and_lateness_per_agency(sqlite_store):
    sqlite_store.import_cases([load_case(fixture_document("case_high_physical.json"))])
    day = dt.date.today() + dt.timedelta(days=2)
    record = sqlite_store.get(CODE)
    case = meeting_parts.plan(record.case, day, "review")
    case = meeting_parts.report(case, day, "education", dt.date.today(), by="School officer",
                                text="Attends every day.", actions={})
    sqlite_store.save(case, record.version)
    today = dt.date.today()
    board = data.load(Guard.for_user(sqlite_store), today)
    (coming,) = [c for c in board.coming if c["case_id"] == CODE]
    assert coming["meeting"] == day
    assert "education" not in coming["owing"]  # the school has reported
    assert "police_domestic_violence" in coming["owing"]
    assert dict(coming["late"])["police_domestic_violence"] == 1  # due 3 days before
    late = data.lateness_by_agency(board.overdue)
    assert "police_domestic_violence" in set(late["agency"])
    assert "education" not in set(late["agency"])
    html_text = agency_lateness_html(late)
    assert protocol.label("agency", "police_domestic_violence") in html_text
    assert "1 days late" in html_text and "progress_report" not in html_text.replace(
        "data-", "")
    assert protocol.label("agency", "education") not in coming_html(board.coming)
    try:
        set_lang("sq")
        shown = agency_lateness_html(late)
        assert "Raporti i progresit u dërgua" in shown and "progress_report" not in shown
    finally:
        set_lang("en")
