"""Rules about the child: age, turning 18, unaccompanied children, conflict with the law."""

from __future__ import annotations

import datetime as dt

from cpkit.errors import FieldProblem
from cpkit.i18n import N_, _
from cpkit.model import Case
from cpkit.rules.calendar import add_months
from cpkit.rules.meetings import is_held
from cpkit.rules.registry import rule
from cpkit.rules.risk import UNACCOMPANIED_WORDS, age_years, unaccompanied_unsecured

ADULT_AGE = 18
# How long before the 18th birthday the prompt to consider closure appears.
TURNS_18_NOTICE_MONTHS = 3
PROBATION_AGES = range(14, 18)  # "minors in conflict with the law from 14-18 years old"


@rule("child.age_at_referral", "refusal",
      N_("Child: any person under the age of 18 years old."),
      N_("Definitions; Appendix 1, Article 4 (children from 0 to 18 years old)"),
      form="referral")
def age_at_referral(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A case is for a child: 0 to 17 years old on the referral date."""
    age = age_years(case.child.date_of_birth, case.referral.date)
    if age is not None and age >= ADULT_AGE:
        return [FieldProblem("child.date_of_birth", _(
            "the child must be under 18 on the referral date (is {age})").format(age=age))]
    return []


def eighteenth_birthday(case: Case) -> dt.date | None:
    """The day the child turns 18 (29 February birthdays: 1 March)."""
    born = case.child.date_of_birth
    if born is None:
        return None
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:
        return dt.date(born.year + ADULT_AGE, 3, 1)


@rule("child.turns_18", "warning", N_("When the child is over 18 years old"),
      N_("Procedure for Closing Cases"), form="cmr", reports=("minutes",))
def turns_18(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """An open case whose child turns 18 within the next three months (or has turned
    18): a dated prompt to consider closure."""
    birthday = eighteenth_birthday(case)
    if as_of is None or birthday is None or case.closure is not None:
        return []
    if as_of < add_months(birthday, -TURNS_18_NOTICE_MONTHS):
        return []
    return [FieldProblem("child.date_of_birth", _(
        "the child turns 18 on {date}: consider closure (reason 'over 18')").format(
        date=birthday.isoformat()))]


@rule("cmr.unaccompanied_agreed_lower", "refusal", UNACCOMPANIED_WORDS,
      N_("Risk Analysis Framework"), form="cmr", reports=("minutes",))
def unaccompanied_agreed_lower(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A CMR may not agree a level below high for an unaccompanied child before safe
    accommodation and ongoing support are both recorded (on or before the meeting)."""
    problems = []
    for i, meeting in enumerate(case.meetings):
        level = meeting.agreed_risk_level
        if level in (None, "high") or not unaccompanied_unsecured(case.child, meeting.date):
            continue
        problems.append(FieldProblem(f"meetings[{i}].agreed_risk_level", _(
            "an unaccompanied child stays high risk until safe accommodation and ongoing "
            "support are both recorded (child.safe_accommodation_on, "
            "child.support_in_place_on)")))
    return problems


def _probation_reached(case: Case) -> bool:
    if "probation" in case.agencies_involved:
        return True
    for meeting in case.meetings:
        people = [*meeting.participants, *meeting.apologies] if is_held(meeting) else []
        if any(p.agency == "probation" for p in [*people, *meeting.invited]):
            return True
    return False


@rule("child.probation", "warning",
      N_("Probation Service Officer (Ministry of Justice) is responsible in the CMR for the "
         "management of cases of minors in conflict with the law from 14-18 years old."),
      N_("Section II: Roles and Responsibilities of the CMR Members"), form="referral",
      reports=("minutes",))
def probation(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A child in conflict with the law aged 14 to 17 (today, else at referral) without
    the probation service involved or invited."""
    if not case.child.in_conflict_with_law or case.closure is not None:
        return []
    age = age_years(case.child.date_of_birth, as_of or case.referral.date)
    if age not in PROBATION_AGES or _probation_reached(case):
        return []
    return [FieldProblem("agencies_involved", _(
        "a child of {age} in conflict with the law: the probation service should be involved "
        "or invited").format(age=age))]
