"""Each protocol timescale against hand-worked dates (Kosovo holidays included)."""

import datetime as dt

from cpkit.exchange import load_case
from cpkit.rules.calendar import Calendar
from cpkit.rules.deadlines import case_deadlines, deadline_list, deadlines_document

XK = Calendar("XK")
D = dt.date


def make_case(**parts):
    document = {"format": "cpkit-case/1", "case_id": "PR-2026-0100",
                "referral": {"date": "2026-03-27"}, **parts}
    return load_case(document)


def named(case):
    return {d.name: d for d in case_deadlines(case, XK)}


MEDIUM = {"risk_factors": {"site_of_injury": "medium"}}
MEETING = {"date": "2026-04-20", "kind": "initial"}


def test_assessment_due_14_working_days_after_referral_with_easter():
    # Referral Fri 27 March 2026.  Working days: Mar 30, 31, Apr 1, 2, 3, 7, 8, 10, 14,
    # 15, 16, 17, 20, 21 (6 and 13 April are the Easter Mondays, 9 April Constitution Day).
    deadline = named(make_case())["assessment"]
    assert deadline.due == D(2026, 4, 21)
    assert deadline.status(D(2026, 4, 21)) == "due"
    assert deadline.status(D(2026, 4, 22)) == "overdue"
    assert deadline.days_late(D(2026, 4, 24)) == 3


def test_assessment_done_when_completed():
    case = make_case(assessment={"completed_on": "2026-04-23"})
    deadline = named(case)["assessment"]
    assert deadline.done_on == D(2026, 4, 23)
    assert deadline.status(D(2026, 11, 1)) == "done"
    assert deadline.days_late(D(2026, 11, 1)) == 2


def test_assessment_sent_two_working_days_before_initial_cmr():
    """"Agencies should be sent a copy of the assessment at least two working days in
    advance of the initial meeting." Done by its own sending date (and the draft plan's),
    never by the day the assessment was completed."""
    meeting = {**MEETING, "status": "held", "assessment_sent_on": "2026-04-15",
               "draft_plan_sent_on": "2026-04-16"}
    case = make_case(assessment={"completed_on": "2026-04-14"}, meetings=[meeting])
    # Mon 20 April minus 2 working days: Thu 16 April.
    assert named(case)["assessment_sent"].due == D(2026, 4, 16)
    assert named(case)["assessment_sent"].done_on == D(2026, 4, 16)
    assert named(case)["assessment_sent"].status(D(2026, 5, 1)) == "done"
    # Completed after the meeting and never sent: open, however late it was completed.
    late = {**MEETING, "status": "held"}
    case = make_case(assessment={"completed_on": "2026-04-24"}, meetings=[late])
    assert named(case)["assessment_sent"].status(D(2026, 5, 1)) == "overdue"
    draft_missing = {**meeting, "draft_plan_sent_on": None}
    case = make_case(assessment={"completed_on": "2026-04-14"}, meetings=[draft_missing])
    assert named(case)["assessment_sent"].done_on is None


def test_initial_cmr_for_medium_and_high_within_a_month_of_assessment():
    case = make_case(assessment={**MEDIUM, "completed_on": "2026-04-14"})
    assert named(case)["initial_cmr"].due == D(2026, 5, 14)
    low = make_case(assessment={"risk_factors": {"site_of_injury": "low"}})
    assert "initial_cmr" not in named(low)


def test_apologies_24_hours_before_the_meeting():
    apology = {"agency": "police_community", "notified_on": "2026-04-20"}
    meeting = {**MEETING, "apologies": [apology]}
    deadline = named(make_case(meetings=[meeting]))["apologies#police_community"]
    assert deadline.due == D(2026, 4, 19)
    assert deadline.days_late(D(2026, 5, 1)) == 1


def test_minutes_within_two_weeks_of_each_meeting():
    second = {"date": "2026-05-20", "kind": "review", "minutes_distributed_on": "2026-05-25"}
    found = named(make_case(meetings=[MEETING, second]))
    assert found["minutes@2026-04-20"].due == D(2026, 5, 4)
    assert found["minutes@2026-04-20"].status(D(2026, 5, 5)) == "overdue"
    assert found["minutes"].due == D(2026, 6, 3)
    assert found["minutes"].status(D(2026, 6, 10)) == "done"


