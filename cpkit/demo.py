"""Fictional cases for demonstrations and benchmarks.

Every person here is invented: names are drawn at random from common given and
family names and never describe a real child.  Cases are built relative to
``today`` so that a demo always has due, overdue and done deadlines to show.
"""

from __future__ import annotations

import datetime as dt
import random

from cpkit import protocol
from cpkit.errors import CpkitError
from cpkit.model import Case
from cpkit.rules.calendar import add_months, calendar
from cpkit.rules.codes import DEMO_PREFIX, case_code

MUNICIPALITIES = ["Prishtinë", "Ferizaj", "Gjakovë", "Prizren", "Pejë", "Mitrovicë",
                  "Graçanicë"]
GIVEN = {"female": ["Arta", "Blerta", "Drita", "Ema", "Rina", "Vesa", "Milica", "Jelena",
                    "Ana", "Teuta", "Leonora", "Albana"],
         "male": ["Arbër", "Besnik", "Dardan", "Erion", "Gent", "Luan", "Marko", "Nikola",
                  "Stefan", "Ilir", "Valon", "Driton"]}
FAMILY = ["Krasniqi", "Gashi", "Berisha", "Morina", "Hoxha", "Shala", "Bytyçi", "Kelmendi",
          "Jovanović", "Petrović", "Nikolić", "Rexhepi", "Thaçi", "Lleshi", "Zeqiri"]
STREETS = ["Dardania", "Lulishtja", "Ura e Gurit", "Fusha e Pajtimit"]
MANAGERS = ["Sw. Hana Dervishi", "Sw. Petrit Aliu", "Sw. Mirjana Ilić", "Sw. Agon Bajrami"]
CONCERNS = {
    "physical": "The school nurse saw bruising on the child's arms and face on two Mondays; "
                "the child said they fell.",
    "neglect": "Neighbours report the children are often alone at night and come to them "
               "hungry; the home has no heating.",
    "emotional": "The class teacher reports the child is withdrawn, says they are worthless "
                 "and is often shouted at when collected.",
    "sexual": "The child told the school psychologist that an adult relative touches them; "
              "the relative visits the home weekly.",
}
ACTIONS = {
    "safety": ("Safety at home", "Weekly home visits by the case manager", "csw"),
    "health": ("Medical examination and follow-up", "Arrange examination at the family "
               "medicine centre", "family_medicine"),
    "achievement": ("Regular school attendance", "School psychologist to meet the child "
                    "weekly and monitor attendance", "school_psychologist"),
    "nurture": ("Parenting support", "Parenting skills sessions for the mother, twice a "
                "month", "ngo"),
    "inclusion": ("Contact with peers", "Enrol the child in the community centre's "
                  "after-school club", "community_office"),
}
SCENARIOS = ("referral", "assessment", "planning", "review", "review", "closed")


