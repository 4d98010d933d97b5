"""The CMR cycle's deadlines: one test per duty, the protocol's sentence in each docstring."""

import datetime as dt

import pytest

from cpkit import protocol
from cpkit.errors import InvalidCase
from cpkit.exchange import load_case
from cpkit.rules import timescales
from cpkit.rules.calendar import Calendar
from cpkit.rules.checks import case_warnings
from cpkit.rules.deadlines import case_deadlines, label
from cpkit.rules.meetings import attendance_problems, invited_agencies

XK = Calendar("XK")
D = dt.date
INVOLVED = ["csw", "education", "police_community"]


def make_case(meetings, **parts):
    document = {"format": "cpkit-case/1", "case_id": "PR-2026-0200",
                "referral": {"date": "2026-09-01"}, "agencies_involved": INVOLVED,
                "assessment": {"completed_on": "2026-09-10",
                               "risk_factors": {"site_of_injury": "high"}},
                "meetings": meetings, **parts}
    return load_case(document)


def found(case, kind):
    return [d for d in case_deadlines(case, XK) if d.kind == kind]


INITIAL = {"date": "2026-09-28", "kind": "initial", "status": "held"}
REVIEW = {"date": "2026-10-28", "kind": "review", "status": "held"}


def test_a_planned_meeting_does_not_close_the_initial_cmr_deadline():
    """"A CMR should be held for each medium and high risk case": only a held meeting
    holds it.  A planned meeting, even one whose day has come, closes nothing."""
    planned = {**INITIAL, "status": "planned"}
    (deadline,) = found(make_case([planned]), "initial_cmr")
    assert deadline.done_on is None
    (deadline,) = found(make_case([INITIAL]), "initial_cmr")
    assert deadline.done_on == D(2026, 9, 28)
    # Nor does a planned review close the next review or the three-month interval.
    case = make_case([INITIAL, {**REVIEW, "status": "planned"}])
    assert all(d.done_on is None for d in found(case, "next_review"))
    assert all(d.done_on is None for d in found(case, "cmr_interval"))
    assert [d.meeting for d in found(case, "minutes")] == [D(2026, 9, 28)]


def test_a_meeting_cannot_be_held_in_the_future_and_a_cancelled_one_says_why():
    """A meeting recorded "held" before it happens is refused; "cancelled (with a
    reason)"."""
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(InvalidCase, match=r"meetings\[0\].status"):
        make_case([{**INITIAL, "date": tomorrow}])
    with pytest.raises(InvalidCase, match=r"meetings\[0\].status"):  # no status: held
        make_case([{"date": tomorrow, "kind": "initial"}])
    make_case([{**INITIAL, "date": tomorrow, "status": "planned"}])
    with pytest.raises(InvalidCase, match=r"meetings\[0\].cancelled_reason"):
        make_case([{**INITIAL, "status": "cancelled"}])
    cancelled = {**INITIAL, "status": "cancelled", "cancelled_reason": "family ill"}
    assert found(make_case([cancelled]), "invitation") == []


def test_invitation_and_agenda_of_the_initial_cmr_three_days_before():
    """"Invitations should be sent (see Appendix 6) together with agenda for the
    meeting", the agenda "no later than 3 (three) days before the meeting": for every
    CMR, the initial one included."""
    planned = {**INITIAL, "status": "planned"}
    (deadline,) = found(make_case([planned]), "invitation")
    assert (deadline.due, deadline.meeting, deadline.done_on) == (
        D(2026, 9, 25), D(2026, 9, 28), None)
    sent = {**planned, "invitation_sent_on": "2026-09-24"}
    (deadline,) = found(make_case([sent]), "invitation")
    assert deadline.done_on == D(2026, 9, 24)
    review = {**REVIEW, "status": "planned"}
    assert [d.meeting for d in found(make_case([INITIAL, review]), "invitation")] == [
        D(2026, 9, 28), D(2026, 10, 28)]


