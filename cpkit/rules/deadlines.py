"""The protocol's timescales as named deadlines, each with a due date and a done date.

Every deadline is a pure function of the case and the working-day calendar; only the
status (done / due / overdue) depends on the day asked about (``as_of``).  A deadline
that repeats (one per meeting) is named ``minutes`` for the latest meeting and
``minutes@YYYY-MM-DD`` for earlier ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from cpkit.i18n import N_, gettext
from cpkit.model import Case, Meeting
from cpkit.rules.calendar import Calendar, add_months, calendar
from cpkit.rules.meetings import current_risk, next_meeting_date

# Kinds of deadline, in the order a case meets them.
KINDS = (
    "assessment", "initial_cmr", "assessment_sent", "apologies", "minutes",
    "care_plan_distribution", "next_review", "agenda", "progress_reports", "cmr_interval",
)
# Each kind as a reader sees it: the protocol's timescale, so a missed one reads as the
# rule that was missed.
LABELS = {
    "assessment": N_("Assessment completed (14 working days)"),
    "initial_cmr": N_("Initial CMR held"),
    "assessment_sent": N_("Assessment sent to agencies (2 working days before the CMR)"),
    "apologies": N_("Apologies notified (24 hours before the CMR)"),
    "minutes": N_("Minutes distributed (within two weeks)"),
    "care_plan_distribution": N_("Care plan distributed (within one week)"),
    "next_review": N_("Next review CMR held"),
    "agenda": N_("Agenda sent (3 days before the CMR)"),
    "progress_reports": N_("Progress reports submitted (3 days before the CMR)"),
    "cmr_interval": N_("CMR held at least once every three months"),
}
# What a closed case still owes; the rest lapse with the closure.
OWED_AFTER_CLOSURE = {"minutes", "care_plan_distribution"}


@dataclass(frozen=True)
class Deadline:
    """A protocol timescale for one case."""

    kind: str
    due: dt.date
    done_on: dt.date | None = None
    meeting: dt.date | None = None  # the meeting it belongs to, where it repeats
    latest: bool = True
    ref: str = ""  # tells apart several of one kind at one meeting (apologies)

    @property
    def name(self) -> str:
        name = self.kind if self.latest or not self.meeting else f"{self.kind}@{self.meeting}"
        return f"{name}#{self.ref}" if self.ref else name

    def status(self, as_of: dt.date) -> str:
        if self.done_on is not None:
            return "done"
        return "overdue" if as_of > self.due else "due"

    def days_late(self, as_of: dt.date) -> int:
        """Days past due: until done, or until ``as_of`` while still open."""
        end = self.done_on or as_of
        return max(0, (end - self.due).days)

    def to_dict(self, as_of: dt.date) -> dict:
        return {
            "due": self.due.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "status": self.status(as_of),
            "days_late": self.days_late(as_of),
        }


def assessment(case: Case, cal: Calendar) -> list[Deadline]:
    """"The assessment should be completed within 14 working days from referral."""
    due = cal.add_working_days(case.referral.date, 14)
    return [Deadline("assessment", due, case.assessment.completed_on)]


def initial_cmr(case: Case, cal: Calendar) -> list[Deadline]:
    """"A CMR should be held for each medium and high risk case."

    The protocol sets no day; the CMR meets monthly, so cpkit expects the initial
    CMR within one month of the assessment (completed, or due when still open).
    """
    if current_risk(case) not in ("medium", "high"):
        return []
    start = case.assessment.completed_on or assessment(case, cal)[0].due
    held = case.meetings[0].date if case.meetings else None
    return [Deadline("initial_cmr", add_months(start, 1), held)]


def assessment_sent(case: Case, cal: Calendar) -> list[Deadline]:
    """"Agencies should be sent a copy of the assessment at least two working days in
    advance of the initial meeting."

    The format records no sending date, so the completed assessment counts as sent
    on the day it was completed.
    """
    initial = next((m for m in case.meetings if m.kind == "initial"), None)
    if initial is None:
        return []
    due = cal.add_working_days(initial.date, -2)
    return [Deadline("assessment_sent", due, case.assessment.completed_on, initial.date)]


def apologies(case: Case, cal: Calendar) -> list[Deadline]:
    """"If agencies / members cannot attend the meeting they should notify the CSW at
    least 24 hours in advance."
    """
    out = []
    for meeting in case.meetings:
        for i, apology in enumerate(meeting.apologies, 1):
            due = meeting.date - dt.timedelta(days=1)
            notified = apology.notified_on or meeting.date
            out.append(Deadline("apologies", due, notified, meeting.date, ref=str(i)))
    return out


