"""A save over the guard's own last save of a case (Guard._own_save): on PostgreSQL it
is worked out against the row that save wrote, without reading it again, one statement;
whatever happened to the case since (another user's save, a new case manager, a void)
makes the statement write nothing, and the save is decided again on the row read then,
as any save is: merged, refused for the new manager, refused as void.  On SQLite every
save reads its row (the same results)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from cpkit.access import Guard
from cpkit.access.policy import PermissionDenied
from cpkit.access.voiding import void_case
from cpkit.errors import BadInput
from cpkit.store import Store

CODE = "PR-2026-0001"  # arta's case (tests/access/conftest.py)


def _marked(record, key: str, value: str):
    case = record.case.model_copy(deep=True)
    case.__pydantic_extra__[key] = value
    return case


def _statements(store) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: seen.append(sql))
    return seen


def _other(task_force, user: str) -> Guard:
    """``user``'s guard over a store of their own (another process's, as it would be)."""
    return Guard.for_user(Store(task_force.url, migrate=False), user)


def _arta_after_two_saves(task_force):
    """arta's guard having saved the case twice (the second over its own first)."""
    arta = Guard.for_user(task_force, "arta")
    record = arta.get(CODE, "edit")
    for n in range(2):
        record = arta.save(_marked(record, f"note_{n}", "arta"), record.version,
                           base=record.as_document())
    return arta, record


def test_a_save_over_the_guard_s_own_last_save_is_one_statement(task_force):
    arta, record = _arta_after_two_saves(task_force)
    seen = _statements(task_force)
    saved = arta.save(_marked(record, "note_2", "arta"), record.version,
                      base=record.as_document())
    postgres = task_force.engine.dialect.name == "postgresql"
    assert [("cpkit_save_case" in s) for s in seen] == ([True] if postgres else
                                                        [False] * len(seen))
    assert saved.version == record.version + 1 and saved.merged is None
    assert task_force.get(CODE).case.model_extra["note_2"] == "arta"
    rows = [r for r in task_force.audit_rows(CODE) if r["action"] == "update"]
    assert [r["case_version"] for r in rows][-3:] == [saved.version - 2, saved.version - 1,
                                                      saved.version]
    assert rows[-1]["detail"]["fields"] == ["note_2"] and rows[-1]["actor"] == "arta"
    assert task_force.verify_audit().intact


def test_another_user_s_save_in_between_is_merged(task_force):
    arta, record = _arta_after_two_saves(task_force)
    sara = _other(task_force, "sara")
    theirs = sara.get(CODE, "edit")
    sara.save(_marked(theirs, "note_sara", "sara"), theirs.version)
    sara.close()
    seen = _statements(task_force)
    saved = arta.save(_marked(record, "note_2", "arta"), record.version,
                      base=record.as_document())
    if task_force.engine.dialect.name == "postgresql":  # tried over its own, then read
        assert "cpkit_save_case" in seen[0] and "cpkit_save_case" not in seen[1], seen
    assert saved.version == record.version + 2
    assert saved.merged["onto_version"] == record.version + 1
    extra = task_force.get(CODE).case.model_extra
    assert (extra["note_sara"], extra["note_2"]) == ("sara", "arta")
    assert task_force.verify_audit().intact


def test_a_new_case_manager_in_between_is_refused(task_force):
    """The case given to another manager since the guard's own save: the facts the
    guard kept are stale, and the save is decided on the row as it is now."""
    arta, record = _arta_after_two_saves(task_force)
    sara = _other(task_force, "sara")
    current = sara.get(CODE, "edit")
    moved = current.case.model_copy(deep=True)
    moved.case_manager = "Someone Else"
    sara.save(moved, current.version)
    sara.close()
    seen = _statements(task_force)
    with pytest.raises(PermissionDenied):
        arta.save(_marked(record, "note_2", "arta"), record.version,
                  base=record.as_document())
    if task_force.engine.dialect.name == "postgresql":
        assert "cpkit_save_case" in seen[0], seen  # tried, nothing written
    assert "note_2" not in task_force.get(CODE).case.model_extra


def test_a_void_in_between_is_refused(task_force):
    arta, record = _arta_after_two_saves(task_force)
    sara = _other(task_force, "sara")
    void_case(sara, CODE, "created by mistake")
    sara.close()
    audited = len(task_force.audit_rows(CODE))
    with pytest.raises(BadInput, match="void"):
        arta.save(_marked(record, "note_2", "arta"), record.version,
                  base=record.as_document())
    assert len(task_force.audit_rows(CODE)) == audited
    assert "note_2" not in task_force.get(CODE).case.model_extra
