"""Overall risk from the Risk Analysis Framework."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cpkit import protocol
from cpkit.model import Case

ORDER = {"low": 0, "medium": 1, "high": 2}


def level_rank(level: str) -> int:
    """Rank of a level; ``not_known`` history ranks as high (the protocol's high row)."""
    return ORDER["high"] if level == "not_known" else ORDER[level]


@dataclass(frozen=True)
class OverallRisk:
    """The overall level and why: the factors that set it, or the unaccompanied rule."""

    level: str | None
    reasons: tuple[str, ...]
    assessed: int
    complete: bool

    @property
    def cmr_required(self) -> bool:
        return cmr_required(self.level)


def overall_risk(factors: dict[str, str], unaccompanied: bool = False) -> OverallRisk:
    """"The overall level of risk should be the highest indicated from the table."

    "Unaccompanied children are always considered as high risk cases until safe
    accommodation is secured for them."  ``factors`` maps factor keys to levels; a
    factor left out has not been assessed.  With nothing assessed (and an accompanied
    child) the level is ``None``.
    """
    assessed = {k: v for k, v in factors.items() if v is not None}
    complete = all(key in assessed for key in protocol.factor_keys())
    if unaccompanied:
        return OverallRisk("high", ("unaccompanied",), len(assessed), complete)
    if not assessed:
        return OverallRisk(None, (), 0, complete)
    top = max(level_rank(v) for v in assessed.values())
    level = next(name for name, rank in ORDER.items() if rank == top)
    reasons = tuple(k for k in protocol.factor_keys() if k in assessed
                    and level_rank(assessed[k]) == top)
    return OverallRisk(level, reasons, len(assessed), complete)


def case_risk(case: Case) -> OverallRisk:
    """Overall risk of a case from its assessment and the child's situation."""
    return overall_risk(case.assessment.risk_factors.assessed(), case.child.unaccompanied)


def cmr_required(level: str | None) -> bool:
    """"The CMR is a coordination mechanism held to consider child protection cases
    where the risk level is medium or high risk."
    """
    return level in ("medium", "high")


def risk_complete(case: Case) -> bool:
    """All eleven factors of the framework have been assessed."""
    return case_risk(case).complete


def age_years(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    """Whole years of age on ``on``."""
    if date_of_birth is None:
        return None
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def age_capacity_suggestion(age: int | None) -> str | None:
    """The level that the child's age alone suggests for ``child_age_capacity``.

    Low: "Child is over 10"; medium: "Child age 5-9"; high: "Child is 5 or under".
    The protocol leaves age 10 between its rows; cpkit reads "5-9" as up to 9 and
    takes 10 as low.  A suggestion only: dependence, illness or disability can raise
    the level at any age.
    """
    if age is None:
        return None
    for band in protocol.AGE_CAPACITY_BANDS:
        limit = band["max_age_inclusive"]
        if limit is None or age <= limit:
            return band["level"]
    return None


def age_capacity_warning(case: Case, on: dt.date) -> str | None:
    """Warn (never override) when the assessor rates capacity lower than age suggests.

    Returns the suggested level when the recorded level is lower, else ``None``.
    """
    suggested = age_capacity_suggestion(age_years(case.child.date_of_birth, on))
    given = case.assessment.risk_factors.child_age_capacity
    if suggested and given and level_rank(given) < level_rank(suggested):
        return suggested
    return None
