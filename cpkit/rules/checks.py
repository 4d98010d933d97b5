"""The rules a whole case must meet before it is stored."""

from __future__ import annotations

from cpkit.errors import FieldProblem
from cpkit.model import Case
from cpkit.rules.closure import closure_problems
from cpkit.rules.meetings import meeting_problems


def date_problems(case: Case) -> list[FieldProblem]:
    """Dates that cannot be true together."""
    problems = []
    referral = case.referral.date
    if case.child.date_of_birth and case.child.date_of_birth > referral:
        problems.append(FieldProblem("child.date_of_birth", "is after the referral date"))
    started, completed = case.assessment.started_on, case.assessment.completed_on
    if started and completed and completed < started:
        problems.append(FieldProblem("assessment.completed_on", "is before started_on"))
    if case.care_plan.agreed_on and case.care_plan.agreed_on < referral:
        problems.append(FieldProblem("care_plan.agreed_on", "is before the referral date"))
    return problems


def information_shared(case: Case) -> bool:
    """Whether the case's information has gone beyond the Center for Social Work."""
    return bool(case.meetings) or any(a != "csw" for a in case.agencies_involved)


def consent_problems(case: Case) -> list[FieldProblem]:
    """"In exceptional circumstances, information can be shared against parents and
    children's wishes ... The reasons for doing so must be carefully explained."
    """
    consent = case.consent
    refused = "refused" in (consent.parent_consent, consent.child_assent)
    if refused and information_shared(case) and not (
        consent.shared_without_consent_reason or ""
    ).strip():
        return [FieldProblem(
            "consent.shared_without_consent_reason",
            "is required: consent was refused and information was shared",
        )]
    return []


def case_problems(case: Case) -> list[FieldProblem]:
    """Every rule problem of ``case``, each naming its field."""
    found = [*date_problems(case), *consent_problems(case), *meeting_problems(case),
             *closure_problems(case)]
    return [FieldProblem(p.path, p.message, case.case_id or "") for p in found]
