"""The case's chronology: its significant events in date order, for CMRs and for court.

Built from what the case holds (the referral and any further ones, consent, the
assessment, each CMR and its decisions, the care plan and its distribution, what was
done or not done about each action, the agencies' progress reports and what they could
not carry out, the closure and any reopening by a further referral) and from the events
the case manager added by hand (``chronology``: an incident, a hearing, with a date and a source).
Nothing is typed twice: the chronology is derived, like the deadlines.

Each event's ``what`` is in words of the reader's language; free text the case holds
(a concern, a decision) is quoted as written, and the report redacts it like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cpkit import protocol
from cpkit.i18n import N_, gettext
from cpkit.model import Case, Closure
from cpkit.rules.reopening import reopenings

WORDS = {
    "identified": N_("Concern identified by {agency}"),
    "referral": N_("Referral received from {agency}"),
    "further_referral": N_("Further referral received from {agency}"),
    "consent": N_("Consent recorded (parents: {parents}; child: {child})"),
    "assessment_started": N_("Assessment started"),
    "assessment_completed": N_("Assessment completed"),
    "meeting_held": N_("{kind} held"),
    "meeting_planned": N_("{kind} planned"),
    "meeting_cancelled": N_("{kind} cancelled"),
    "risk_agreed": N_("Risk level agreed at the CMR: {level}"),
    "decision": N_("Decision of the CMR"),
    "care_plan_agreed": N_("Care plan agreed"),
    "care_plan_distributed": N_("Care plan distributed"),
    "minutes_distributed": N_("Minutes of the CMR of {meeting} distributed"),
    "action_progress": N_("Action {action} ({agency}): progress noted"),
    "closure": N_("Case closed: {reason}"),
    "reopened": N_("Case reopened after a further referral from {agency}"),
    "progress_report": N_("Progress report from {agency}"),
    "cannot_comply": N_("{agency} cannot carry out action {action}"),
    "recorded": N_("Recorded by the case manager"),
}
NOT_RECORDED = N_("not recorded")


@dataclass(frozen=True)
class Event:
    """One line of the chronology: when, what (in words), the case's own text, source."""

    date: dt.date
    kind: str
    what: str
    text: str | None = None
    source: str | None = None


def _say(event: str, lang: str | None, **values) -> str:
    return gettext(WORDS[event], lang).format(**values)


def _agency(key: str | None, lang: str | None) -> str:
    return protocol.label("agency", key, lang) if key else gettext(NOT_RECORDED, lang)


def _referrals(case: Case, lang: str | None) -> list[Event]:
    r = case.referral
    out = []
    if r.identified_on:
        out.append(Event(r.identified_on, "identified",
                         _say("identified", lang, agency=_agency(r.referring_agency, lang))))
    out.append(Event(r.date, "referral", _say("referral", lang,
                                              agency=_agency(r.referring_agency, lang)),
                     r.concern, r.referrer))
    for further in (case.model_extra or {}).get("further_referrals") or []:
        out.append(Event(dt.date.fromisoformat(further["date"]), "further_referral",
                         _say("further_referral", lang,
                              agency=_agency(further.get("referring_agency"), lang)),
                         further.get("concern"), further.get("referrer")))
    return out


def _consent_and_assessment(case: Case, lang: str | None) -> list[Event]:
    out = []
    c = case.consent
    if c.date:
        words = {k: protocol.label("consent", v, lang) if v else gettext(NOT_RECORDED, lang)
                 for k, v in (("parents", c.parent_consent), ("child", c.child_assent))}
        out.append(Event(c.date, "consent", _say("consent", lang, **words),
                         c.shared_without_consent_reason))
    a = case.assessment
    if a.started_on:
        out.append(Event(a.started_on, "assessment_started", _say("assessment_started", lang)))
    if a.completed_on:
        out.append(Event(a.completed_on, "assessment_completed",
                         _say("assessment_completed", lang), a.summary))
    return out


def _meetings(case: Case, lang: str | None) -> list[Event]:
    out = []
    for m in case.meetings:
        kind = protocol.label("meeting_kind", m.kind, lang)
        state = {"planned": "meeting_planned", "cancelled": "meeting_cancelled"}.get(
            m.status or "held", "meeting_held")
        out.append(Event(m.date, state, _say(state, lang, kind=kind),
                         m.cancelled_reason if state == "meeting_cancelled" else m.discussion,
                         m.chair))
        for report in m.progress_reports:
            if not report.submitted_on:
                continue
            agency = _agency(report.agency, lang)
            out.append(Event(report.submitted_on, "progress_report",
                             _say("progress_report", lang, agency=agency), report.text,
                             report.by))
            out.extend(Event(report.submitted_on, "cannot_comply", _say(
                "cannot_comply", lang, agency=agency, action=a.id), a.note, report.by)
                for a in report.actions if a.cannot_comply)
        if state != "meeting_held":
            continue
        if m.agreed_risk_level:
            out.append(Event(m.date, "risk_agreed", _say(
                "risk_agreed", lang, level=protocol.label("level", m.agreed_risk_level, lang))))
        out.extend(Event(m.date, "decision", _say("decision", lang), d) for d in m.decisions)
        if m.minutes_distributed_on:
            out.append(Event(m.minutes_distributed_on, "minutes_distributed", _say(
                "minutes_distributed", lang, meeting=m.date.strftime("%d.%m.%Y"))))
    return out


def _care_plan(case: Case, lang: str | None) -> list[Event]:
    plan = case.care_plan
    out = []
    if plan.agreed_on:
        out.append(Event(plan.agreed_on, "care_plan_agreed", _say("care_plan_agreed", lang)))
    if plan.distributed_on:
        out.append(Event(plan.distributed_on, "care_plan_distributed",
                         _say("care_plan_distributed", lang)))
    for number, action in enumerate(plan.actions, 1):
        for step in action.progress:
            if step.date:
                out.append(Event(step.date, "action_progress", _say(
                    "action_progress", lang, action=action.id or number,
                    agency=_agency(action.responsible_agency, lang)), step.note, step.by))
    return out


def chronology(case: Case, lang: str | None = None) -> list[Event]:
    """Every significant event of ``case``, oldest first (same day: in the order the
    case met them)."""
    events = [*_referrals(case, lang), *_consent_and_assessment(case, lang),
              *_meetings(case, lang), *_care_plan(case, lang)]
    events.extend(Event(e.date, "recorded", _say("recorded", lang), e.what, e.source)
                  for e in case.chronology)
    closures = [(Closure.model_validate(r["closure"]), r) for r in reopenings(case)]
    if case.closure is not None:
        closures.append((case.closure, None))
    for closure, reopened in closures:
        events.append(Event(closure.date, "closure", _say(
            "closure", lang, reason=protocol.label("closure_reason", closure.reason, lang)),
            closure.notes, closure.responsible))
        if reopened:
            events.append(Event(dt.date.fromisoformat(reopened["date"]), "reopened", _say(
                "reopened", lang, agency=_agency(reopened.get("referring_agency"), lang)),
                None, reopened.get("by")))
    return sorted(events, key=lambda e: e.date)  # stable: same-day order kept
