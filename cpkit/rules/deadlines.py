"""The protocol's timescales as deadlines, each with a due date and a done date.

Every due date comes from the one timescale table (:mod:`cpkit.rules.timescales`);
every deadline is a pure function of the case and the working-day calendar; only the
status (done / due / overdue) depends on the day asked about (``as_of``).  Each
deadline is one duty that doing it closes: it belongs to a meeting where it repeats
and to the agency that owes it where the protocol asks "each member".  A deadline
that repeats is named ``minutes`` for the latest meeting and ``minutes@YYYY-MM-DD``
for earlier ones, ``#agency`` added where an agency owes it.

Before-meeting duties (invitation, assessment sent, progress reports, family
notified) exist only for meetings whose ``status`` is recorded: a meeting written
before meetings had a status has no record of them, and a deadline its owner has no
way to close is never shown.  A planned meeting never closes a deadline; a
cancelled one has none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from cpkit.model import Case, Meeting
from cpkit.rules import timescales
from cpkit.rules.calendar import Calendar, calendar
from cpkit.rules.meetings import (
    current_risk,
    held_meetings,
    is_follow_up,
    live_meetings,
    next_meeting_date,
    reporting_agencies,
)
from cpkit.rules.reopening import current_cycle

# Kinds of deadline, in the order a case meets them (from the timescale table).
KINDS = tuple(timescales.kinds())
# What a closed case still owes; the rest lapse with the closure.
OWED_AFTER_CLOSURE = {"minutes", "care_plan_distribution", "outcome_told"}


@dataclass(frozen=True)
class Deadline:
    """A protocol timescale for one case (and meeting, and agency)."""

    kind: str
    due: dt.date
    done_on: dt.date | None = None
    meeting: dt.date | None = None  # the meeting it belongs to, where it repeats
    latest: bool = True
    ref: str = ""  # tells apart several of one kind at one meeting (the agency)
    agency: str | None = None  # the agency that owes it, where one does

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

    def entry(self, as_of: dt.date) -> dict:
        """One entry of ``derived.deadline_list``."""
        return {"kind": self.kind,
                "meeting": self.meeting.isoformat() if self.meeting else None,
                "agency": self.agency, **self.to_dict(as_of)}


def _both(*days: dt.date | None) -> dt.date | None:
    """Done when every part is done: the last of the dates, else None."""
    return None if any(d is None for d in days) else max(days)  # type: ignore[type-var]


def _tracked(case: Case) -> list[Meeting]:
    """Meetings whose before-meeting duties are recorded (held or planned, with a status)."""
    return [m for m in live_meetings(case) if m.status is not None]


def assessment(case: Case, cal: Calendar) -> list[Deadline]:
    """"The assessment should be completed within 14 working days from referral."""
    due = timescales.due("assessment", case.referral.date, cal)
    return [Deadline("assessment", due, case.assessment.completed_on)]


def initial_cmr(case: Case, cal: Calendar) -> list[Deadline]:
    """"A CMR should be held for each medium and high risk case."

    The protocol sets no day; the CMR meets monthly, so cpkit expects the initial
    CMR within one month of the assessment (completed, or due when still open).  Only
    a held meeting closes it, never a planned one.
    """
    if current_risk(case) not in ("medium", "high"):
        return []
    start = case.assessment.completed_on or assessment(case, cal)[0].due
    held = held_meetings(case)
    return [Deadline("initial_cmr", timescales.due("initial_cmr", start, cal),
                     held[0].date if held else None)]


def invitation(case: Case, cal: Calendar) -> list[Deadline]:
    """"Invitations should be sent (see Appendix 6) together with agenda for the
    meeting", the agenda "no later than 3 (three) days before the meeting" (Internal
    Regulations, Article 6): for every CMR, the initial one included."""
    return [Deadline("invitation", timescales.due("invitation", m.date, cal),
                     m.invitation_sent_on, m.date) for m in _tracked(case)]


