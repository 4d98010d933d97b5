"""The rules a whole case must meet before it is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel

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


# Dates a case can plausibly hold: nothing before this year, nothing further ahead of
# today than PLAUSIBLE_AHEAD (plans and planned meetings look ahead; recorded events
# cannot be far ahead), and no birth date after today.
EARLIEST = dt.date(1950, 1, 1)
PLAUSIBLE_AHEAD = dt.timedelta(days=2 * 366)


def _dates(model: BaseModel, path: str = "") -> Iterator[tuple[str, dt.date]]:
    """Every date in ``model`` with its field path (``meetings[0].date``)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if isinstance(value, dt.date):
            yield here, value
        elif isinstance(value, BaseModel):
            yield from _dates(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _dates(item, f"{here}[{i}]")


def plausible_date_problems(case: Case, today: dt.date | None = None) -> list[FieldProblem]:
    """Dates outside the plausible range (a year 9999, a birth date in the future), and
    two meetings recorded on one day."""
    today = today or dt.date.today()
    latest = today + PLAUSIBLE_AHEAD
    problems = []
    for path, day in _dates(case):
        if day < EARLIEST or day > latest:
            problems.append(FieldProblem(path, "is not a plausible date (1950 to two "
                                         "years from today)"))
    dob = case.child.date_of_birth
    if dob and dob > today:
        problems.append(FieldProblem("child.date_of_birth", "is in the future"))
    first: dict[dt.date, int] = {}
    for i, meeting in enumerate(case.meetings):
        if meeting.date in first:
            problems.append(FieldProblem(f"meetings[{i}].date",
                                         "another meeting is recorded on the same day"))
        first.setdefault(meeting.date, i)
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
    found = [*plausible_date_problems(case), *date_problems(case), *consent_problems(case),
             *meeting_problems(case), *closure_problems(case)]
    return [FieldProblem(p.path, p.message, case.case_id or "") for p in found]
