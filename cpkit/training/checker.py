"""Compare a trainee's answer with the reference answer of a worked case.

Pure domain code: the exercise widgets, the feedback sheet and the group session all
call :func:`check` and show its :class:`CheckResult`; none of them judge by themselves.

What is compared:

- each risk factor: the trainee's level against the reference, with the case's reason and
  the protocol's descriptor of the reference level (the text a trainee should have
  recognised);
- the overall level recomputed from the *trainee's* levels with
  :func:`cpkit.rules.risk.overall_risk` (so the unaccompanied rule applies as in a live
  case), and whether that level calls for a CMR, against the reference;
- the wellbeing statuses;
- the care plan against the model plan.  Free text cannot be matched word for word, so a
  model need counts as covered when one of the trainee's actions addresses the same
  wellbeing indicator or the same risk factor.  Each trainee action must also name a
  responsible agency, a term or due date and a contingency ("what happens if it is not
  done"): the rule an agreed plan must meet (:func:`cpkit.rules.care_plan.action_gaps`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cpkit import protocol
from cpkit.rules.care_plan import action_gaps
from cpkit.rules.risk import OverallRisk, overall_risk, unaccompanied_unsecured
from cpkit.training.cases import TrainingCase


@dataclass(frozen=True)
class TraineeAnswer:
    """What a trainee gave: levels, statuses and care plan actions (exchange-format keys)."""

    factors: dict[str, str]
    wellbeing: dict[str, str] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"factors": dict(self.factors), "wellbeing": dict(self.wellbeing),
                "actions": [dict(a) for a in self.actions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TraineeAnswer:
        return cls(factors=dict(data.get("factors") or {}),
                   wellbeing=dict(data.get("wellbeing") or {}),
                   actions=[dict(a) for a in data.get("actions") or []])


@dataclass(frozen=True)
class FactorFeedback:
    factor: str
    given: str | None
    reference: str
    reason: str               # why, in the case's facts
    descriptor: str           # the protocol's descriptor of the reference level

    @property
    def agrees(self) -> bool:
        return self.given == self.reference


@dataclass(frozen=True)
class IndicatorFeedback:
    indicator: str
    given: str | None
    reference: str
    reason: str

    @property
    def agrees(self) -> bool:
        return self.given == self.reference


@dataclass(frozen=True)
class MissingNeed:
    need: str
    indicator: str | None
    risk_factor: str | None
    agency: str | None        # who the model plan makes responsible


@dataclass(frozen=True)
class CarePlanFeedback:
    actions: int
    missing_needs: tuple[MissingNeed, ...]
    missing_contingency: tuple[int, ...]   # 1-based numbers of the trainee's actions
    missing_agency: tuple[int, ...]
    missing_timeframe: tuple[int, ...]     # neither a term nor a due date
    agencies_not_used: tuple[str, ...]     # agencies the model gives a role, the trainee not

    @property
    def complete(self) -> bool:
        return not (self.missing_needs or self.missing_contingency or self.missing_agency
                    or self.missing_timeframe)


@dataclass(frozen=True)
class CheckResult:
    case_id: str
    factors: tuple[FactorFeedback, ...]
    overall: OverallRisk            # from the trainee's levels
    reference_overall: OverallRisk
    wellbeing: tuple[IndicatorFeedback, ...]
    care_plan: CarePlanFeedback
    cmr_decision: str

    @property
    def agreed(self) -> int:
        return sum(f.agrees for f in self.factors)

    @property
    def wrong_factors(self) -> list[FactorFeedback]:
        return [f for f in self.factors if not f.agrees]

    @property
    def overall_agrees(self) -> bool:
        return self.overall.level == self.reference_overall.level

    @property
    def cmr_agrees(self) -> bool:
        return self.overall.cmr_required == self.reference_overall.cmr_required

    @property
    def full_agreement(self) -> bool:
        """Every factor, the overall level, every indicator, and a care plan without gaps."""
        return (self.agreed == len(self.factors) and self.overall_agrees
                and all(w.agrees for w in self.wellbeing) and self.care_plan.complete)


def check(tc: TrainingCase, answer: TraineeAnswer) -> CheckResult:
    """The feedback on ``answer`` to the worked case ``tc``."""
    ref = tc.reference
    factors = tuple(
        FactorFeedback(key, answer.factors.get(key), ref.factors[key], ref.reasons[key],
                       protocol.descriptor(key, ref.factors[key]))
        for key in protocol.factor_keys())
    given = {k: v for k, v in answer.factors.items()
             if k in protocol.factor_keys() and _takes(k, v)}
    unaccompanied = unaccompanied_unsecured(tc.case.child)
    wellbeing = tuple(
        IndicatorFeedback(key, answer.wellbeing.get(key), ref.wellbeing[key],
                          ref.wellbeing_reasons.get(key, ""))
        for key in protocol.indicator_keys())
    return CheckResult(
        case_id=tc.code, factors=factors, overall=overall_risk(given, unaccompanied),
        reference_overall=ref.overall(unaccompanied), wellbeing=wellbeing,
        care_plan=compare_care_plan(ref.actions, answer.actions), cmr_decision=ref.cmr_decision)


def _takes(factor_key: str, level: str | None) -> bool:
    try:
        protocol.descriptor(factor_key, level or "")
    except ValueError:
        return False
    return True


def _blank(value: object) -> bool:
    return not (isinstance(value, str) and value.strip())


def compare_care_plan(model: list[dict], actions: list[dict]) -> CarePlanFeedback:
    """The trainee's ``actions`` against the ``model`` actions (see the module docstring)."""
    real = [a for a in actions if not all(_blank(a.get(k)) for k in ("need", "action"))]
    indicators = {a.get("indicator") for a in real} - {None, ""}
    factors = {a.get("risk_factor") for a in real} - {None, ""}
    missing: dict[str, MissingNeed] = {}
    covered: set[str] = set()
    for item in model:
        need = item.get("need") or item.get("action") or ""
        if item.get("indicator") in indicators or item.get("risk_factor") in factors:
            covered.add(need)
        elif need not in missing:
            missing[need] = MissingNeed(need, item.get("indicator"), item.get("risk_factor"),
                                        item.get("responsible_agency"))
    used = {a.get("responsible_agency") for a in real}
    model_agencies = []
    for item in model:
        agency = item.get("responsible_agency")
        if agency and agency not in used and agency not in model_agencies:
            model_agencies.append(agency)
    # What an agreed plan's action must name is the rule's (care_plan.agreed_actions_complete).
    gaps = [action_gaps(a) for a in real]
    return CarePlanFeedback(
        actions=len(real),
        missing_needs=tuple(m for need, m in missing.items() if need not in covered),
        missing_contingency=tuple(i for i, g in enumerate(gaps, 1) if "contingency" in g),
        missing_agency=tuple(i for i, g in enumerate(gaps, 1) if "responsible_agency" in g),
        missing_timeframe=tuple(i for i, g in enumerate(gaps, 1) if "term" in g),
        agencies_not_used=tuple(model_agencies))


def reference_answer(tc: TrainingCase) -> TraineeAnswer:
    """The reference itself as an answer: what a fully correct trainee gives."""
    ref = tc.reference
    return TraineeAnswer(dict(ref.factors), dict(ref.wellbeing),
                         [dict(a) for a in ref.actions])
