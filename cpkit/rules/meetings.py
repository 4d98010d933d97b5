"""Case Management Roundtables: who is invited, when the next one is, what risk holds."""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.errors import FieldProblem
from cpkit.i18n import N_, _
from cpkit.model import Case, Meeting
from cpkit.rules.calendar import add_months, calendar
from cpkit.rules.registry import rule
from cpkit.rules.risk import case_risk, unaccompanied_unsecured

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


def held_meetings(case: Case) -> list[Meeting]:
    """The meetings that took place, in date order.  A planned or cancelled meeting
    never counts as held, for any deadline or rule."""
    return sorted((m for m in case.meetings if m.held), key=lambda m: m.date)


def live_meetings(case: Case) -> list[Meeting]:
    """Held and planned meetings (not the cancelled ones), in date order."""
    return sorted((m for m in case.meetings if m.status != "cancelled"), key=lambda m: m.date)


def find_meeting(case: Case, day: dt.date) -> Meeting | None:
    """The meeting (held or planned) on ``day``; a cancelled one only if nothing else is."""
    found = [m for m in case.meetings if m.date == day]
    found.sort(key=lambda m: m.status == "cancelled")
    return found[0] if found else None


def is_follow_up(case: Case, meeting: Meeting) -> bool:
    """Every CMR after the first one is a follow-up CMR (the initial one is not)."""
    if meeting.kind == "initial":
        return False
    return any(m.date < meeting.date for m in live_meetings(case))


def reporting_agencies(case: Case) -> list[str]:
    """The members who owe a progress report before a follow-up CMR: "only those
    agencies who are involved with the family", the chairing CSW aside (its part is
    "Actions undertaken by case manager" in the minutes)."""
    return [a for a in protocol.agency_keys() if a in case.agencies_involved and a != "csw"]


def attendance_problems(meeting: Meeting) -> list[str]:
    """Article 7: "meetings are considered valid and can be held if the meeting is
    attended by all the members who are directly involved in the case".

    The invited agencies (or, before invitations were kept, nobody) that neither
    attended nor sent a substitute who attended; the words of a warning, not a refusal.
    """
    present = {p.agency for p in meeting.participants if p.agency}
    missing = []
    for invitee in meeting.invited:
        if invitee.agency and invitee.agency not in present and invitee.agency != "other":
            missing.append(invitee.agency)
    return list(dict.fromkeys(missing))


def next_meeting_date(meeting: Meeting) -> dt.date:
    """The recorded next meeting, else "after one month"."""
    return meeting.next_meeting or add_months(meeting.date, 1)


def next_meeting_needs_reason(meeting: Meeting) -> bool:
    """"If the review period is not one month, the reason for this should be documented
    in the minutes."
    """
    if meeting.next_meeting is None:
        return False
    month = add_months(meeting.date, 1)
    # A month later that falls on a weekend or public holiday moves to the next working
    # day: still "one month" (cpkit's reading; the forms offer that day).
    return meeting.next_meeting not in (month, calendar().next_working_day(month))


def current_risk(case: Case) -> str | None:
    """The risk level that holds now: the latest CMR's agreed level, else the assessment.

    "Following discussion, the participants should be asked to agree the risk level
    for the case."  Before any CMR has agreed one, the assessed overall level holds.  An
    unaccompanied child stays high, whatever a CMR agreed, until safe accommodation and
    ongoing support are both recorded (rule ``risk.unaccompanied_high``).
    """
    if unaccompanied_unsecured(case.child):
        return "high"
    for meeting in reversed(held_meetings(case)):
        if meeting.agreed_risk_level:
            return None if meeting.agreed_risk_level == "none" else meeting.agreed_risk_level
    return case_risk(case).level


def is_held(meeting: Meeting | dict) -> bool:
    """A meeting (or a meeting's document) held: status ``held`` or no status."""
    if isinstance(meeting, dict):
        return meeting.get("status") in (None, "held")
    return meeting.held


def meeting_problems(case: Case, today: dt.date | None = None) -> list[FieldProblem]:
    """Check each meeting's dates and the reason for a next meeting not a month later."""
    today = today or dt.date.today()
    problems = []
    seen: dict[dt.date, int] = {}
    for i, meeting in enumerate(case.meetings):
        at = f"meetings[{i}]"
        problems += _status_problems(meeting, at, today)
        problems += _answer_problems(meeting, at)
        if meeting.status != "cancelled":
            if meeting.date in seen:
                first = seen[meeting.date]
                problems.append(FieldProblem(
                    f"{at}.date", f"another meeting is on this date (meetings[{first}])"))
            seen.setdefault(meeting.date, i)
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


def _status_problems(meeting: Meeting, at: str, today: dt.date) -> list[FieldProblem]:
    """A meeting cannot be held in the future; a cancelled one says why."""
    if meeting.held and meeting.date > today:
        return [FieldProblem(f"{at}.status", "a meeting dated after today cannot be recorded "
                             "as held (record it as planned)")]
    if meeting.status == "cancelled" and not (meeting.cancelled_reason or "").strip():
        return [FieldProblem(f"{at}.cancelled_reason", "is required: the meeting is cancelled")]
    return []


def _answer_problems(meeting: Meeting, at: str) -> list[FieldProblem]:
    """A substitute is named; one progress report per agency."""
    problems = []
    for j, invitee in enumerate(meeting.invited):
        if invitee.answer == "substitute" and not (invitee.substitute or "").strip():
            problems.append(FieldProblem(f"{at}.invited[{j}].substitute",
                                         "is required: the answer is a substitute"))
    agencies = [r.agency for r in meeting.progress_reports]
    for j, agency in enumerate(agencies):
        if agency in agencies[:j]:
            problems.append(FieldProblem(f"{at}.progress_reports[{j}].agency",
                                         f"{agency} has already reported for this meeting"))
    return problems


@rule("meetings.article_7_validity", "warning",
      N_("The regular and extraordinary Task Force meetings are considered valid and can be "
         "held if the meeting is attended by all the members who are directly involved in "
         "the case or cases which are going to be discussed."),
      N_("Internal Regulations, Article 7"), form="cmr", reports=("minutes",))
def article_7_validity(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A held meeting whose invited members did not all attend (themselves or their
    substitute): a warning, stated in the minutes.  Only meetings with invitees kept
    (documents written before have no record of who was invited)."""
    problems = []
    for i, meeting in enumerate(case.meetings):
        if meeting.status != "held":
            continue
        missing = attendance_problems(meeting)
        if missing:
            names = ", ".join(protocol.label("agency", a) for a in missing)
            problems.append(FieldProblem(f"meetings[{i}].participants",
                                         _("not present: {agencies}").format(agencies=names)))
    return problems


def as_at_meeting(case: Case, history: list[Case], day: dt.date) -> Case:
    """The case as it stood when the meeting on ``day`` was recorded as held: the
    assessment and the care plan of that version (the store keeps every version),
    everything about the meetings and the closure as they are now.  ``history`` is
    oldest first; without a version recording the meeting, the case as it is."""
    for version in history:
        if any(m.date == day and m.held for m in version.meetings):
            document = case.to_document()
            then = version.to_document()
            for key in ("assessment", "care_plan"):
                if key in then:
                    document[key] = then[key]
                else:
                    document.pop(key, None)
            return Case.model_validate(document)
    return case