def test_initial_care_plan_goes_with_the_minutes_within_two_weeks():
    """"CSW should produce minutes of the meeting, and agreed action plan ... and
    distribute to all members within two weeks of the meeting."  The initial plan
    goes out with the minutes: sending the minutes sends it."""
    case = make_case(meetings=[MEETING], care_plan={"agreed_on": "2026-04-20"})
    deadline = named(case)["care_plan_distribution"]
    assert deadline.due == D(2026, 5, 4)
    assert deadline.status(D(2026, 5, 5)) == "overdue"
    sent = {**MEETING, "minutes_distributed_on": "2026-04-30"}
    case = make_case(meetings=[sent], care_plan={"agreed_on": "2026-04-20"})
    assert named(case)["care_plan_distribution"].done_on == D(2026, 4, 30)


def test_next_review_one_month_after_a_cmr_unless_a_reason_is_recorded():
    assert named(make_case(meetings=[MEETING]))["next_review"].due == D(2026, 5, 20)
    other = {**MEETING, "next_meeting": "2026-06-01", "next_meeting_reason": "school exams"}
    assert named(make_case(meetings=[other]))["next_review"].due == D(2026, 6, 1)


def test_no_before_meeting_deadline_for_a_meeting_without_a_status():
    """A meeting written before meetings had a status has no record of invitations or
    reports: no deadline its owner had no way to close (the old agenda and progress
    report deadlines were always open)."""
    found = named(make_case(agencies_involved=["csw", "education"], meetings=[MEETING]))
    assert not {"invitation", "progress_report#education", "family_notified",
                "assessment_sent"} & set(found)


def test_cmr_at_least_every_three_months_for_medium_and_high():
    case = make_case(assessment=MEDIUM, meetings=[MEETING])
    assert named(case)["cmr_interval"].due == D(2026, 7, 20)
    low = make_case(assessment={"risk_factors": {"site_of_injury": "low"}}, meetings=[MEETING])
    assert "cmr_interval" not in named(low)


def test_agreed_risk_level_overrides_the_assessment_for_the_interval():
    meeting = {**MEETING, "agreed_risk_level": "low"}
    assert "cmr_interval" not in named(make_case(assessment=MEDIUM, meetings=[meeting]))


def test_closed_case_keeps_only_what_it_still_owes():
    meetings = [{**MEETING, "kind": "closure", "agreed_risk_level": "low"}]
    # A medium case closes when a held CMR agreed it (rule closure.cmr_agreement).
    closure = {"date": "2026-04-21", "reason": "moved", "moved_to": "Prizren",
               "agreed_at_meeting": "2026-04-20", "family_views": "agree",
               "child_views": "agrees"}
    found = named(make_case(assessment=MEDIUM, meetings=meetings, closure=closure))
    assert set(found) == {"minutes"}


def test_derived_deadline_list_has_one_entry_per_deadline():
    meeting = {**MEETING, "status": "held", "invitation_sent_on": "2026-04-16"}
    case = make_case(meetings=[meeting])
    found = {(e["kind"], e["meeting"], e["agency"]): e
             for e in deadline_list(case, D(2026, 4, 22), XK)}
    assert found[("invitation", "2026-04-20", None)] == {
        "kind": "invitation", "meeting": "2026-04-20", "agency": None, "due": "2026-04-17",
        "done_on": "2026-04-16", "status": "done", "days_late": 0}
    assert found[("assessment", None, None)]["status"] == "overdue"
    assert len(found) == len(case_deadlines(case, XK))


def test_derived_deadlines_document_has_due_done_on_and_status():
    document = deadlines_document(make_case(), D(2026, 4, 22), XK)
    assert document["assessment"] == {"due": "2026-04-21", "done_on": None,
                                      "status": "overdue", "days_late": 1}
