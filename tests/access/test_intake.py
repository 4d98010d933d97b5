"""Referrals from any agency: submitted sealed, intake sees whether the child is known,
accepts (a new case, or joined to the child's open case) or declines with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from cpkit.access import PermissionDenied, intake
from cpkit.errors import BadInput, InvalidCase
from cpkit.notify import inbox
from tests.access.conftest import guard_for
from tests.conftest import fixture_document


def referral_of(fixture: str, **changes) -> dict:
    """What a school officer types: the fixture's child, concern and consent."""
    doc = fixture_document(fixture)
    return {"municipality": doc["municipality"], "identified_on": "2026-11-30",
            "child": doc["child"], "referral": {"concern": doc["referral"]["concern"],
                                                "abuse_categories": ["physical"]},
            "consent": {"parent_consent": "given"}, **changes}




def test_a_school_refers_a_known_child_and_intake_joins_it_to_the_case(task_force):
    known_child = referral_of("case_high_physical.json")  # the child of PR-2026-0001
    number = intake.submit(guard_for(task_force, "edi"), known_child)
    with task_force.engine.connect() as conn:
        raw = " ".join(map(str, conn.execute(text("SELECT * FROM referrals_in")).one()))
    for value in fixture_document("case_high_physical.json")["child"].values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in raw
    assert [n.kind for n in inbox(task_force, "sara")] == ["referral_received"]
    candidates = intake.known(guard_for(task_force, "sara"), number)
    assert [(c["case_id"], c["match"]) for c in candidates] == [("PR-2026-0001", "same")]
    code = intake.accept(guard_for(task_force, "sara"), number, link="PR-2026-0001")
    case = task_force.get(code).case
    assert code == "PR-2026-0001" and "education" in case.agencies_involved
    assert case.model_extra["further_referrals"][0]["referring_agency"] == "education"
    [mine] = intake.listed(guard_for(task_force, "edi"))
    assert (mine.status, mine.case_id) == ("accepted", "PR-2026-0001")
    to_refer, to_decide = intake.delays(mine)
    assert to_refer == (dt.date.today() - dt.date(2026, 11, 30)).days and to_decide >= 0


def test_a_new_child_becomes_a_new_case_of_the_intake_case_manager(task_force):
    number = intake.submit(guard_for(task_force, "edi"), referral_of("case_medium_neglect.json"))
    code = intake.accept(guard_for(task_force, "arta"), number)
    case = task_force.get(code).case
    assert code.startswith("GR-") and case.case_manager == "Arta Morina"
    assert case.referral.referring_agency == "education"
    assert case.referral.identified_on == dt.date(2026, 11, 30)


def test_a_declined_referral_keeps_its_reason_for_the_referrer_only(task_force):
    number = intake.submit(guard_for(task_force, "edi"), referral_of("case_medium_neglect.json"))
    with pytest.raises(PermissionDenied):
        intake.decline(guard_for(task_force, "edi"), number, "I changed my mind")
    with pytest.raises(BadInput, match="reason"):
        intake.decline(guard_for(task_force, "sara"), number, " ")
    intake.decline(guard_for(task_force, "sara"), number, "Already followed by the CSW in Gjilan.")
    [notice] = inbox(task_force, "edi")
    assert notice.kind == "referral_decided" and "Gjilan" not in notice.line()
    [mine] = intake.listed(guard_for(task_force, "edi"))
    assert mine.decline_reason == "Already followed by the CSW in Gjilan."
    assert intake.listed(guard_for(task_force, "prob")) == []  # another agency sees nothing
    with pytest.raises(BadInput, match="already declined"):
        intake.accept(guard_for(task_force, "sara"), number)


def test_bad_referrals_are_refused_naming_the_field_and_nothing_is_kept(task_force):
    with pytest.raises(InvalidCase, match="child.date_of_birth"):
        intake.submit(guard_for(task_force, "edi"), referral_of(
            "case_medium_neglect.json", child={"given_name": "Ana", "date_of_birth": "2018-02-30"}))
    with pytest.raises(BadInput, match="child"):
        intake.submit(guard_for(task_force, "edi"),
                      referral_of("case_medium_neglect.json", child={}))
    assert intake.listed(guard_for(task_force, "sara")) == []


def test_a_referral_of_the_child_of_a_closed_case_reopens_it(task_force):
    """The child of GJ-2026-0001 (closed in July, risk reduced) is referred again: intake
    sees the closed case, links the referral, and the case is open again at the referral
    stage, its closure kept, audited, its case manager told, in the chronology."""
    from cpkit.exchange import load_case
    from cpkit.rules.chronology import chronology
    from cpkit.rules.summary import stage

    closed = load_case(fixture_document("case_closed.json"))
    closed.case_manager = "Arta Morina"
    task_force.import_cases([closed], actor="fixtures")
    number = intake.submit(guard_for(task_force, "edi"), referral_of("case_closed.json"))
    [candidate] = intake.known(guard_for(task_force, "sara"), number)
    assert (candidate["case_id"], candidate["stage"]) == ("GJ-2026-0001", "closed")
    assert intake.accept(guard_for(task_force, "sara"), number, link="GJ-2026-0001") == \
        "GJ-2026-0001"
    case = task_force.get("GJ-2026-0001").case
    assert case.closure is None and stage(case) == "referral"
    [reopened] = case.model_extra["reopenings"]
    assert reopened["closure"]["reason"] == "risk_reduced"
    assert (reopened["date"], reopened["referring_agency"]) == (
        dt.date.today().isoformat(), "education")
    assert [r["action"] for r in task_force.audit_rows("GJ-2026-0001")
            if r["action"] == "case_reopened"] == ["case_reopened"]
    [summary] = [s for s in task_force.summaries() if s["case_id"] == "GJ-2026-0001"]
    assert summary["stage"] == "referral"
    owed = {d["kind"] for d in task_force.deadline_rows(dt.date.today())
            if d["case_id"] == "GJ-2026-0001"}
    assert owed == {"assessment"}  # the new referral's, not the old cycle's reviews
    assert [n.kind for n in inbox(task_force, "arta")][0] == "case_reopened"
    events = [e.kind for e in chronology(case)]
    assert events.index("closure") < events.index("reopened")
    assert events[-2:] in (["reopened", "further_referral"], ["further_referral", "reopened"])
