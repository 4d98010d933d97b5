"""The child's own file: everything held on one case, in words, for the child or their
representative (``cpkit export CASE_ID --for-child``).

The protocol: "information on children belongs to the children ... Agencies should
make arrangements so that a child can view the information held on file."  So this
is the full content, not a summary, with the protocol's labels instead of keys.

Do-not-disclose items are included, marked: each records something the child or
the family asked not to be passed to a named agency; the child's own copy shows
what was asked and of whom, so they can check it was recorded as they wished.  (In
an agency's redacted view the items meant to be kept from that agency are removed,
see :mod:`cpkit.access.redact`.)

Text values are shown literally; the HTML form escapes every value.
"""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.i18n import N_, _
from cpkit.markup import esc
from cpkit.model import Case
from cpkit.rules.risk import age_years
from cpkit.summary_text import risk_reason

_PRINTED = N_("Printed on {date}. This is everything recorded on this case.")
Section = tuple[str, list[tuple[str, object]]]


def _label(kind: str, key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return protocol.label(kind, key)
    except KeyError:
        return key


def _items(values: list[str]) -> str:
    return "; ".join(protocol.item_label(v) for v in values)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else (_("yes") if value else _("no"))


def sections(case: Case, as_of: dt.date) -> list[Section]:
    """The file as (heading, [(label, value)]) sections, in the protocol's order."""
    child, referral, consent, assessment = (case.child, case.referral, case.consent,
                                            case.assessment)
    name = " ".join(p for p in (child.given_name, child.family_name) if p)
    out: list[Section] = [
        (_("About you"), [
            (_("Name"), name), (_("Date of birth"), child.date_of_birth),
            (_("Age"), age_years(child.date_of_birth, as_of)), (_("Sex"), _label("sex", child.sex)),
            (_("Address"), child.address), (_("Languages"), ", ".join(child.languages)),
            (_("Without parents or carers (unaccompanied)"), _yes_no(child.unaccompanied)),
            (_("Disability"), _label("disability", child.disability)),
            (_("In conflict with the law"), _yes_no(child.in_conflict_with_law)),
            (_("Case code"), case.code), (_("Municipality"), case.municipality),
            (_("Your case manager"), case.case_manager),
            (_("Agencies working with you"), ", ".join(
                _label("agency", a) for a in case.agencies_involved)),
        ]),
        (_("Why we became involved (the referral)"), [
            (_("Date"), referral.date),
            (_("Who told us"), _label("agency", referral.referring_agency)),
            (_("Person who told us"), referral.referrer),
            (_("What they were worried about"), referral.concern),
            (_("Kinds of harm"), ", ".join(_label("abuse_category", c)
                                           for c in referral.abuse_categories)),
            (_("What was seen or happened"), _items(referral.manifestations)),
            (_("Signs noticed"), _items(referral.signs)),
        ]),
    ]
    consent_lines: list[tuple[str, object]] = [
        (_("Your parents' consent"), _label("consent", consent.parent_consent)),
        (_("Your agreement"), _label("consent", consent.child_assent)),
        (_("Given in writing"), _yes_no(consent.written)),
        (_("Date"), consent.date),
        (_("Why information was shared without consent"),
         consent.shared_without_consent_reason),
    ]
    for item in consent.do_not_disclose:
        consent_lines.append((
            _("Not to be shared with {agency} (as you or your family asked)").format(
                agency=_label("agency", item.from_) or _("any agency")), item.what))
    out.append((_("Consent and sharing information"), consent_lines))
    factors = assessment.risk_factors.assessed()
    out.append((_("Assessment"), [
        (_("Started"), assessment.started_on), (_("Completed"), assessment.completed_on),
        (_("Overall risk"), risk_reason(case)),
        *[(_label("factor", key), _label("level", level)) for key, level in factors.items()],
        (_("Nature of the risk"), _items(assessment.nature_of_risk)),
        (_("What makes you more vulnerable"), _items(assessment.vulnerabilities)),
        (_("What helps protect you"), _items(assessment.protective_influences)),
        *[(_label("indicator", key),
           " — ".join(str(v) for v in (_label("status", getattr(assessment.wellbeing, key).status),
                                       getattr(assessment.wellbeing, key).notes) if v))
          for key in protocol.indicator_keys()],
        (_("Development concerns"), _items(assessment.milestones_concerns)),
        (_("Your needs"), "; ".join(assessment.needs)),
        (_("Summary"), assessment.summary),
    ]))
    for meeting in case.meetings:
        out.append((_("Meeting of {date} ({kind})").format(
            date=meeting.date, kind=_label("meeting_kind", meeting.kind)), [
            (_("Chair"), meeting.chair),
            (_("Who took part"), "; ".join(
                ", ".join(str(v) for v in (p.name, p.role, _label("agency", p.agency)) if v)
                for p in meeting.participants)),
            (_("Your family took part"), _yes_no(meeting.family_attended)),
            (_("You took part"), _yes_no(meeting.child_attended)),
            (_("What your family said"), meeting.family_views),
            (_("What you said"), meeting.child_views),
            (_("Discussion"), meeting.discussion),
            (_("Agreed risk level"), _label("level", meeting.agreed_risk_level)
             if meeting.agreed_risk_level != "none" else _("none")),
            (_("Decisions"), "; ".join(meeting.decisions)),
            (_("Next meeting"), meeting.next_meeting),
        ]))
    plan = case.care_plan
    plan_lines: list[tuple[str, object]] = [(_("Agreed on"), plan.agreed_on),
                                            (_("Review date"), plan.review_date)]
    for action in plan.actions:
        who = ", ".join(str(v) for v in (action.responsible_person,
                                         _label("agency", action.responsible_agency)) if v)
        plan_lines.append((action.need or _("Action"), " — ".join(str(v) for v in (
            action.action, who, action.due and _("by {date}").format(date=action.due),
            _label("action_status", action.status)) if v)))
        for step in action.progress:
            plan_lines.append(("  " + str(step.date or ""), step.note))
    out.append((_("The care plan"), plan_lines))
    if case.closure:
        c = case.closure
        out.append((_("Closing the case"), [
            (_("Date"), c.date), (_("Reason"), _label("closure_reason", c.reason)),
            (_("What you said"), c.child_views), (_("What your family said"), c.family_views),
            (_("Notes"), c.notes)]))
    return out


def _shown(value: object) -> str | None:
    if value in (None, "", []):
        return None
    return str(value)


def as_text(case: Case, as_of: dt.date) -> str:
    """The child's file as plain text."""
    lines = [_("What we hold about you: case {code}").format(code=case.code),
             _(_PRINTED).format(date=as_of), ""]
    for heading, rows in sections(case, as_of):
        lines += [heading, "-" * len(heading)]
        for label, value in rows:
            shown = _shown(value)
            if shown is not None:
                lines.append(f"{label}: {shown}")
        lines.append("")
    return "\n".join(lines)


def as_html(case: Case, as_of: dt.date) -> str:
    """The child's file as a simple, self-contained HTML page (every value escaped)."""
    e = esc
    printed = _(_PRINTED).format(date=as_of)
    title = e(_("What we hold about you: case {code}").format(code=case.code))
    parts = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">',
             f"<title>{title}</title>",
             "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}"
             "dt{font-weight:bold;margin-top:.6em}dd{margin-left:1em;white-space:pre-wrap}"
             "</style></head><body>", f"<h1>{title}</h1>",
             f"<p>{e(printed)}</p>"]
    for heading, rows in sections(case, as_of):
        parts.append(f"<h2>{e(heading)}</h2><dl>")
        for label, value in rows:
            shown = _shown(value)
            if shown is not None:
                parts.append(f"<dt>{e(str(label))}</dt><dd>{e(shown)}</dd>")
        parts.append("</dl>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
