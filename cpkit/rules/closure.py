"""Closing a case: when the protocol allows it, and what the closure records.

"Cases should be closed only in agreement with the members of the CMR. Before closing
the case the views of the child and family should be sought." (Procedure for Closing
Cases), and Appendix 1, Article 5: "The Task force shall close the case when ... the
case passed from medium/high risk to low-risk, based on: a complete assessment of the
universal well-being indicators especially those of welfare, safety and health ... no
further need identified for interdisciplinary coordination ... The case shall be
transferred to the case manager from the relevant institution".

Each rule below is one function registered in :mod:`cpkit.rules.registry`; the
decisions (refusal or warning, and why) are in ``docs/protocol-rules.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cpkit import protocol
from cpkit.errors import FieldProblem
from cpkit.i18n import N_, _
from cpkit.model import Case, Closure, Meeting
from cpkit.rules.meetings import invited_agencies, is_held
from cpkit.rules.registry import rule
from cpkit.rules.risk import age_years, case_risk, unaccompanied_unsecured

PROCEDURE = N_("Procedure for Closing Cases")
ARTICLE_5 = N_("Appendix 1, Internal Regulations, Article 5")
LOW = ("none", "low")


def _agreed_before(case: Case, closure: Closure) -> str | None:
    """The risk level agreed at the latest held CMR on or before the closure date."""
    for meeting in sorted(case.meetings, key=lambda m: m.date, reverse=True):
        if is_held(meeting) and meeting.date <= closure.date and meeting.agreed_risk_level:
            return meeting.agreed_risk_level
    return None


def needs_closure_cmr(case: Case, closure: Closure) -> bool:
    """Whether this is a medium or high risk case (a CMR case): the assessed or the
    latest agreed level is medium or high, or the unaccompanied rule holds it high.
    """
    levels = {case_risk(case).level, _agreed_before(case, closure)}
    return bool(levels & {"medium", "high"}) or unaccompanied_unsecured(case.child, closure.date)


def agreeing_meeting(case: Case, closure: Closure) -> Meeting | None:
    """The held CMR on or before the closure date that ``agreed_at_meeting`` names."""
    if closure.agreed_at_meeting is None:
        return None
    for meeting in case.meetings:
        if (meeting.date == closure.agreed_at_meeting and is_held(meeting)
                and meeting.date <= closure.date):
            return meeting
    return None


def _closures(case: Case):
    """The case's closure, if any (every closure rule checks only that)."""
    return case.closure


@rule("closure.cmr_agreement", "refusal",
      N_("Cases should be closed only in agreement with the members of the CMR."),
      PROCEDURE, form="closure", reports=("closure",))
