"""CMR rules: who is invited, the next meeting and its reason."""

import datetime as dt

import pytest

from cpkit import protocol
from cpkit.errors import InvalidCase
from cpkit.exchange import load_case
from cpkit.rules.meetings import invited_agencies, next_meeting_date, next_meeting_needs_reason

BASE = {"format": "cpkit-case/1", "case_id": "PR-2026-0300",
        "referral": {"date": "2026-03-02"},
        "agencies_involved": ["csw", "education", "police_community"]}


def test_cmr_participants_initial_and_closure_invite_all_agencies():
    case = load_case(BASE)
    everyone = [k for k in protocol.agency_keys() if k != "other"]
    assert invited_agencies(case, "initial") == everyone
    assert invited_agencies(case, "closure") == everyone


def test_cmr_participants_review_invites_the_involved_agencies():
    case = load_case({**BASE, "agencies_involved": ["police_community", "education"]})
    assert invited_agencies(case, "review") == ["csw", "education", "police_community"]


def test_next_meeting_defaults_to_one_month_later():
    case = load_case({**BASE, "meetings": [{"date": "2026-04-20", "kind": "initial"}]})
    assert next_meeting_date(case.meetings[0]) == dt.date(2026, 5, 20)
    assert not next_meeting_needs_reason(case.meetings[0])


def test_next_meeting_reason_required_when_not_one_month_later():
    meeting = {"date": "2026-04-20", "kind": "initial", "next_meeting": "2026-05-04"}
    with pytest.raises(InvalidCase) as err:
        load_case({**BASE, "meetings": [meeting]})
    assert err.value.problems[0].path == "meetings[0].next_meeting_reason"
    load_case({**BASE, "meetings": [{**meeting, "next_meeting_reason": "court hearing"}]})


def test_consent_refused_and_shared_needs_a_reason_and_the_manager_who_agreed():
    """"The reasons for doing so must be carefully explained ... decisions to disclose
    information should be taken in conjunction with management of the agency.\""""
    document = {**BASE, "consent": {"parent_consent": "refused"}}
    with pytest.raises(InvalidCase) as err:
        load_case(document)
    assert [p.path for p in err.value.problems] == [
        "consent.shared_without_consent_reason", "consent.disclosure_agreed_by"]
    load_case({**document, "consent": {"parent_consent": "refused",
                                       "shared_without_consent_reason": "high risk",
                                       "disclosure_agreed_by": "CSW director"}})
