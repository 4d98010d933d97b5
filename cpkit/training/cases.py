"""The worked training cases: the exercise, its story and its reference answer.

Each case lives in ``cpkit/training/cases/`` as three files:

- ``<code>.json``: the case as a clean ``cpkit-case/1`` document with ``"training": true``,
  as the trainee meets it (child, referral, agencies, consent; nothing assessed yet);
- ``<code>.story.md``: the story for trainees (referral, what the agencies know, home visit);
- ``<code>.answer.json``: the reference answer (``cpkit-training-answer/1``): each factor's
  level with the reason, the wellbeing statuses, the needs, a model care plan, the CMR
  decision and, where the case is followed further, its meetings and closure.

The answer is kept apart so that the case itself round-trips as an ordinary exchange
document; :func:`worked_case` puts the two together for the store and the answer key.

The story and the reference answer's prose (title, topics, reasons, needs, summary, CMR
decision, the model care plan's texts, the meetings' views and decisions, the closure,
what happened next) are text a trainee reads, so like the protocol's content they are
translated from the catalogs (English is the source): Babel extracts them from these
files (``cpkit.i18n.extract``: the story and the follow-up cut into their headings,
paragraphs and list items by :func:`cpkit.i18n.markdown.blocks`; the answer's texts
where :mod:`cpkit.training.answer_text` says), and :func:`load` gives the case in the
current language.  One source, so a fix to a story or a reason reaches every language's
catalog as a new message to translate; codes, dates and names are never translated.
:func:`worked_case` (the case for the store) stays in the English of the files.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cpkit import exchange, protocol
from cpkit.errors import BadInput
from cpkit.i18n.markdown import translate_markdown
from cpkit.model import Case
from cpkit.rules.risk import OverallRisk, overall_risk, unaccompanied_unsecured
from cpkit.training import answer_text

CASES_DIR = Path(__file__).parent / "cases"
ANSWER_FORMAT = "cpkit-training-answer/1"


@dataclass(frozen=True)
class Reference:
    """The reference answer of one worked case."""

    case_id: str
    title: str
    teaches: tuple[str, ...]
    factors: dict[str, str]          # factor key -> level
    reasons: dict[str, str]          # factor key -> why, in the case's facts
    wellbeing: dict[str, str]        # indicator key -> status
    wellbeing_reasons: dict[str, str]
    needs: tuple[str, ...]
    summary: str
    cmr_required: bool
    cmr_decision: str
    care_plan: dict[str, Any]        # exchange-format care_plan block (the model plan)
    meetings: tuple[dict, ...]
    closure: dict | None
    follow_up: str | None            # markdown: what happened after the assessment

    @property
    def actions(self) -> list[dict]:
        return list(self.care_plan.get("actions", []))

    def overall(self, unaccompanied: bool = False) -> OverallRisk:
        return overall_risk(self.factors, unaccompanied)


@dataclass(frozen=True)
class TrainingCase:
    """A worked case: the exercise document, the story and the reference answer."""

    case: Case
    story: str
    reference: Reference

    @property
    def code(self) -> str:
        return self.case.code

    @property
    def title(self) -> str:
        return self.reference.title

    def overall(self) -> OverallRisk:
        """The reference overall level (the unaccompanied rule included)."""
        return self.reference.overall(unaccompanied_unsecured(self.case.child))


def codes() -> list[str]:
    """The codes of the worked cases, in order."""
    return sorted(p.name[: -len(".answer.json")] for p in CASES_DIR.glob("*.answer.json"))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{path.name}: no such training file") from None


def _check_code(code: str) -> None:
    if code not in codes():
        raise BadInput(f"{code!r} is not a training case; known: {', '.join(codes())}")


@cache
def _answer(code: str) -> dict[str, Any]:
    """The answer file as written (English); never handed out (copy it first)."""
    _check_code(code)
    return _read_json(CASES_DIR / f"{code}.answer.json")


@cache
def _load(code: str) -> TrainingCase:
    _check_code(code)
    case = exchange.load_case(_read_json(CASES_DIR / f"{code}.json"), f"{code}.json")
    if not case.training:
        raise BadInput(f"{code}.json: a training case must say \"training\": true")
    story = (CASES_DIR / f"{code}.story.md").read_text(encoding="utf-8")
    return TrainingCase(case, story, _reference(copy.deepcopy(_answer(code))))


def load(code: str, lang: str | None = None) -> TrainingCase:
    """The worked case ``code`` in ``lang`` (default: the current language): its story
    and every text of its reference answer translated (codes, dates and names as
    written); a fresh copy of its case, safe to edit."""
    cached = _load(code)
    reference = _reference(answer_text.translated(_answer(code), lang))
    return TrainingCase(cached.case.model_copy(deep=True), translate_markdown(cached.story, lang),
                        reference)


def load_all() -> list[TrainingCase]:
    return [load(code) for code in codes()]


def _reference(doc: dict) -> Reference:
    if doc.get("format") != ANSWER_FORMAT:
        raise BadInput(f"{doc.get('case_id')}: answer file is not {ANSWER_FORMAT}")
    factors = doc["risk_factors"]
    unknown = set(factors) - set(protocol.factor_keys())
    if unknown or len(factors) != len(protocol.factor_keys()):
        raise BadInput(f"{doc['case_id']}: the answer must rate exactly the eleven factors")
    for key, item in factors.items():
        protocol.descriptor(key, item["level"])  # raises on a level the factor does not take
    return Reference(
        case_id=doc["case_id"], title=doc["title"], teaches=tuple(doc.get("teaches", ())),
        factors={k: v["level"] for k, v in factors.items()},
        reasons={k: v["reason"] for k, v in factors.items()},
        wellbeing={k: v["status"] for k, v in doc["wellbeing"].items()},
        wellbeing_reasons={k: v.get("reason", "") for k, v in doc["wellbeing"].items()},
        needs=tuple(doc.get("needs", ())), summary=doc.get("summary", ""),
        cmr_required=bool(doc["cmr"]["required"]), cmr_decision=doc["cmr"]["decision"],
        care_plan=doc["care_plan"], meetings=tuple(doc.get("meetings", ())),
        closure=doc.get("closure"), follow_up=doc.get("follow_up"))


def worked_case(code: str) -> Case:
    """The case with its reference answer filled in, as a trainer shows it.

    Assessment (levels, wellbeing with the reasons as notes, needs, summary), the model
    care plan, the CMRs and, for a case followed to closure, the closure.  Validated
    with the protocol's rules like any imported case; still ``training: true``.
    """
    tc = _load(code)
    ref = tc.reference
    document = tc.case.to_document()
    assessment = dict(document.get("assessment", {}))
    assessment["risk_factors"] = dict(ref.factors)
    assessment["wellbeing"] = {k: {"status": v, "notes": ref.wellbeing_reasons.get(k) or None}
                               for k, v in ref.wellbeing.items()}
    assessment["needs"] = list(ref.needs)
    assessment["summary"] = ref.summary
    if ref.meetings:
        assessment.setdefault("completed_on", ref.meetings[0]["date"])
    elif ref.care_plan.get("agreed_on"):
        assessment.setdefault("completed_on", ref.care_plan["agreed_on"])
    document["assessment"] = assessment
    document["care_plan"] = ref.care_plan
    if ref.meetings:
        document["meetings"] = list(ref.meetings)
    if ref.closure:
        document["closure"] = ref.closure
    return exchange.load_case(document, f"{code} (worked)")


def worked_cases() -> list[Case]:
    """Every worked case, ready for the store (``training: true``)."""
    return [worked_case(code) for code in codes()]