def cmr_agreement(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A medium or high risk case closes only when a held CMR (of any kind) on or before
    the closure date recorded the agreement; ``agreed_at_meeting`` names that CMR.

    "If the case is judged to be no, or low risk ... then the [case] can be closed": any
    CMR may agree it, not only one of kind ``closure``.
    """
    closure = _closures(case)
    if closure is None:
        return []
    if closure.agreed_at_meeting is not None and agreeing_meeting(case, closure) is None:
        return [FieldProblem("closure.agreed_at_meeting",
                             _("names no CMR held on or before the closure date"))]
    if closure.agreed_at_meeting is None and needs_closure_cmr(case, closure):
        return [FieldProblem("closure.agreed_at_meeting", _(
            "a medium or high risk case closes only when a held CMR agreed it: record "
            "that CMR first and name it here"))]
    return []


@rule("closure.all_agencies_invited", "warning",
      N_("For medium and high risk cases the decision to close should be agreed at a CMR "
         "meeting with ALL agencies."),
      N_("Multi-disciplinary working; Process of the CMR Meeting"), form="closure",
      reports=("closure",))
def all_agencies_invited(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """The CMR that agreed a medium or high risk closure should have invited every
    agency ("when it is proposed to close a case all agencies should be invited")."""
    closure = _closures(case)
    meeting = agreeing_meeting(case, closure) if closure else None
    if meeting is None or not needs_closure_cmr(case, closure):
        return []
    reached = {p.agency for p in [*meeting.participants, *meeting.apologies, *meeting.invited]}
    missing = [a for a in invited_agencies(case, "closure") if a not in reached]
    if not missing:
        return []
    return [FieldProblem("closure.agreed_at_meeting", _(
        "the CMR that agreed the closure did not invite every agency (not invited: "
        "{agencies})").format(agencies=", ".join(protocol.label("agency", a) for a in missing)))]


def level_at_closure(case: Case, closure: Closure) -> str | None:
    """The risk level the closure rests on: the level the agreeing CMR recorded, else the
    latest agreed level, else the assessed overall level (``none`` kept as ``none``)."""
    if unaccompanied_unsecured(case.child, closure.date):
        return "high"
    meeting = agreeing_meeting(case, closure)
    if meeting is not None:
        return meeting.agreed_risk_level
    return _agreed_before(case, closure) or case_risk(case).level


@rule("closure.risk_reduced", "refusal",
      N_("If the case is judged to be no, or low risk, based on the information presented "
         "and the discussions, then the [case] can be closed."),
      N_("Process of the CMR Meeting, step 6; Procedure for Closing Cases"), form="closure",
      reports=("closure",))
def risk_reduced(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Reason ``risk_reduced`` needs the agreeing CMR (or, for a low risk case without
    one, the latest agreed or assessed level) to say none or low."""
    closure = _closures(case)
    if closure is None or closure.reason != "risk_reduced":
        return []
    level = level_at_closure(case, closure)
    if level in LOW:
        return []
    if level is None:
        return [FieldProblem("closure.reason", _(
            "'risk reduced' needs a risk level agreed or assessed as none or low; none is "
            "recorded"))]
    return [FieldProblem("closure.reason", _(
        "'risk reduced' needs the risk agreed as none or low; the level is {level}").format(
        level=protocol.label("level", level)))]


@rule("closure.over_18", "refusal", N_("When the child is over 18 years old"), PROCEDURE,
      form="closure", reports=("closure",))
def over_18(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Reason ``over_18`` needs the child to be 18 on the closure date (a person under
    18 is a child: Definitions, "Child")."""
    closure = _closures(case)
    if closure is None or closure.reason != "over_18":
        return []
    age = age_years(case.child.date_of_birth, closure.date)
    if age is None:
        return [FieldProblem("child.date_of_birth", _(
            "is needed to close a case for the reason 'over 18'"))]
    if age < 18:
        return [FieldProblem("closure.reason", _(
            "'over 18': the child is {age} on the closure date").format(age=age))]
    return []


@rule("closure.moved_to", "refusal", N_("If the child moves / dies"), PROCEDURE,
      form="closure", reports=("closure",))
def moved_to(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Reason ``moved`` records where the child moved, so that the case can be passed on
    ("The case shall be transferred ...", Article 5)."""
    closure = _closures(case)
    if closure is None or closure.reason != "moved" or (closure.moved_to or "").strip():
        return []
    return [FieldProblem("closure.moved_to", _("is required: where the child moved to"))]


@rule("closure.views", "refusal",
      N_("Before closing the case the views of the child and family should be sought."),
      PROCEDURE, form="closure", reports=("closure",))
def views(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """The child's and the family's views are each recorded, or the reason they could
    not be sought (the protocol's "should" admits a reason; a closure silent on either
    is refused)."""
    closure = _closures(case)
    if closure is None:
        return []
    problems = []
    for who, label in (("child", N_("the child's views")), ("family", N_("the family's views"))):
        given = getattr(closure, f"{who}_views"), getattr(closure, f"{who}_views_not_sought_reason")
        if not any((text or "").strip() for text in given):
            problems.append(FieldProblem(f"closure.{who}_views", _(
                "{what} must be recorded before closing, or the reason they could not be "
                "sought").format(what=_(label))))
    return problems


@rule("closure.agencies_consulted", "warning",
      N_("Agencies involved with the case should be consulted regarding when the case is "
         "being considered for closure to get their views and agreement."),
      N_("Multi-disciplinary working"), form="closure", reports=("closure",))
def agencies_consulted(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A case closed without a CMR (a low risk case) should record that each agency
    involved was consulted."""
    closure = _closures(case)
    if closure is None or agreeing_meeting(case, closure) is not None:
        return []
    consulted = {c.agency for c in closure.agencies_consulted}
    missing = [a for a in case.agencies_involved if a != "csw" and a not in consulted]
    if not missing:
        return []
    return [FieldProblem("closure.agencies_consulted", _(
        "the agencies involved were not all consulted before closing (not consulted: "
        "{agencies})").format(agencies=", ".join(protocol.label("agency", a) for a in missing)))]


def _task_force_risk_reduced(case: Case, closure: Closure | None) -> bool:
    """Article 5's closing: a Task Force (medium/high) case closed as risk reduced."""
    return (closure is not None and closure.reason == "risk_reduced"
            and needs_closure_cmr(case, closure))


@rule("closure.transfer", "refusal",
      N_("The case shall be transferred to the case manager from the relevant institution, "
         "which will continue to monitor the well-being of the child and his/her family."),
      ARTICLE_5, form="closure", reports=("closure",))
def transfer(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A medium or high risk case closed as risk reduced names the institution (and its
    case manager) that continues to monitor."""
    closure = _closures(case)
    if not _task_force_risk_reduced(case, closure):
        return []
    if closure.transferred_to is not None and closure.transferred_to.agency:
        return []
    return [FieldProblem("closure.transferred_to", _(
        "is required: the institution whose case manager continues to monitor the child"))]


@rule("closure.art5_criteria", "refusal",
      N_("The Task force shall close the case when it is considered that all needed services "
         "are provided and where the case passed from medium/high risk to low-risk, based "
         "on: an complete assessment of the universal well-being indicators especially those "
         "of welfare, safety and health; an assessment of the family situation; no further "
         "need identified for interdisciplinary coordination to provide services."),
      ARTICLE_5, form="closure", reports=("closure",))
def art5_criteria(case: Case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """A medium or high risk case closed as risk reduced has every wellbeing indicator
    assessed (safety and health above all) and records that no further interdisciplinary
    coordination is needed."""
    closure = _closures(case)
    if not _task_force_risk_reduced(case, closure):
        return []
    problems = []
    wellbeing = case.assessment.wellbeing
    for key in protocol.indicator_keys():
        if getattr(wellbeing, key).status == "not_assessed":
            problems.append(FieldProblem(f"assessment.wellbeing.{key}.status", _(
                "is not assessed: closing a medium or high risk case needs every wellbeing "
                "indicator assessed, especially safety and health")))
    if closure.no_further_coordination is not True:
        problems.append(FieldProblem("closure.no_further_coordination", _(
            "must be confirmed: no further need for interdisciplinary coordination")))
    return problems


@dataclass(frozen=True)
class Condition:
    """One closing condition as the closure form shows it: the rule, held or not, why."""

    rule: str
    words: str
    holds: bool
    problems: tuple[FieldProblem, ...]
    warning: bool

    def details(self, name: Callable[[str], str]) -> list[str]:
        """Each problem as "field: what is wrong", without the protocol's words again;
        ``name`` gives the field's words for its path (a user never reads a path)."""
        return [f"{name(p.path)}: {p.message.split(' (“')[0]}" for p in self.problems]


def closure_conditions(case: Case, as_of: dt.date | None = None) -> list[Condition]:
    """Every closure rule against ``case`` (with its closure), in the form's order."""
    from cpkit.rules.registry import all_rules, apply

    out = []
    for r in all_rules().values():
        if r.form != "closure" or r.kind == "derived" or not r.id.startswith("closure."):
            continue
        found = tuple(apply(r, case, as_of))
        out.append(Condition(r.id, r.words, not found, found, r.kind == "warning"))
    return out


def applicable(rule_id: str, case: Case) -> bool:
    """Whether a closure condition concerns this closure at all (the form lists only
    those): reason-specific rules for their reason, Article 5 for a CMR case closed as
    risk reduced, the consultation for a closure without a CMR."""
    closure = case.closure
    if closure is None:
        return False
    cmr_case = needs_closure_cmr(case, closure)
    agreed = agreeing_meeting(case, closure) is not None
    return {
        "closure.over_18": closure.reason == "over_18",
        "closure.moved_to": closure.reason == "moved",
        "closure.risk_reduced": closure.reason == "risk_reduced",
        "closure.transfer": _task_force_risk_reduced(case, closure),
        "closure.art5_criteria": _task_force_risk_reduced(case, closure),
        "closure.agencies_consulted": not agreed,
        "closure.all_agencies_invited": agreed and cmr_case,
        "closure.cmr_agreement": cmr_case or closure.agreed_at_meeting is not None,
    }.get(rule_id, True)


def closure_problems(case: Case, closure: Closure | None = None) -> list[FieldProblem]:
    """Why ``closure`` (default: the case's own) may not close the case; empty if it may."""
    if closure is not None and closure is not case.closure:
        case = case.model_copy(update={"closure": closure})
    if case.closure is None:
        return []
    problems = []
    if case.closure.date < case.referral.date:
        problems.append(FieldProblem("closure.date", _("is before the referral date")))
    return problems + [p for c in closure_conditions(case) if not c.warning
                       for p in c.problems]


def can_close(case: Case, closure: Closure) -> bool:
    """Whether the protocol allows ``closure`` now (warnings aside)."""
    return not closure_problems(case, closure)
