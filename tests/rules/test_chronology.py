"""The chronology: every significant event of a case, in date order, in words."""

from __future__ import annotations

import datetime as dt

from cpkit.exchange import load_case
from cpkit.rules.chronology import chronology
from tests.conftest import fixture_case, fixture_document


def test_a_closed_case_reads_from_referral_to_closure_in_date_order():
    events = chronology(fixture_case("case_closed.json"))
    dates = [e.date for e in events]
    assert dates == sorted(dates)
    kinds = [e.kind for e in events]
    assert kinds[0] == "referral" and "closure" in kinds
    for kind in ("consent", "assessment_started", "assessment_completed", "meeting_held",
                 "risk_agreed", "decision", "care_plan_agreed", "care_plan_distributed",
                 "minutes_distributed", "action_progress"):
        assert kind in kinds, kind
    held = [e for e in events if e.kind == "meeting_held"]
    assert held[0].what == "Initial CMR held"


def test_events_added_by_hand_and_further_referrals_take_their_place():
    doc = fixture_document("case_high_physical.json")
    doc["chronology"] = [{"date": "2026-10-01", "what": "Police called to the home at night.",
                          "source": "Police, community officer"}]
    doc["referral"]["identified_on"] = "2026-09-12"
    doc["further_referrals"] = [{"date": "2026-10-20", "referring_agency": "family_medicine",
                                 "concern": "Bruise seen at a check-up."}]
    events = chronology(load_case(doc))
    by_kind = {e.kind: e for e in events}
    assert events[0].kind == "identified" and events[0].date == dt.date(2026, 9, 12)
    assert by_kind["recorded"].text == "Police called to the home at night."
    assert by_kind["recorded"].source == "Police, community officer"
    assert by_kind["further_referral"].what == \
        "Further referral received from Family Medical Center"
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_planned_and_cancelled_meetings_are_named_so_and_hold_no_decisions():
    doc = fixture_document("case_high_physical.json")
    doc["meetings"].append({"date": "2026-12-10", "kind": "review", "status": "planned",
                            "decisions": []})
    events = chronology(load_case(doc))
    assert events[-1].kind == "meeting_planned" and events[-1].what == "Review CMR planned"


def test_the_chronology_speaks_the_readers_language_never_a_key():
    for lang in ("sq", "sr", "sr-Cyrl"):
        for event in chronology(fixture_case("case_closed.json"), lang):
            assert "_" not in event.what and "{" not in event.what, (lang, event.what)
