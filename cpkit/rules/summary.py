"""What a caseload view needs of a case: stage, risk, next deadline, the derived block."""

from __future__ import annotations

import datetime as dt

from cpkit.model import Case
from cpkit.rules.calendar import Calendar
from cpkit.rules.child import eighteenth_birthday
from cpkit.rules.deadlines import case_deadlines, deadline_list, deadlines_document
from cpkit.rules.reopening import current_cycle
from cpkit.rules.risk import age_years, case_risk
from cpkit.rules.stages import STAGE_LABELS, STAGES, stage_label


def stage(case: Case) -> str:
    """Where the case stands in case management: referral, assessment, planning,
    review (a care plan agreed at a CMR is being implemented and reviewed) or closed.
    A case reopened by a further referral starts again at ``referral``.
    """
    if case.closure is not None:
        return "closed"
    case = current_cycle(case)  # reopened: back to the new referral's stage
    if case.care_plan.agreed_on and (case.care_plan.actions or case.meetings):
        return "review"
    if case.assessment.completed_on:
        return "planning"
    if case.assessment.started_on or case.assessment.risk_factors.assessed():
        return "assessment"
    return "referral"


def derived(case: Case, as_of: dt.date, cal: Calendar | None = None) -> dict:
    """The ``derived`` block of the exchange format, computed, never typed in."""
    risk = case_risk(case)
    return {
        "overall_risk": risk.level,
        "risk_complete": risk.complete,
        "cmr_required": risk.cmr_required,
        "age_years": age_years(case.child.date_of_birth, as_of),
        "turns_18_on": _iso(eighteenth_birthday(case)),
        "stage": stage(case),
        "deadlines": deadlines_document(case, as_of, cal),
        "deadline_list": deadline_list(case, as_of, cal),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


__all__ = ["STAGES", "STAGE_LABELS", "case_deadlines", "derived", "stage", "stage_label"]
