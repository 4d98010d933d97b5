"""Case Management Roundtables: who is invited, when the next one is, what risk holds."""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.errors import FieldProblem
from cpkit.model import Case, Meeting
from cpkit.rules.calendar import add_months
from cpkit.rules.risk import case_risk

ALL_AGENCY_KINDS = ("initial", "closure")


def invited_agencies(case: Case, kind: str) -> list[str]:
    """"For the initial CMR and when it is proposed to close a case all agencies should
    be invited. In follow up CMRs only those agencies who are involved with the family
    should be invited."

    The Center for Social Work chairs every CMR, so it is always invited; ``other`` is
    a catch-all key, never an agency to invite by default.
    """
    if kind in ALL_AGENCY_KINDS:
        return [key for key in protocol.agency_keys() if key != "other"]
    involved = [key for key in protocol.agency_keys() if key in case.agencies_involved]
    return involved if "csw" in involved else ["csw", *involved]


def next_meeting_date(meeting: Meeting) -> dt.date:
    """The recorded next meeting, else "after one month"."""
    return meeting.next_meeting or add_months(meeting.date, 1)


def next_meeting_needs_reason(meeting: Meeting) -> bool:
    """"If the review period is not one month, the reason for this should be documented
    in the minutes."
    """
    return meeting.next_meeting is not None and meeting.next_meeting != add_months(meeting.date, 1)


def current_risk(case: Case) -> str | None:
    """The risk level that holds now: the latest CMR's agreed level, else the assessment.

    "Following discussion, the participants should be asked to agree the risk level
    for the case."  Before any CMR has agreed one, the assessed overall level holds.
    """
    for meeting in reversed(case.meetings):
        if meeting.agreed_risk_level:
            return None if meeting.agreed_risk_level == "none" else meeting.agreed_risk_level
    return case_risk(case).level


def meeting_problems(case: Case) -> list[FieldProblem]:
    """Check each meeting's dates and the reason for a next meeting not a month later."""
    problems = []
    for i, meeting in enumerate(case.meetings):
        at = f"meetings[{i}]"
        if meeting.date < case.referral.date:
            problems.append(FieldProblem(f"{at}.date", "is before the referral date"))
        if meeting.next_meeting and meeting.next_meeting <= meeting.date:
            problems.append(FieldProblem(f"{at}.next_meeting", "is not after the meeting"))
        elif next_meeting_needs_reason(meeting) and not (meeting.next_meeting_reason or "").strip():
            problems.append(FieldProblem(
                f"{at}.next_meeting_reason",
                "is required: the next meeting is not one month after this one",
            ))
        distributed = meeting.minutes_distributed_on
        if distributed and distributed < meeting.date:
            problems.append(FieldProblem(f"{at}.minutes_distributed_on",
                                         "is before the meeting"))
    return problems
