"""Transfers: a case moves to another case manager or municipality by request and
acceptance; the receiver sees nothing before accepting; every step audited and told."""

from __future__ import annotations

import pytest

from cpkit.access import Guard, PermissionDenied, transfers
from cpkit.errors import BadInput
from cpkit.notify import inbox
from tests.access.conftest import populate

CASE = "PR-2026-0001"  # managed by arta ("Arta Morina")


@pytest.fixture
def task_force(store):
    populate(store)
    Guard.for_user(store, "ada").add_user("besa", ["case_manager"], None, "Besa Gashi")
    return store


def as_(store, user):
    return Guard.for_user(store, user)


def test_a_transfer_to_another_municipality_step_by_step(task_force):
    besa = as_(task_force, "besa")
    with pytest.raises(PermissionDenied):
        besa.get(CASE)  # not hers yet
    number = transfers.request(as_(task_force, "arta"), CASE, "besa", municipality="Prizren",
                               reason="The family moved to Prizren in November.")
    with pytest.raises(PermissionDenied):
        as_(task_force, "besa").get(CASE)  # a request is not a case
    offered = transfers.listed(as_(task_force, "besa"), open_only=True)
    assert [(t.id, t.case_id, t.status) for t in offered] == [(number, CASE, "requested")]
    assert [n.kind for n in inbox(task_force, "besa")] == ["transfer_requested"]

    transfers.accept(as_(task_force, "besa"), number)
    mine = as_(task_force, "besa").get(CASE, "edit")
    assert mine.case.case_manager == "Besa Gashi" and mine.case.municipality == "Prizren"
    assert not mine.redacted
    sender = as_(task_force, "arta")
    assert sender.get(CASE).case.case_id == CASE  # keeps read access to what she recorded
    with pytest.raises(PermissionDenied):
        sender.save(sender.get(CASE).case, mine.version)  # but no longer edits it
    assert [n.kind for n in inbox(task_force, "arta")] == ["transfer_decided"]
    steps = [r["action"] for r in task_force.audit_rows(CASE)
             if r["action"].startswith("transfer") or r["action"] == "grant"]
    assert steps == ["transfer_requested", "transfer", "grant", "transfer_accepted"]


def test_a_declined_transfer_says_why_and_changes_nothing(task_force):
    number = transfers.request(as_(task_force, "arta"), CASE, "besa")
    with pytest.raises(PermissionDenied):
        transfers.decline(as_(task_force, "edi"), number, "not mine to say")
    with pytest.raises(BadInput, match="reason"):
        transfers.decline(as_(task_force, "besa"), number, "  ")
    transfers.decline(as_(task_force, "besa"), number, "My caseload is full until March.")
    assert task_force.get(CASE).case.case_manager == "Arta Morina"
    [answered] = transfers.listed(as_(task_force, "arta"))
    assert answered.status == "declined"
    assert answered.decline_reason == "My caseload is full until March."
    with pytest.raises(BadInput, match="already declined"):
        transfers.accept(as_(task_force, "besa"), number)


def test_only_the_case_manager_requests_and_one_request_at_a_time(task_force):
    with pytest.raises(PermissionDenied):
        transfers.request(as_(task_force, "besa"), CASE, "besa")
    with pytest.raises(BadInput, match="to:"):
        transfers.request(as_(task_force, "arta"), CASE, "edi")  # an agency member
    transfers.request(as_(task_force, "arta"), CASE, "besa")
    with pytest.raises(BadInput, match="already waiting"):
        transfers.request(as_(task_force, "arta"), CASE, "sara")


def test_reasons_are_sealed_in_the_database_and_survive_a_key_rotation(task_force):
    from sqlalchemy import text

    transfers.request(as_(task_force, "arta"), CASE, "besa",
                      reason="Ëndrina's family moved to Prizren.")
    with task_force.engine.connect() as conn:
        raw = " ".join(str(v) for v in conn.execute(text("SELECT * FROM transfers")).one())
    assert "Ëndrina" not in raw and "Prizren" not in raw
    as_(task_force, "ada").rotate_key()
    [t] = transfers.listed(as_(task_force, "sara"))
    assert t.reason == "Ëndrina's family moved to Prizren."
