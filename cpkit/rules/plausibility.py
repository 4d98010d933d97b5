"""What an assessor types must be possible on the day they type it.

These are not the protocol's rules (those are :mod:`cpkit.rules.registry`'s, with the
protocol's words): they are the plain facts a form checks before it saves, each named
by its field: a case is about a child in a municipality, things that have happened
cannot have happened after today, consent cannot be given before the child was born,
an action of a care plan says what need it meets, what is done and which agency does
it.  Stored and imported cases are checked by :func:`cpkit.rules.checks.case_problems`;
these add what only makes sense against today's date and a person at a form.
"""

from __future__ import annotations

import datetime as dt

from cpkit.errors import FieldProblem
from cpkit.i18n import N_, _
from cpkit.model import Case

# Events that have happened by the time they are recorded: (path, getter).
RECORDED_EVENTS = (
    ("referral.date", lambda c: c.referral.date),
    ("referral.identified_on", lambda c: c.referral.identified_on),
    ("consent.date", lambda c: c.consent.date),
    ("consent.disclosure_agreed_on", lambda c: c.consent.disclosure_agreed_on),
    ("assessment.started_on", lambda c: c.assessment.started_on),
    ("assessment.completed_on", lambda c: c.assessment.completed_on),
    ("care_plan.agreed_on", lambda c: c.care_plan.agreed_on),
    ("care_plan.distributed_on", lambda c: c.care_plan.distributed_on),
    ("closure.date", lambda c: c.closure.date if c.closure else None),
)
IN_THE_FUTURE = N_("is in the future (today is {today}): record it on the day it happens")
ACTION_NEEDS = {
    "need": N_("is required: the need this action meets"),
    "action": N_("is required: what will be done"),
    "responsible_agency": N_("is required: the agency responsible for the action"),
}


def entry_problems(case: Case, today: dt.date) -> list[FieldProblem]:
    """Every implausible entry of ``case`` on ``today``, each naming its field."""
    return [*identity_problems(case), *future_problems(case, today),
            *consent_problems(case), *action_problems(case)]


def identity_problems(case: Case) -> list[FieldProblem]:
    """A case is about a child in a municipality (its code is made from it)."""
    problems = []
    if not (case.municipality or "").strip():
        problems.append(FieldProblem("municipality", _(
            "is required: the case code is made from the municipality")))
    child = case.child
    if not ((child.given_name or "").strip() or (child.family_name or "").strip()):
        problems.append(FieldProblem("child.given_name", _(
            "is required: the child's given name or family name")))
    return problems


def future_problems(case: Case, today: dt.date) -> list[FieldProblem]:
    """Recorded events (referral, consent, assessment, agreement, closure) after today."""
    text = _(IN_THE_FUTURE).format(today=today.isoformat())
    return [FieldProblem(path, text) for path, get in RECORDED_EVENTS
            if (day := get(case)) is not None and day > today]


def consent_problems(case: Case) -> list[FieldProblem]:
    """Consent cannot be given (nor disclosure agreed) before the child was born."""
    born = case.child.date_of_birth
    if born is None:
        return []
    return [FieldProblem(path, _("is before the child's date of birth"))
            for path, day in (("consent.date", case.consent.date),
                              ("consent.disclosure_agreed_on", case.consent.disclosure_agreed_on))
            if day is not None and day < born]


def action_problems(case: Case) -> list[FieldProblem]:
    """Each care plan action says its need, what is done and the agency that does it."""
    return [FieldProblem(f"care_plan.actions[{i}].{key}", _(message))
            for i, action in enumerate(case.care_plan.actions)
            for key, message in ACTION_NEEDS.items()
            if not (getattr(action, key) or "").strip()]
