"""The care plan: what an agreed plan's actions must say."""

from __future__ import annotations

import datetime as dt

from cpkit.errors import FieldProblem
from cpkit.i18n import N_, _
from cpkit.model import Action, Case
from cpkit.rules.registry import rule


def action_gaps(action: Action | dict) -> list[str]:
    """The keys an action lacks to be part of an agreed plan: ``responsible_agency``,
    ``term`` (a term or a due date) and ``contingency``.  The trainer kit's checker
    uses this too, so its verdict and the rule's are the same."""
    get = action.get if isinstance(action, dict) else lambda key: getattr(action, key)
    gaps = []
    if not get("responsible_agency"):
        gaps.append("responsible_agency")
    if not (get("term") or get("due")):
        gaps.append("term")
    if not (get("contingency") or "").strip():
        gaps.append("contingency")
    return gaps


GAP_MESSAGES = {
    "responsible_agency": N_("is required in an agreed plan: the agency responsible"),
    "term": N_("is required in an agreed plan: a term (short, medium, long) or a due date"),
    "contingency": N_("is required in an agreed plan: what happens if the action cannot "
                      "be carried out"),
}


@rule("care_plan.agreed_actions_complete", "refusal",
      N_("Plan should be developed and agreed, identifying key actions and responsibilities "
         "and timeframes. This should also include contingency arrangements i.e. what will "
         "happen if the plan or parts of it cannot be met and alternative courses of action."),
      N_("Process of the CMR Meeting, step 8"), form="care_plan", reports=("care-plan",))
def agreed_actions_complete(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Once the plan is agreed (``agreed_on``), every action that is not cancelled names
    the responsible agency, a term or due date, and a contingency; a draft may be
    incomplete."""
    plan = case.care_plan
    if plan.agreed_on is None:
        return []
    return [FieldProblem(f"care_plan.actions[{i}].{gap}", _(GAP_MESSAGES[gap]))
            for i, action in enumerate(plan.actions) if action.status != "cancelled"
            for gap in action_gaps(action)]
