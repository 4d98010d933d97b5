"""An import prepares its next cases while the rows of the ones before are written
(``cpkit.store.repository._Overlapped``): in several chunks it stores what one chunk
stores, and a failed write stops it with nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cpkit.demo import generate_cases
from cpkit.rules.deadlines import case_deadlines
from cpkit.store import known, repository
from cpkit.store.schema import audit, case_versions, cases, deadlines, identity_index

TODAY = dt.date(2026, 11, 22)


def count(store, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for name, value in where.items():
        query = query.where(table.c[name] == value)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar()


def test_an_import_in_several_chunks_stores_every_row(store, monkeypatch):
    monkeypatch.setattr(repository, "IMPORT_CHUNK", 3)
    given = generate_cases(7, seed=5, today=TODAY)
    documents = [c.to_document() for c in given]
    records = store.import_cases(given, actor="arta")
    assert [r.version for r in records] == [1] * 7
    again = store.import_cases([type(c).model_validate(d) for c, d in zip(given, documents,
                                                                         strict=True)],
                               actor="arta", replace=True)
    assert [r.version for r in again] == [2] * 7
    for case, document in zip(given, documents, strict=True):
        assert store.get(case.case_id).case.to_document() == document
        assert count(store, deadlines, case_id=case.case_id) == len(case_deadlines(case))
        assert count(store, case_versions, case_id=case.case_id) == 2
        assert count(store, identity_index, case_id=case.case_id) == len(
            known.tokens_of(case, known.key_bytes()).rows())
    assert count(store, cases) == 7
    report = store.verify_audit()
    assert report.intact and report.rows == 14


def test_a_failed_write_stops_the_import_and_stores_nothing(store, monkeypatch):
    monkeypatch.setattr(repository, "IMPORT_CHUNK", 2)
    calls = []
    write = known.write  # the index rows: the last but one write of each chunk

    def failing(conn, rows, stored):
        calls.append({row["case_id"] for row in rows})
        if len(calls) == 2:
            raise RuntimeError("the disk went away")
        return write(conn, rows, stored)

    monkeypatch.setattr(known, "write", failing)
    with pytest.raises(RuntimeError, match="the disk went away"):
        store.import_cases(generate_cases(7, seed=5, today=TODAY), actor="arta")
    assert [len(codes) for codes in calls] == [2, 2]  # the chunks queued after it never ran
    for table in (cases, deadlines, case_versions, identity_index, audit):
        assert count(store, table) == 0
    monkeypatch.setattr(known, "write", write)
    assert len(store.import_cases(generate_cases(3, seed=6, today=TODAY))) == 3
    assert store.verify_audit().intact