def generate_cases(count: int, seed: int = 7, today: dt.date | None = None,
                   training: bool = False, scenarios: tuple[str, ...] = SCENARIOS
                   ) -> list[Case]:
    """``count`` fictional, valid, varied cases with codes, as of ``today``, taking the
    ``scenarios`` in turn (``("closed",)``: a past year's closed caseload)."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    sequences: dict[tuple[str, int], int] = {}
    out = []
    for i in range(count):
        case = _case(rng, today, scenarios[i % len(scenarios)], training)
        key = (case.municipality or "", case.referral.date.year)
        sequences[key] = sequences.get(key, 0) + 1
        case.case_id = case_code(key[0], key[1], 9000 + sequences[key] if training
                                 else sequences[key])
        out.append(case)
    return out


def _case(rng: random.Random, today: dt.date, scenario: str, training: bool) -> Case:
    sex = rng.choice(["female", "male"])
    age = rng.randint(1, 17)
    days_ago = {"referral": rng.randint(1, 25), "assessment": rng.randint(5, 30)}.get(
        scenario, rng.randint(45, 80) if scenario != "closed" else rng.randint(100, 200))
    referred = today - dt.timedelta(days=days_ago)
    category = rng.choice(list(CONCERNS))
    agencies = sorted({"csw", rng.choice(["education", "school_psychologist", "police_community",
                                          "family_medicine", "ngo"])},
                      key=protocol.agency_keys().index)
    document = {
        "format": "cpkit-case/1",
        "municipality": rng.choice(MUNICIPALITIES),
        "training": training,
        "child": {
            "given_name": rng.choice(GIVEN[sex]), "family_name": rng.choice(FAMILY),
            "date_of_birth": (referred - dt.timedelta(days=365 * age + rng.randint(1, 300))
                              ).isoformat(),
            "sex": sex, "address": f"Rr. {rng.choice(STREETS)} {rng.randint(1, 90)}",
            "languages": [rng.choice(["sq", "sr"])],
        },
        "referral": {"date": referred.isoformat(),
                     "referring_agency": [a for a in agencies if a != "csw"][0],
                     "concern": CONCERNS[category], "abuse_categories": [category]},
        "case_manager": rng.choice(MANAGERS),
        "agencies_involved": agencies,
        "consent": {"parent_consent": "given", "child_assent": "given" if age >= 5
                    else "not_applicable", "written": True, "date": referred.isoformat()},
    }
    case = Case.model_validate(document)
    if scenario != "referral":
        _assess(rng, case, scenario, age)
    if scenario in ("review", "closed"):
        _meetings(rng, case, today, scenario)
    return case


def _assess(rng: random.Random, case: Case, scenario: str, age: int) -> None:
    start = case.referral.date + dt.timedelta(days=rng.randint(1, 4))
    assessment = case.assessment
    assessment.started_on = start
    top = rng.choice(["medium", "high"]) if scenario in ("review", "closed") else rng.choice(
        list(protocol.LEVELS))
    ceiling = protocol.LEVELS.index(top)
    keys = protocol.factor_keys()
    assessed = keys if scenario != "assessment" else keys[: rng.randint(3, 8)]
    for key in assessed:
        level = protocol.LEVELS[rng.randint(0, ceiling)]
        setattr(assessment.risk_factors, key, level)
    setattr(assessment.risk_factors, rng.choice(assessed), top)
    if scenario == "assessment":
        return
    assessment.completed_on = calendar().add_working_days(start, rng.randint(6, 16))
    for indicator in protocol.indicator_keys():
        status = rng.choice(["met", "partly_met", "not_met"])
        getattr(assessment.wellbeing, indicator).status = status
    assessment.needs = [ACTIONS[k][0] for k in rng.sample(list(ACTIONS), 2)]
    assessment.summary = ("Assessment with the family, the school and the health centre; "
                          f"overall {top} risk on the framework, needs agreed with the mother.")


def _meetings(rng: random.Random, case: Case, today: dt.date, scenario: str) -> None:
    first = case.assessment.completed_on + dt.timedelta(days=rng.randint(3, 12))
    if first >= today:
        first = today - dt.timedelta(days=2)
    meetings = [_meeting(case, first, "initial", today)]
    while add_months(meetings[-1]["date"], 1) < today - dt.timedelta(days=rng.randint(0, 40)):
        meetings.append(_meeting(case, add_months(meetings[-1]["date"], 1), "review", today))
    if scenario == "closed":
        last = meetings[-1]
        last["kind"], last["agreed_risk_level"] = "closure", "low"
    for meeting in meetings:
        meeting["date"] = meeting["date"].isoformat()
    case.meetings = [m for m in Case.model_validate(
        {**case.to_document(), "meetings": meetings}).meetings]
    indicators = rng.sample(list(ACTIONS), 3)
    agreed = case.meetings[0].date
    case.care_plan = Case.model_validate({**case.to_document(), "care_plan": {
        "agreed_on": agreed.isoformat(),
        "review_date": add_months(agreed, 1).isoformat(),
        "distributed_on": (agreed + dt.timedelta(days=rng.randint(2, 9))).isoformat(),
        "actions": [_action(i, key, agreed, scenario) for i, key in enumerate(indicators, 1)],
    }}).care_plan
    if scenario == "closed":
        case.closure = Case.model_validate({**case.to_document(), "closure": {
            "date": case.meetings[-1].date.isoformat(), "reason": "risk_reduced",
            "child_views": "The child says things are calmer at home and wants the visits "
                           "to end.",
            "family_views": "The mother agrees the support has helped.",
            "agreed_at_meeting": case.meetings[-1].date.isoformat(),
            "transferred_to": {"agency": "education"},
            "no_further_coordination": True,
            "responsible": case.case_manager}}).closure


def _meeting(case: Case, day: dt.date, kind: str, today: dt.date) -> dict:
    distributed = day + dt.timedelta(days=10)
    meeting = {
        "date": day, "kind": kind, "chair": case.case_manager,
        "minute_taker": case.case_manager,
        "participants": [{"agency": a, "role": protocol.AGENCIES[a]["representative"]}
                         for a in case.agencies_involved],
        "family_attended": True, "child_attended": False,
        "family_views": "The mother wants help with the children and agrees to the plan.",
        "discussion": "Agencies shared updates; protective influences at school noted.",
        "agreed_risk_level": "medium",
        "decisions": ["Continue the care plan", "Review in one month"],
    }
    if distributed < today:
        meeting["minutes_distributed_on"] = distributed.isoformat()
    return meeting


def _action(i: int, indicator: str, agreed: dt.date, scenario: str) -> dict:
    need, action, agency = ACTIONS[indicator]
    return {"id": f"A{i}", "need": need, "indicator": indicator, "action": action,
            "responsible_agency": agency, "term": ["short", "medium", "long"][i % 3],
            "due": (agreed + dt.timedelta(days=30 * i)).isoformat(),
            "contingency": "The case manager calls an extraordinary CMR.",
            "status": "done" if scenario == "closed" else "in_progress"}


class LiveCasesPresent(CpkitError):
    """``cpkit demo`` on a store that holds real cases, without being told to."""

    exit_code = 2


def seed_store(store, count: int = 12, seed: int = 7, today: dt.date | None = None, *,
               beside_live: bool = False) -> list[str]:
    """Put the demo cases in ``store`` (replacing earlier demo copies); their codes.

    The demo's live-caseload cases are coded ``DEMO-...`` (a namespace real cases may
    not use: see :func:`cpkit.rules.codes.reserved_code_problems`), so they can never replace a real
    case; the worked training cases (``TR-...``, ``training: true``) go in with them
    and replace only training cases.  A store that holds real cases is refused unless
    ``beside_live`` (a demo belongs in its own ``CPKIT_HOME``).
    """
    from cpkit.training.cases import worked_cases

    cases = generate_cases(count, seed, today)
    for case in cases:
        case.case_id = DEMO_PREFIX + case.case_id
    worked = worked_cases()
    plain = getattr(store, "store", store)  # codes and flags only: nothing identifying
    live = [r["case_id"] for r in plain.summaries(training=False)
            if not r["case_id"].startswith(DEMO_PREFIX)]
    if live and not beside_live:
        raise LiveCasesPresent(
            f"this case store holds {len(live)} real case(s): the demo's fictional cases "
            "do not belong beside them. Run the demo on a store of its own "
            "(CPKIT_HOME=/tmp/cpkit-demo cpkit demo), or give --beside-live-cases")
    clashing = sorted({c.case_id for c in worked} & set(live))
    if clashing:
        raise LiveCasesPresent(f"{', '.join(clashing)}: a real case uses the code of a "
                               "worked training case; the demo replaces none")
    records = store.import_cases(cases + worked, actor="demo", replace=True, action="demo")
    return [r.case.case_id for r in records]
