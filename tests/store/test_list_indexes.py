"""The lists filtered on risk or case manager read an index of the open cases
(migration 0013), on both databases, so their time grows with their result and not
with the closed cases of earlier years; the caseload's columns have a covering index."""

from __future__ import annotations

from sqlalchemy import inspect, text

from cpkit.store import list_sql

INDEXES = {"ix_cases_open_risk": ["overall_risk", "case_id"],
           "ix_cases_open_manager": ["case_manager", "case_id"]}


def _plan(store, sql: str, params: dict) -> str:
    """The database's plan for ``sql``; on PostgreSQL with sequential scans made dear,
    so the plan shows whether an index *can* serve the statement (a tiny table is
    otherwise read whole)."""
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            rows = conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params).fetchall()
            return " ".join(str(r[-1]) for r in rows)
        conn.execute(text("SET enable_seqscan = off"))
        return " ".join(r[0] for r in conn.execute(text(f"EXPLAIN {sql}"), params))


def test_the_list_indexes_exist_after_migration(store):
    with store.engine.connect() as conn:
        found = {i["name"]: i for i in inspect(conn).get_indexes("cases")}
    for name, columns in INDEXES.items():
        assert found[name]["column_names"] == columns
    assert found["ix_cases_list"]["column_names"][:3] == ["case_id", "training", "voided_at"]
    assert set(list_sql.SUMMARY_COLUMNS) <= set(found["ix_cases_list"]["column_names"])


def test_risk_and_manager_lists_of_open_cases_use_their_index(store):
    for name, kwargs in (("ix_cases_open_risk", {"risk": "high"}),
                         ("ix_cases_open_manager", {"manager": "Arta Morina"})):
        sql, params = list_sql.summaries(open_only=True, **kwargs)
        assert name in _plan(store, sql, params)
        sql, params = list_sql.summaries(**kwargs)  # closed cases too: not this index
        assert name not in _plan(store, sql, params)


def test_list_rows_are_typed_as_sqlalchemy_types_them(store):
    """The lists' rows, read through the driver and typed by ``list_sql.as_dicts``,
    are the rows SQLAlchemy's own column types give (dates as dates, on both
    databases)."""
    import datetime as dt

    from sqlalchemy import select

    from cpkit.store.schema import cases, deadlines
    from tests.conftest import CASE_FILES, fixture_case

    store.import_cases([fixture_case(n) for n in CASE_FILES])
    day = dt.date(2027, 12, 31)
    with store.engine.connect() as conn:
        typed = [dict(r._mapping) for r in conn.execute(
            select(*(cases.c[n] for n in list_sql.SUMMARY_COLUMNS))
            .where(cases.c.training.is_(False), cases.c.voided_at.is_(None))
            .order_by(cases.c.case_id))]
        open_rows = [dict(r._mapping) for r in conn.execute(
            select(*(deadlines.c[n] for n in ("case_id", "name", "kind", "due", "done_on",
                                               "meeting", "agency")),
                   cases.c.case_manager, cases.c.current_risk)
            .join(cases, cases.c.case_id == deadlines.c.case_id)
            .where(deadlines.c.done_on.is_(None), cases.c.training.is_(False),
                   cases.c.voided_at.is_(None))
            .order_by(deadlines.c.due, deadlines.c.case_id, deadlines.c.id))]
    assert typed and store.summaries() == typed
    got = store.deadline_rows(day)
    key = lambda r: (r["due"], r["case_id"], r["name"])  # noqa: E731
    assert open_rows and sorted(got, key=key) == sorted(open_rows, key=key)
    assert all(isinstance(r["due"], dt.date) for r in got)
