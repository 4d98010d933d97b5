"""The supervisor sees, for each coming CMR, who has reported and who is late, and the
lateness of each agency, in the user's language."""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.access import Guard
from cpkit.dashboard import data
from cpkit.dashboard.coming import coming_html
from cpkit.dashboard.widgets import agency_lateness_html
from cpkit.exchange import load_case
from cpkit.i18n import set_lang
from cpkit.rules import meeting_parts
from tests.conftest import fixture_document

CODE = "PR-2026-0001"


def test_coming_cmr_shows_who_answered_who_reported_and_lateness_per_agency(sqlite_store):
    """For each coming CMR: who has answered the invitation, who has sent the progress
    report and who is late; lateness listed per agency, named in the user's language."""
    sqlite_store.import_cases([load_case(fixture_document("case_high_physical.json"))])
    day = dt.date.today() + dt.timedelta(days=2)
    record = sqlite_store.get(CODE)
    case = meeting_parts.plan(record.case, day, "review")
    case = meeting_parts.report(case, day, "education", dt.date.today(), by="School officer",
                                text="Attends every day.", actions={})
    case = meeting_parts.answer(case, day, "police_domestic_violence", "substitute",
                                dt.date.today(), substitute="Sgt. Besa Hoti")
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
    # Who has answered (and how), who has not: the school has reported, not answered.
    assert coming["answers"] == [("police_domestic_violence", "substitute", "Sgt. Besa Hoti")]
    assert "education" in coming["unanswered"] and "csw" not in coming["unanswered"]
    shown = coming_html(board.coming)
    owing_cell = shown.split("class='cpkit-owing'>")[1]
    assert protocol.label("agency", "education") not in owing_cell
    assert (f"{protocol.label('agency', 'police_domestic_violence')}: "
            f"{protocol.label('invitation_answer', 'substitute')} (Sgt. Besa Hoti)") in shown
    assert "Not answered: " in shown and protocol.label("agency", "education") in shown
    try:
        set_lang("sq")
        shown = agency_lateness_html(late)
        assert "Raporti i progresit u dërgua" in shown and "progress_report" not in shown
    finally:
        set_lang("en")
