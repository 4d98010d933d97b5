"""The rules a whole case must meet before it is stored, and the warnings it raises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Annotated, Literal, get_args, get_origin

from pydantic import BaseModel

from cpkit.errors import FieldProblem
from cpkit.i18n import _
from cpkit.model import Case
from cpkit.rules import registry
from cpkit.rules.consent import information_shared  # noqa: F401  (kept importable here)
from cpkit.rules.meetings import meeting_problems


def date_problems(case: Case) -> list[FieldProblem]:
    """Dates that cannot be true together."""
    problems = []
    referral = case.referral.date
    if case.child.date_of_birth and case.child.date_of_birth > referral:
        problems.append(FieldProblem("child.date_of_birth", _("is after the referral date")))
    started, completed = case.assessment.started_on, case.assessment.completed_on
    if started and completed and completed < started:
        problems.append(FieldProblem("assessment.completed_on",
                                     _("is before the date the assessment started")))
    if case.care_plan.agreed_on and case.care_plan.agreed_on < referral:
        problems.append(FieldProblem("care_plan.agreed_on", _("is before the referral date")))
    if case.closure is not None and case.closure.date < referral:
        problems.append(FieldProblem("closure.date", _("is before the referral date")))
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
        if isinstance(value, dt.datetime):  # a timestamp (an acknowledgement's "at")
            yield here, value.date()
        elif isinstance(value, dt.date):
            yield here, value
        elif isinstance(value, BaseModel):
            yield from _dates(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _dates(item, f"{here}[{i}]")


def _all_within(model: BaseModel, earliest: dt.date, latest: dt.date) -> bool:
    """Whether every date in ``model`` is in the range: the walk of :func:`_dates`
    without field paths (it runs for every case stored), looking only at the fields
    whose type can hold a date or a part (:func:`_date_fields`)."""
    stack = [model]
    while stack:
        here = stack.pop()
        values = here.__dict__
        for name in _date_fields(type(here)):
            value = values[name]
            if value is None:
                continue
            if isinstance(value, dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                if day < earliest or day > latest:
                    return False
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, BaseModel))
            elif isinstance(value, BaseModel):
                stack.append(value)
    return True


@cache
def _date_fields(kind: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``kind`` whose declared type can hold a date or a part (a text, a
    flag, a number or a choice cannot): most of a case's fields are skipped unread."""
    return tuple(name for name, field in kind.model_fields.items()
                 if _may_hold_date(field.annotation))


def _may_hold_date(annotation: object) -> bool:
    if annotation in _PLAIN or annotation is type(None):
        return False
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is Annotated:
        return _may_hold_date(get_args(annotation)[0])
    args = get_args(annotation)
    if args:  # a list, an optional value: what it holds
        return any(_may_hold_date(a) for a in args)
    return True  # a date, a part, anything else: looked at


_PLAIN = frozenset((str, bool, int, float))  # types that hold no date and no model


def plausible_date_problems(case: Case, today: dt.date | None = None) -> list[FieldProblem]:
    """Dates outside the plausible range (a year 9999, a birth date in the future), and
    two meetings recorded on one day."""
    today = today or dt.date.today()
    latest = today + PLAUSIBLE_AHEAD
    problems = []
    if not _all_within(case, EARLIEST, latest):  # the paths only to name what is wrong
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


def case_problems(case: Case) -> list[FieldProblem]:
    """Every refusal of ``case``, each naming its field (and its rule, for the protocol's)."""
    found = [*plausible_date_problems(case), *date_problems(case), *meeting_problems(case),
             *registry.run(case, "refusal")]
    return [replace(p, case=case.case_id or "") for p in found]


def case_warnings(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Every warning of ``case`` on ``as_of`` (the protocol's "should"), acknowledged or not."""
    return [replace(p, case=case.case_id or "") for p in registry.run(case, "warning", as_of)]
