"""A case as plain text, for ``cpkit show`` and for people reading a terminal."""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.i18n import _
from cpkit.model import Case
from cpkit.rules.deadlines import case_deadlines
from cpkit.rules.risk import OverallRisk, age_years, case_risk
from cpkit.rules.stages import stage_label
from cpkit.rules.summary import stage
from cpkit.rules.timescales import deadline_text


def _line(label: str, value: object) -> str:
    return f"  {label + ':':<22} {value if value not in (None, '', []) else '-'}"


def risk_headline(risk: OverallRisk) -> str:
    """The level and why, in the protocol's words: "High risk: Site of injury" or
    "High risk: unaccompanied child".  Empty when nothing is assessed."""
    if risk.level is None:
        return ""
    level = protocol.label("level", risk.level)
    if "unaccompanied" in risk.reasons:
        why = _("unaccompanied child")
    else:
        why = ", ".join(protocol.label("factor", key) for key in risk.reasons)
    return f"{level}: {why}"


def cmr_required_text(risk: OverallRisk) -> str:
    """Whether a CMR is required, in words; "not known yet" while the assessment is
    incomplete and nothing assessed is medium or high (rule ``risk.cmr_required``)."""
    if risk.cmr_required is None:
        return _("CMR required: not known yet (assessment incomplete)")
    return _("CMR required") if risk.cmr_required else _("No CMR required")


def risk_reason(case: Case) -> str:
    """The overall level with why: "high: site of injury" or "incomplete: 3 of 11"."""
    risk = case_risk(case)
    if risk.level is None:
        return _("not assessed")
    text = risk_headline(risk)
    if not risk.complete:
        text += " " + _("(incomplete: {n} of {total} factors assessed)").format(
            n=risk.assessed, total=len(protocol.factor_keys()))
    return text


def case_summary(case: Case, as_of: dt.date, redact: bool = False) -> str:
    """Identification, risk, plan, meetings and deadlines of one case."""
    child = case.child
    lines = [f"{_('Case')} {case.code}" + (f"  [{_('training')}]" if case.training else "")]
    if not redact:
        name = " ".join(p for p in (child.given_name, child.family_name) if p)
        lines += [_line(_("Child"), name), _line(_("Date of birth"), child.date_of_birth),
                  _line(_("Address"), child.address)]
    referrer = case.referral.referring_agency
    lines += [
        _line(_("Age"), age_years(child.date_of_birth, as_of)),
        _line(_("Municipality"), case.municipality),
        _line(_("Case manager"), case.case_manager),
        _line(_("Stage"), stage_label(stage(case))),
        _line(_("Referred"), f"{case.referral.date} "
              f"({protocol.label('agency', referrer) if referrer else '-'})"),
        _line(_("Abuse categories"), ", ".join(
            protocol.label("abuse_category", c) for c in case.referral.abuse_categories)),
        _line(_("Overall risk"), risk_reason(case)),
        _line(_("Agencies involved"), ", ".join(
            protocol.label("agency", a) for a in case.agencies_involved)),
        _line(_("Meetings (CMR)"), ", ".join(
            f"{m.date} {protocol.label('meeting_kind', m.kind)}" for m in case.meetings)),
        _line(_("Care plan actions"), len(case.care_plan.actions)),
    ]
    if case.closure:
        lines.append(_line(_("Closed"), f"{case.closure.date} "
                           f"({protocol.label('closure_reason', case.closure.reason)})"))
    open_ = [d for d in case_deadlines(case) if d.done_on is None]
    if open_:
        lines.append(f"  {_('Open deadlines')}:")
        for d in sorted(open_, key=lambda d: d.due):
            late = _("overdue") if d.status(as_of) == "overdue" else ""
            lines.append(f"    {d.due}  {deadline_text(d.kind, d.meeting)}  {late}".rstrip())
    warnings = _warnings(case, as_of, redact)
    if warnings:
        lines.append(f"  {_('Protocol warnings not yet acknowledged')}:")
        lines += [f"    {w.path}: {w.message}" for w in warnings]
    return "\n".join(lines)


def _warnings(case: Case, as_of: dt.date, redact: bool) -> list:
    """The case's pending warnings; in a redacted summary none about the child's own
    data (the 18th-birthday prompt would show the date of birth)."""
    from cpkit.rules.acknowledgements import pending

    return [w for w in pending(case, as_of) if not (redact and w.path.startswith("child."))]


def _late_line(deadline, as_of: dt.date) -> str:
    """"education: Progress report sent (...), 2 days late" in the reader's language."""
    from cpkit.rules.deadlines import label

    who = protocol.label("agency", deadline.agency) + ": " if deadline.agency else ""
    return _("{who}{deadline}, {days} day(s) late").format(
        who=who, deadline=label(deadline.kind), days=deadline.days_late(as_of))


def meetings_text(case: Case, as_of: dt.date) -> str:
    """Each meeting of a case: status, time and venue, invitees and their answers,
    progress reports, and what is late (for ``cpkit meeting list``)."""
    deadlines = [d for d in case_deadlines(case) if d.meeting and d.status(as_of) == "overdue"]
    lines = [f"{case.code}"]
    if not case.meetings:
        lines.append("  " + _("no meetings"))
    for m in sorted(case.meetings, key=lambda m: m.date):
        status = protocol.label("meeting_status", m.status or "held")
        when = " ".join(x for x in (m.date.isoformat(), m.time or "") if x)
        lines.append(f"{when}  {protocol.label('meeting_kind', m.kind)}  ({status})"
                     + (f"  {m.venue}" if m.venue else ""))
        if m.cancelled_reason:
            lines.append(_line(_("Reason"), m.cancelled_reason))
        for invitee in m.invited:
            agency = protocol.label("agency", invitee.agency) if invitee.agency else "-"
            answer = (protocol.label("invitation_answer", invitee.answer) if invitee.answer
                      else _("not answered"))
            extra = [invitee.substitute or "", invitee.information or ""]
            lines.append(_line(agency, "; ".join(x for x in [answer, *extra] if x)))
        for report in m.progress_reports:
            text = _("progress report of {date}").format(
                date=report.submitted_on.isoformat() if report.submitted_on else "-")
            lines.append(_line(protocol.label("agency", report.agency), text))
        late = [d for d in deadlines if d.meeting == m.date]
        if late:
            lines.append("  " + _("Late") + ":")
            lines += [f"    {_late_line(d, as_of)}" for d in late]
    return "\n".join(lines)
