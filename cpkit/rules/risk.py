"""Overall risk from the Risk Analysis Framework."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from cpkit import protocol
from cpkit.i18n import N_
from cpkit.model import Case, Child
from cpkit.rules.registry import rule

UNACCOMPANIED_WORDS = N_(
    "Unaccompanied children are always considered as high risk cases until safe "
    "accommodation is secured for them and appropriate ongoing support is made available.")

ORDER = {level: rank for rank, level in enumerate(protocol.LEVELS)}


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
    def cmr_required(self) -> bool | None:
        """Whether a CMR is required; ``None`` (not known yet) while the assessment is
        incomplete and no assessed factor is medium or high."""
        if cmr_required(self.level):
            return True
        return False if self.complete else None


@rule("risk.highest", "derived",
      N_("The overall level of risk should be the highest indicated from the table."),
      N_("Risk Analysis Framework"))
def overall_risk(factors: dict[str, str], unaccompanied: bool = False) -> OverallRisk:
    """"The overall level of risk should be the highest indicated from the table."

    "Unaccompanied children are always considered as high risk cases until safe
    accommodation is secured for them."  ``unaccompanied`` is true while that rule holds
    (:func:`unaccompanied_unsecured`).  ``factors`` maps factor keys to levels; a
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


@rule("risk.unaccompanied_high", "derived", UNACCOMPANIED_WORDS, N_("Risk Analysis Framework"))
def unaccompanied_unsecured(child: Child, on: dt.date | None = None) -> bool:
    """Whether the unaccompanied rule holds the child's risk at high (on ``on``).

    Both dates must be recorded (on or before ``on`` when given): safe accommodation
    secured *and* appropriate ongoing support made available.
    """
    if not child.unaccompanied:
        return False
    dates = (child.safe_accommodation_on, child.support_in_place_on)
    if any(d is None for d in dates):
        return True
    return on is not None and any(d > on for d in dates)


def case_risk(case: Case) -> OverallRisk:
    """Overall risk of a case from its assessment and the child's situation."""
    return _overall(tuple(case.assessment.risk_factors.assessed().items()),
                    unaccompanied_unsecured(case.child))


@lru_cache(maxsize=4096)
def _overall(factors: tuple[tuple[str, str], ...], unaccompanied: bool) -> OverallRisk:
    """:func:`overall_risk` of the same assessed levels, worked out once.

    Why: a stored case asks for its risk three times (its columns, its current risk,
    the closure rule), an import of 10,000 cases 30,000 times, over a few hundred
    combinations of levels; the answer is a frozen value."""
    return overall_risk(dict(factors), unaccompanied)


@rule("risk.cmr_required", "derived",
      N_("The CMR is a coordination mechanism held to consider child protection cases where "
         "the risk level is medium or high risk."),
      N_("Case Management Roundtables"))
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


def child_age(child, on: dt.date) -> int | None:
    """The child's age on ``on``: from the birth date, or in a redacted copy (no birth
    date) the whole years it keeps instead."""
    if child.date_of_birth is not None:
        return age_years(child.date_of_birth, on)
    kept = (child.model_extra or {}).get("age_years")
    return kept if isinstance(kept, int) else None


@rule("risk.age_capacity_suggestion", "derived",
      N_("Child is over 10 (low); Child age 5-9 (medium); Child is 5 or under (high)."),
      N_("Risk Analysis Framework: Child age and protective capacity"))
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
    suggested = age_capacity_suggestion(child_age(case.child, on))
    given = case.assessment.risk_factors.child_age_capacity
    if suggested and given and level_rank(given) < level_rank(suggested):
        return suggested
    return None
