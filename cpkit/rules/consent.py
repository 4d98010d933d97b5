"""Consent and assent: when information may be shared, and whose agreement is asked.

"In general, consent must be obtained before passing on information regarding a child
or their families from parents (and also children). This includes making referrals to
other agencies." (Section 1, Informed Consent / Assent)
"""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.errors import FieldProblem
from cpkit.i18n import N_, _
from cpkit.model import Case
from cpkit.rules.meetings import is_held
from cpkit.rules.registry import rule
from cpkit.rules.risk import age_years

CONSENT = N_("Section 1: Informed Consent / Assent")
NO_CONSENT = ("not_sought", "refused")
# "Even with very young children (i.e. under 5 years old), efforts should be made to
# share and explain information": from 5 the child's assent is asked for.
ASSENT_FROM_AGE = 5


def information_shared(case: Case) -> list[str]:
    """How the case's information went beyond the Center for Social Work, in words: a
    referral to another agency, a CMR invitation, a CMR held, minutes distributed."""
    shared = []
    others = [a for a in case.agencies_involved
              if a not in ("csw", case.referral.referring_agency)]
    if others:
        shared.append(_("a referral to {agencies}").format(
            agencies=", ".join(protocol.label("agency", a) for a in others)))
    for meeting in case.meetings:
        if meeting.invitation_sent_on or is_held(meeting):
            shared.append(_("the CMR of {date}").format(date=meeting.date.isoformat()))
        if meeting.minutes_distributed_on:
            shared.append(_("minutes distributed on {date}").format(
                date=meeting.minutes_distributed_on.isoformat()))
    return shared


def shared_without_consent(case: Case) -> list[str]:
    """What was shared although the parents' consent was not sought or was refused, or
    the child refused assent; empty when consent allows it or nothing was shared."""
    consent = case.consent
    if consent.parent_consent in NO_CONSENT or consent.child_assent == "refused":
        return information_shared(case)
    return []


def _consent_state(case: Case) -> str:
    consent = case.consent
    if "refused" in (consent.parent_consent, consent.child_assent):
        return _("consent was refused")
    return _("consent was not sought")


@rule("consent.reason", "refusal",
      N_("In exceptional circumstances, information can be shared against parents and "
         "children's wishes if it is considered, that it is in their best interests to do "
         "so. The reasons for doing so must be carefully explained."),
      CONSENT, form="referral", reports=("minutes",))
def reason(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Information shared without consent needs the reason recorded."""
    shared = shared_without_consent(case)
    if not shared or (case.consent.shared_without_consent_reason or "").strip():
        return []
    return [FieldProblem("consent.shared_without_consent_reason", _(
        "is required: {state} and information was shared ({what})").format(
        state=_consent_state(case), what="; ".join(shared)))]


@rule("consent.management", "refusal",
      N_("Each case should be considered individually, and decisions to disclose information "
         "should be taken in conjunction with management of the agency."),
      CONSENT, form="referral", reports=("minutes",))
def management(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Information shared without consent names the member of the agency's management
    who agreed (the exception to the protocol's "must" holds only with management)."""
    shared = shared_without_consent(case)
    if not shared or (case.consent.disclosure_agreed_by or "").strip():
        return []
    return [FieldProblem("consent.disclosure_agreed_by", _(
        "is required: {state} and information was shared; name the member of management "
        "who agreed").format(state=_consent_state(case)))]


@rule("consent.child_assent", "warning",
      N_("For younger children who are by nature too young to give informed consent, but "
         "old enough to understand and agree to participate, the child's informed assent "
         "should be sought."),
      CONSENT, form="referral", reports=("care-plan",))
def child_assent(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """From the age of 5 (at the referral) the child's assent should be asked for and
    its answer recorded (given or refused)."""
    age = age_years(case.child.date_of_birth, case.referral.date)
    if age is None or age < ASSENT_FROM_AGE or case.consent.child_assent in ("given", "refused"):
        return []
    return [FieldProblem("consent.child_assent", _(
        "the child is {age}: the child's assent should be sought and recorded").format(age=age))]