def assessment_sent(case: Case, cal: Calendar) -> list[Deadline]:
    """"Agencies should be sent a copy of the assessment at least two working days in
    advance of the initial meeting ... A draft care plan / suggestions for action
    should be sent together with the assessment."

    Done on the day both went out (their own sending dates, never the day the
    assessment was completed).
    """
    return [Deadline("assessment_sent", timescales.due("assessment_sent", m.date, cal),
                     _both(m.assessment_sent_on, m.draft_plan_sent_on), m.date)
            for m in _tracked(case) if m.kind == "initial"]


def progress_report(case: Case, cal: Calendar) -> list[Deadline]:
    """"For follow up CMRs members should submit a written progress report at least
    three days in advance of the meeting": one per involved agency and meeting."""
    out = []
    for m in _tracked(case):
        if not is_follow_up(case, m):
            continue
        due = timescales.due("progress_report", m.date, cal)
        for agency in reporting_agencies(case):
            report = m.report_of(agency)
            out.append(Deadline("progress_report", due, report.submitted_on if report else None,
                                m.date, ref=agency, agency=agency))
    return out


def apologies(case: Case, cal: Calendar) -> list[Deadline]:
    """"If agencies / members cannot attend the meeting they should notify the CSW at
    least 24 hours in advance and provide any additional information they may have."

    One per agency that answered with apologies or a substitute (done on the day it
    answered), and one per apology the minutes list without such an answer (done on
    its ``notified_on``, else on the meeting day: one day late).
    """
    out = []
    for m in live_meetings(case):
        due = timescales.due("apologies", m.date, cal)
        answered = set()
        for invitee in m.invited:
            if invitee.answer in ("apologies", "substitute"):
                answered.add(invitee.agency)
                ref = invitee.agency or str(len(answered))
                out.append(Deadline("apologies", due, invitee.answered_on or m.date, m.date,
                                    ref=ref, agency=invitee.agency))
        if not m.held:
            continue
        for i, apology in enumerate(m.apologies, 1):
            if apology.agency and apology.agency in answered:
                continue
            ref = apology.agency or str(i)
            out.append(Deadline("apologies", due, apology.notified_on or m.date, m.date,
                                ref=ref, agency=apology.agency))
    return out


def family_notified(case: Case, cal: Calendar) -> list[Deadline]:
    """"The CSW should confirm that the family and child have been notified about the
    meeting and their views [sought]. They should confirm whether the family intend
    to attend the meeting."

    The protocol sets no day; cpkit asks for it with the invitations, three days
    before.  Done when the notice, the views and whether the family will attend are
    all recorded (the support they need to attend is recorded beside it).
    """
    return [Deadline("family_notified", timescales.due("family_notified", m.date, cal),
                     _both(m.family_notified_on, m.views_sought_on)
                     if m.family_will_attend is not None else None, m.date)
            for m in _tracked(case)]


def minutes(case: Case, cal: Calendar) -> list[Deadline]:
    """"CSW should produce minutes of the meeting ... and distribute to all members
    within two weeks of the meeting."
    """
    return [Deadline("minutes", timescales.due("minutes", m.date, cal),
                     m.minutes_distributed_on, m.date) for m in held_meetings(case)]


def care_plan_distribution(case: Case, cal: Calendar) -> list[Deadline]:
    """The initial plan goes with the minutes: "CSW should produce minutes of the
    meeting, and agreed action plan ... and distribute to all members within two
    weeks of the meeting."  A plan changed at a review: "The care plan should be
    updated in accordance with the review and a copy distributed to members and the
    family within one week of the date of the CMR."

    The plan belongs to the held CMR on its ``agreed_on`` date; the first held CMR's
    plan is the initial one (sent with that meeting's minutes counts as sent).
    """
    plan = case.care_plan
    if plan.agreed_on is None:
        return []
    held = held_meetings(case)
    initial = not held or plan.agreed_on <= held[0].date
    if initial:
        with_minutes = held[0].minutes_distributed_on if held else None
        done = plan.distributed_on or with_minutes
        due = timescales.due("care_plan_initial", plan.agreed_on, cal)
    else:
        done = plan.distributed_on
        due = timescales.due("care_plan_review", plan.agreed_on, cal)
    return [Deadline("care_plan_distribution", due, done, plan.agreed_on)]