def test_progress_report_from_each_involved_agency_before_each_follow_up_cmr():
    """"For follow up CMRs members should submit a written progress report at least
    three days in advance of the meeting": one deadline per involved agency (the
    chairing CSW aside) per follow-up CMR, closed by that agency's own report."""
    report = {"agency": "education", "by": "school officer", "submitted_on": "2026-10-24",
              "text": "attends daily", "actions": [{"id": "a1", "status": "in_progress"}]}
    review = {**REVIEW, "status": "planned", "progress_reports": [report]}
    deadlines = {d.agency: d for d in found(make_case([INITIAL, review]), "progress_report")}
    assert set(deadlines) == {"education", "police_community"}
    assert deadlines["education"].due == D(2026, 10, 25)
    assert deadlines["education"].done_on == D(2026, 10, 24)
    assert deadlines["police_community"].done_on is None
    assert deadlines["police_community"].name == "progress_report#police_community"
    # None before the initial CMR; one report per agency and meeting.
    assert found(make_case([INITIAL]), "progress_report") == []
    with pytest.raises(InvalidCase, match=r"progress_reports\[1\].agency"):
        make_case([INITIAL, {**review, "progress_reports": [report, report]}])


def test_apologies_24_hours_before_with_the_information_and_the_substitute():
    """"If agencies / members cannot attend the meeting they should notify the CSW at
    least 24 hours in advance and provide any additional information they may have";
    "they are obliged to appoint another representative" (Article 8)."""
    invited = [{"agency": "police_community", "answer": "substitute",
                "answered_on": "2026-09-26", "substitute": "Officer B",
                "information": "no new reports"},
               {"agency": "education", "answer": "apologies", "answered_on": "2026-09-28"},
               {"agency": "dhsw", "answer": None}]
    planned = {**INITIAL, "status": "planned", "invited": invited}
    deadlines = {d.agency: d for d in found(make_case([planned]), "apologies")}
    assert set(deadlines) == {"police_community", "education"}
    assert deadlines["police_community"].due == D(2026, 9, 27)
    assert deadlines["police_community"].status(D(2026, 10, 1)) == "done"
    assert deadlines["education"].days_late(D(2026, 10, 1)) == 1
    with pytest.raises(InvalidCase, match=r"invited\[0\].substitute"):
        make_case([{**planned, "invited": [{**invited[0], "substitute": " "}]}])


def test_family_notified_and_views_sought_before_the_meeting():
    """"The CSW should confirm that the family and child have been notified about the
    meeting and their views [sought]. They should confirm whether the family intend to
    attend the meeting and if so make sure that arrangements are in place in order to
    ensure their attendance is supported": done when the notice, the views and whether
    the family will attend are recorded, with the support they need kept beside them."""
    planned = {**INITIAL, "status": "planned", "family_notified_on": "2026-09-20"}
    (deadline,) = found(make_case([planned]), "family_notified")
    assert deadline.due == D(2026, 9, 25)
    assert deadline.done_on is None
    views = {**planned, "views_sought_on": "2026-09-22"}  # attending not yet known
    assert found(make_case([views]), "family_notified")[0].done_on is None
    done = {**planned, "views_sought_on": "2026-09-22", "family_will_attend": True,
            "attendance_support": "transport"}
    (deadline,) = found(make_case([done]), "family_notified")
    assert deadline.done_on == D(2026, 9, 22)
    case = make_case([done])
    assert (case.meetings[0].family_will_attend, case.meetings[0].attendance_support) == (
        True, "transport")
    away = {**done, "family_will_attend": False, "attendance_support": None}
    assert found(make_case([away]), "family_notified")[0].done_on == D(2026, 9, 22)


def test_outcome_told_to_an_absent_family():
    """"If not present at the meeting, the child and family should be notified of the
    outcome of the meeting by the case manager / CSW."""
    absent = {**INITIAL, "family_attended": True, "child_attended": False}
    (deadline,) = found(make_case([absent]), "outcome_told")
    assert (deadline.due, deadline.done_on) == (D(2026, 10, 5), None)
    told = {**absent, "outcome_told_on": "2026-09-30"}
    assert found(make_case([told]), "outcome_told")[0].done_on == D(2026, 9, 30)
    present = {**INITIAL, "family_attended": True, "child_attended": True}
    assert found(make_case([present]), "outcome_told") == []


