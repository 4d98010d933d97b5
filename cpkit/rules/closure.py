"""Closing a case: when the protocol allows it."""

from __future__ import annotations

from cpkit.errors import FieldProblem
from cpkit.model import Case, Closure
from cpkit.rules.risk import case_risk


def _agreed_before(case: Case, closure: Closure) -> str | None:
    """The risk level agreed at the latest CMR on or before the closure date."""
    for meeting in sorted(case.meetings, key=lambda m: m.date, reverse=True):
        if meeting.held and meeting.date <= closure.date and meeting.agreed_risk_level:
            return meeting.agreed_risk_level
    return None


def needs_closure_cmr(case: Case, closure: Closure) -> bool:
    """"For medium and high risk cases the decision to close should be agreed at a CMR
    meeting with ALL agencies": the agreed or the assessed risk is medium or high.
    """
    levels = {case_risk(case).level, _agreed_before(case, closure)}
    return bool(levels & {"medium", "high"})


def closure_problems(case: Case, closure: Closure | None = None) -> list[FieldProblem]:
    """Why ``closure`` (default: the case's own) may not close the case; empty if it may.

    "Cases should be closed only in agreement with the members of the CMR. Before
    closing the case the views of the child and family should be sought."
    """
    closure = closure or case.closure
    if closure is None:
        return []
    problems = []
    if closure.date < case.referral.date:
        problems.append(FieldProblem("closure.date", "is before the referral date"))
    closure_cmrs = [m for m in case.meetings
                    if m.held and m.kind == "closure" and m.date <= closure.date]
    if needs_closure_cmr(case, closure) and not closure_cmrs:
        problems.append(FieldProblem(
            "closure",
            "a medium or high risk case can be closed only after a closure CMR has agreed "
            "it; record the closure meeting first",
        ))
    agreed = closure.agreed_at_meeting
    if agreed and agreed not in {m.date for m in closure_cmrs}:
        problems.append(FieldProblem(
            "closure.agreed_at_meeting",
            "names no closure meeting held on or before the closure date",
        ))
    if not ((closure.child_views or "").strip() or (closure.family_views or "").strip()):
        problems.append(FieldProblem(
            "closure",
            "the views of the child or the family must be recorded before closing",
        ))
    return problems


def can_close(case: Case, closure: Closure) -> bool:
    """Whether the protocol allows ``closure`` now."""
    return not closure_problems(case, closure)
