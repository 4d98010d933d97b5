"""A closed case reopened by a further referral: its closure kept, back to the referral
stage, deadlines from the new referral; the chronology tells both, and what agencies
reported and could not carry out."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.exchange import load_case
from cpkit.rules import meeting_parts
from cpkit.rules.chronology import chronology
from cpkit.rules.deadlines import case_deadlines
from cpkit.rules.reopening import current_cycle, reopen, reopened_on
from cpkit.rules.summary import stage
from tests.conftest import fixture_document

AGAIN = dt.date(2026, 11, 16)


def closed_case():
    return load_case(fixture_document("case_closed.json"))


def test_reopening_keeps_the_closure_and_starts_again_at_referral():
    case = closed_case()
    assert stage(case) == "closed" and reopened_on(case) is None
    out = reopen(case, AGAIN, "Blerta Dula", "police_community")
    assert case.closure is not None  # a copy: the input untouched
    assert out.closure is None and reopened_on(out) == AGAIN
    assert out.model_extra["reopenings"][0]["closure"]["reason"] == "risk_reduced"
    assert stage(out) == "referral"
    assert [d.kind for d in case_deadlines(out)] == ["assessment"]
    [due] = case_deadlines(out)
    assert due.due > AGAIN and due.done_on is None  # 14 working days from the referral
    with pytest.raises(ValueError):
        reopen(out, AGAIN, "x", None)


def test_a_new_assessment_moves_the_reopened_case_on():
    out = reopen(closed_case(), AGAIN, "Blerta Dula", "education")
    out.assessment.started_on = AGAIN + dt.timedelta(days=1)
    assert stage(out) == "assessment"
    out.assessment.completed_on = AGAIN + dt.timedelta(days=8)
    assert stage(out) == "planning"
    assert current_cycle(out).meetings == []  # the old cycle's CMRs are history
    assert len(out.meetings) == len(closed_case().meetings)


def test_the_chronology_tells_the_closure_the_reopening_and_what_agencies_reported():
    out = reopen(closed_case(), AGAIN, "Blerta Dula", "police_community")
    events = chronology(out)
    kinds = [e.kind for e in events]
    assert kinds.index("closure") < kinds.index("reopened")
    reopened = next(e for e in events if e.kind == "reopened")
    assert reopened.date == AGAIN and reopened.source == "Blerta Dula"
    assert "police" in reopened.what.lower() or "Police" in reopened.what

    case = load_case(fixture_document("case_high_physical.json"))
    day = dt.date(2026, 12, 10)
    case = meeting_parts.plan(case, day, "review")
    case = meeting_parts.report(case, day, "police_domestic_violence", dt.date(2026, 12, 4),
                                by="Officer Krasniqi", text="Two visits.",
                                actions={"A1": ("cannot_comply", "no officer free")})
    said = [e for e in chronology(case, "en") if e.date == dt.date(2026, 12, 4)]
    assert [e.kind for e in said] == ["progress_report", "cannot_comply"]
    assert "A1" in said[1].what and said[1].text == "no officer free"