def test_a_review_that_changed_the_plan_gets_a_one_week_distribution_deadline():
    """"The care plan should be updated in accordance with the review and a copy
    distributed to members and the family within one week of the date of the CMR."""
    case = make_case([INITIAL, REVIEW], care_plan={"agreed_on": "2026-10-28"})
    (deadline,) = found(case, "care_plan_distribution")
    assert (deadline.due, deadline.meeting) == (D(2026, 11, 4), D(2026, 10, 28))
    # The minutes of the review do not count: the plan is its own copy.
    sent = {**REVIEW, "minutes_distributed_on": "2026-10-30"}
    case = make_case([INITIAL, sent], care_plan={"agreed_on": "2026-10-28"})
    assert found(case, "care_plan_distribution")[0].done_on is None


def test_invitees_by_the_protocols_rule():
    """"For the initial CMR and when it is proposed to close a case all agencies should
    be invited. In follow up CMRs only those agencies who are involved with the family
    should be invited."""
    case = make_case([])
    assert len(invited_agencies(case, "initial")) == len(protocol.agency_keys()) - 1
    assert invited_agencies(case, "closure") == invited_agencies(case, "initial")
    assert invited_agencies(case, "review") == INVOLVED


def test_article_7_validity_lists_the_invited_members_not_present():
    """"Meetings are considered valid and can be held if the meeting is attended by all
    the members who are directly involved in the case" (Article 7): a warning."""
    meeting = {**REVIEW, "invited": [{"agency": "education"}, {"agency": "police_community"}],
               "participants": [{"agency": "education", "name": "teacher"}]}
    case = make_case([INITIAL, meeting])
    assert attendance_problems(case.meetings[1]) == ["police_community"]


def test_the_rules_compute_from_the_timescale_table(monkeypatch):
    """The one table decides: change a row and the due date and the name follow."""
    planned = {**INITIAL, "status": "planned"}
    row = timescales.row("invitation")
    monkeypatch.setitem(row, "amount", 5)
    (deadline,) = found(make_case([planned]), "invitation")
    assert deadline.due == D(2026, 9, 23)
    assert "5 days before the CMR" in label("invitation", "en")


@pytest.mark.parametrize("lang", ["en", "sq", "sr", "sr-Cyrl"])
def test_every_deadline_kind_has_a_name_in_every_language(lang):
    for kind in timescales.kinds():
        text = label(kind, lang)
        assert kind not in text and "{" not in text, (kind, text)


INVITED = [{"agency": "education"}, {"agency": "police_community"}]


@pytest.mark.rule("meetings.article_7_validity", "warns")
def test_a_held_meeting_without_every_invited_member_warns():
    """"The regular and extraordinary Task Force meetings are considered valid and can be
    held if the meeting is attended by all the members who are directly involved in the
    case" (Article 7): a warning naming who was not there."""
    meeting = {**REVIEW, "invited": INVITED,
               "participants": [{"agency": "education", "name": "teacher"}]}
    warnings = case_warnings(make_case([INITIAL, meeting]), D(2026, 11, 1))
    found = [w for w in warnings if w.rule == "meetings.article_7_validity"]
    assert [w.path for w in found] == ["meetings[1].participants"]
    assert protocol.label("agency", "police_community") in found[0].message


@pytest.mark.rule("meetings.article_7_validity", "allows")
def test_a_held_meeting_attended_by_every_member_or_substitute_does_not_warn():
    """"... considered valid ... if the meeting is attended by all the members who are
    directly involved": present in person or by the substitute named (Article 8)."""
    meeting = {**REVIEW, "invited": INVITED, "participants": [
        {"agency": "education", "name": "teacher"},
        {"agency": "police_community", "name": "substitute officer"}]}
    warnings = case_warnings(make_case([INITIAL, meeting]), D(2026, 11, 1))
    assert not [w for w in warnings if w.rule == "meetings.article_7_validity"]
    planned = {**REVIEW, "status": "planned", "invited": INVITED}  # not held yet: no warning
    warnings = case_warnings(make_case([INITIAL, planned]), D(2026, 10, 1))
    assert not [w for w in warnings if w.rule == "meetings.article_7_validity"]