def minutes(case: Case, cal: Calendar) -> list[Deadline]:
    """"CSW should produce minutes of the meeting ... and distribute to all members
    within two weeks of the meeting."
    """
    return [
        Deadline("minutes", m.date + dt.timedelta(weeks=2), m.minutes_distributed_on, m.date)
        for m in case.meetings
    ]


def care_plan_distribution(case: Case, cal: Calendar) -> list[Deadline]:
    """"The care plan should be updated ... and a copy distributed to members and the
    family within one week of the date of the CMR."
    """
    plan = case.care_plan
    if plan.agreed_on is None:
        return []
    return [Deadline("care_plan_distribution", plan.agreed_on + dt.timedelta(weeks=1),
                     plan.distributed_on, plan.agreed_on)]


def _following(case: Case, meeting: Meeting) -> dt.date | None:
    later = [m.date for m in case.meetings if m.date > meeting.date]
    return min(later) if later else None


def next_review(case: Case, cal: Calendar) -> list[Deadline]:
    """"Agree and set time for next meeting (i.e. review CMR). This should be after one
    month, unless agreed otherwise at the meeting."
    """
    return [
        Deadline("next_review", next_meeting_date(m), _following(case, m), m.date)
        for m in case.meetings
    ]


def cmr_interval(case: Case, cal: Calendar) -> list[Deadline]:
    """"CMRs should be held at least 1 time for 3 month" for medium and high risk cases."""
    if current_risk(case) not in ("medium", "high"):
        return []
    return [
        Deadline("cmr_interval", add_months(m.date, 3), _following(case, m), m.date)
        for m in case.meetings
    ]


def _before_next_meeting(kind: str, case: Case, days: int) -> list[Deadline]:
    if not case.meetings or case.closure is not None:
        return []
    upcoming = next_meeting_date(case.meetings[-1])
    return [Deadline(kind, upcoming - dt.timedelta(days=days), None, upcoming)]


def agenda(case: Case, cal: Calendar) -> list[Deadline]:
    """The coordinator sends "the agenda to all the other Task Force members no later
    than 3 (three) days before the meeting" (Internal Regulations, Article 6).
    """
    return _before_next_meeting("agenda", case, 3)


def progress_reports(case: Case, cal: Calendar) -> list[Deadline]:
    """"For follow up CMRs members should submit a written progress report at least
    three days in advance of the meeting."
    """
    return _before_next_meeting("progress_reports", case, 3)


RULES = (assessment, initial_cmr, assessment_sent, apologies, minutes,
         care_plan_distribution, next_review, agenda, progress_reports, cmr_interval)


def case_deadlines(case: Case, cal: Calendar | None = None) -> list[Deadline]:
    """All deadlines of a case, the latest of each kind marked ``latest``.

    A closed case keeps what was done and what it still owes (minutes, care plan
    copies); the other open deadlines lapse with the closure.
    """
    cal = cal or calendar()
    found = [d for rule in RULES for d in rule(case, cal)]
    if case.closure is not None:
        found = [d for d in found if d.done_on or d.kind in OWED_AFTER_CLOSURE]
    return _mark_latest(found)


def _mark_latest(found: list[Deadline]) -> list[Deadline]:
    """Mark, for each kind (and ref), the deadline of the latest meeting."""
    latest: dict[tuple[str, str], Deadline] = {}
    for d in found:
        key = (d.kind, d.ref)
        if key not in latest or (d.meeting or d.due) >= (latest[key].meeting or latest[key].due):
            latest[key] = d
    chosen = {id(d) for d in latest.values()}
    return [replace(d, latest=id(d) in chosen) for d in found]


def deadlines_document(case: Case, as_of: dt.date, cal: Calendar | None = None) -> dict:
    """The ``derived.deadlines`` object of the exchange format."""
    return {d.name: d.to_dict(as_of) for d in case_deadlines(case, cal)}


def label(kind: str, lang: str | None = None) -> str:
    """The reader's name of a deadline kind, in ``lang``."""
    text = LABELS.get(kind)
    return gettext(text, lang) if text else kind


def next_open(deadlines: list[Deadline]) -> Deadline | None:
    """The earliest deadline not yet done."""
    open_ = [d for d in deadlines if d.done_on is None]
    return min(open_, key=lambda d: d.due) if open_ else None