def outcome_told(case: Case, cal: Calendar) -> list[Deadline]:
    """"If not present at the meeting, the child and family should be notified of the
    outcome of the meeting by the case manager / CSW."

    For each held meeting (recorded with its status: older records have no place for
    it) the family or the child did not attend; the protocol sets no day, cpkit asks
    for it within a week (with the copy of the plan).
    """
    return [Deadline("outcome_told", timescales.due("outcome_told", m.date, cal),
                     m.outcome_told_on, m.date)
            for m in held_meetings(case) if m.status == "held"
            and (m.family_attended is False or m.child_attended is False)]


def _following(case: Case, meeting: Meeting) -> dt.date | None:
    later = [m.date for m in held_meetings(case) if m.date > meeting.date]
    return min(later) if later else None


def next_review(case: Case, cal: Calendar) -> list[Deadline]:
    """"Agree and set time for next meeting (i.e. review CMR). This should be after one
    month, unless agreed otherwise at the meeting."
    """
    return [
        Deadline("next_review", m.next_meeting or timescales.due("next_review", m.date, cal),
                 _following(case, m), m.date)
        for m in held_meetings(case)
    ]


def cmr_interval(case: Case, cal: Calendar) -> list[Deadline]:
    """"CMRs should be held at least 1 time for 3 month" for medium and high risk cases."""
    if current_risk(case) not in ("medium", "high"):
        return []
    return [
        Deadline("cmr_interval", timescales.due("cmr_interval", m.date, cal),
                 _following(case, m), m.date)
        for m in held_meetings(case)
    ]


RULES = (assessment, initial_cmr, invitation, assessment_sent, progress_report, apologies,
         family_notified, minutes, care_plan_distribution, outcome_told, next_review,
         cmr_interval)


def case_deadlines(case: Case, cal: Calendar | None = None) -> list[Deadline]:
    """All deadlines of a case, the latest of each kind marked ``latest``.

    A closed case keeps what was done and what it still owes (minutes, care plan
    copies, telling an absent family the outcome); the other open deadlines lapse
    with the closure.  A case reopened by a further referral starts again from that
    referral (:func:`cpkit.rules.reopening.current_cycle`).
    """
    cal = cal or calendar()
    case = current_cycle(case)  # a reopened case owes what its new referral asks
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
    # Only those whose mark changes are copied (most are the latest of their kind):
    # this runs for every case stored.
    return [d if d.latest == (id(d) in chosen) else replace(d, latest=id(d) in chosen)
            for d in found]


def deadlines_document(case: Case, as_of: dt.date, cal: Calendar | None = None) -> dict:
    """The ``derived.deadlines`` object of the exchange format (the case summary)."""
    return {d.name: d.to_dict(as_of) for d in case_deadlines(case, cal)}


def deadline_list(case: Case, as_of: dt.date, cal: Calendar | None = None) -> list[dict]:
    """The ``derived.deadline_list`` of the exchange format: every deadline, one entry
    each, with the meeting and the agency it belongs to, soonest first."""
    found = sorted(case_deadlines(case, cal), key=lambda d: (d.due, d.kind, d.ref))
    return [d.entry(as_of) for d in found]


def label(kind: str, lang: str | None = None) -> str:
    """The reader's name of a deadline kind, in ``lang`` (from the timescale table)."""
    return timescales.label(kind, lang)


def next_open(deadlines: list[Deadline]) -> Deadline | None:
    """The earliest deadline not yet done."""
    open_ = [d for d in deadlines if d.done_on is None]
    return min(open_, key=lambda d: d.due) if open_ else None


__all__ = ["KINDS", "Deadline", "case_deadlines", "deadline_list", "deadlines_document",
           "label", "next_meeting_date", "next_open"]
