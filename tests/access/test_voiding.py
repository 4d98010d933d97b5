"""Voiding a case created by mistake: kept, marked void with a reason, audited, out of
every list; by its creator the same day or by a supervisor."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cpkit.access import PermissionDenied
from cpkit.access.voiding import void_case, void_of, void_text
from cpkit.errors import BadInput
from cpkit.exchange import load_case
from cpkit.store.schema import cases
from tests.access.conftest import guard_for
from tests.conftest import fixture_document


def today() -> dt.date:
    """Today when asked, not when the module was imported (a run may cross midnight)."""
    return dt.date.today()


def new_case(store, user="arta") -> str:
    """A case ``user`` creates today in a form (a mistaken second entry)."""
    document = fixture_document("case_high_physical.json")
    document.pop("case_id")
    document["case_manager"] = "Arta Morina"
    return guard_for(store, user).create(load_case(document)).case.case_id


def test_the_creator_voids_her_mistake_the_same_day(task_force):
    code = new_case(task_force)
    arta = guard_for(task_force, "arta")
    assert code in {r["case_id"] for r in arta.summaries()}
    void_case(arta, code, "Entered twice: the child is PR-2026-0001.", today())

    # kept, readable by its code, and says it is void
    assert arta.get(code).case.case_id == code
    void = void_of(arta, code)
    assert void.by == "arta" and void.reason.startswith("Entered twice")
    assert "Arta Morina" in void_text(arta, void)  # people by their names
    # out of every list: caseload, deadlines, records, the known-child search
    for who in ("arta", "sara"):
        guard = guard_for(task_force, who)
        assert code not in {r["case_id"] for r in guard.summaries()}
        assert code not in {r["case_id"] for r in guard.deadline_rows(today())}
        assert code not in {r.case.case_id for r in guard.records(training=False)}
        assert code not in guard.visible_ids()
    assert code not in {r["case_id"] for r in task_force.summaries()}
    assert code not in {r.case.case_id for r in task_force.records()}
    child = fixture_document("case_high_physical.json")["child"]
    known = arta.find_child(child["given_name"], child["family_name"],
                            born=dt.date.fromisoformat(child["date_of_birth"]))
    assert code not in {k["case_id"] for k in known}
    assert "PR-2026-0001" in {k["case_id"] for k in known}
    # audited, without the reason's words
    rows = [r for r in task_force.audit_rows(code) if r["action"] == "void"]
    assert len(rows) == 1 and rows[0]["actor"] == "arta"
    assert rows[0]["detail"] == {"ground": "creator"}
    assert "twice" not in str(rows[0])
    # the reason is sealed at rest
    with task_force.engine.connect() as conn:
        raw = conn.execute(select(cases.c.void_reason).where(cases.c.case_id == code)).scalar()
    assert "twice" not in str(raw)
    # and the case can no longer be changed, nor voided twice
    record = arta.get(code, "edit")
    with pytest.raises(BadInput, match="void"):
        arta.save(record.case, record.version)
    with pytest.raises(BadInput, match="void already"):
        void_case(guard_for(task_force, "sara"), code, "again", today())


def test_only_its_creator_that_day_or_a_supervisor(task_force):
    code = new_case(task_force)
    tomorrow = today() + dt.timedelta(days=1)
    with pytest.raises(PermissionDenied, match="creator"):
        void_case(guard_for(task_force, "arta"), code, "created by mistake", tomorrow)
    with pytest.raises(PermissionDenied):
        void_case(guard_for(task_force, "edi"), code, "created by mistake", today())
    # imported (not created by her), so not hers to void even today
    with pytest.raises(PermissionDenied):
        void_case(guard_for(task_force, "arta"), "PR-2026-0001", "mistake", today())
    assert void_of(guard_for(task_force, "sara"), code) is None
    void = void_case(guard_for(task_force, "sara"), code, "created by mistake", tomorrow)
    assert void.by == "sara"
    assert [r["detail"] for r in task_force.audit_rows(code) if r["action"] == "void"] == [
        {"ground": "supervisor"}]


def test_a_void_needs_a_reason_and_writes_nothing_without_one(task_force):
    code = new_case(task_force)
    before = len(task_force.audit_rows(code))
    with pytest.raises(BadInput, match="reason"):
        void_case(guard_for(task_force, "arta"), code, "   ", today())
    assert void_of(guard_for(task_force, "arta"), code) is None
    assert len(task_force.audit_rows(code)) == before


def test_rotating_the_key_reseals_the_reason(task_force):
    code = new_case(task_force)
    void_case(guard_for(task_force, "sara"), code, "Entered twice by mistake.", today())
    guard_for(task_force, "ada").rotate_key()
    assert void_of(guard_for(task_force, "sara"), code).reason == "Entered twice by mistake."
