"""The quick walk over a case's dates (:func:`cpkit.rules.checks._all_within`) reads
only the fields whose type can hold a date or a part: it must still find an
implausible date in every one of them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cpkit.demo import generate_cases
from cpkit.rules.checks import _dates, plausible_date_problems
from tests.conftest import AS_OF, CASE_FILES, fixture_case

LONG_AGO = dt.date(1900, 1, 1)


def _cases():
    return [fixture_case(name) for name in CASE_FILES] + generate_cases(
        12, seed=5, today=AS_OF)


def _set(case, path: str, value: dt.date) -> None:
    """Set the date at ``path`` (``meetings[0].date``) on ``case``."""
    target = case
    parts = path.split(".")
    for part in parts[:-1]:
        name, index = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part).groups()
        target = getattr(target, name)
        if index is not None:
            target = target[int(index)]
    current = getattr(target, parts[-1])
    if isinstance(current, dt.datetime):
        value = dt.datetime.combine(value, current.time(), current.tzinfo)
    setattr(target, parts[-1], value)


def test_every_date_of_the_cases_is_walked():
    seen = set()
    for case in _cases():
        assert plausible_date_problems(case, AS_OF) == []
        for path, _day in list(_dates(case)):
            changed = case.model_copy(deep=True)
            _set(changed, path, LONG_AGO)
            found = [p.path for p in plausible_date_problems(changed, AS_OF)]
            assert path in found, path
            seen.add(re.sub(r"\[\d+\]", "[]", path))
    # The cases hold dates in the parts that matter (not a walk over nothing).
    assert {"referral.date", "child.date_of_birth", "meetings[].date",
            "care_plan.actions[].due", "closure.date"} <= seen


@pytest.mark.parametrize("path", ["referral.date", "meetings[0].date"])
def test_a_date_too_far_ahead_is_found(path):
    case = next(c for c in _cases() if c.meetings)
    _set(case, path, AS_OF + dt.timedelta(days=3 * 366))
    assert path in [p.path for p in plausible_date_problems(case, AS_OF)]
