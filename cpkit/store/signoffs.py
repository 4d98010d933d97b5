"""Rows of the ``signoffs`` table: a supervisor's decision on one rendered report.

Only the table is here; what a decision means (the status of a report, who may
decide) is in :mod:`cpkit.dashboard.signoff`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import insert, select

from cpkit.store.repository import Store
from cpkit.store.schema import signoffs

DECISIONS = ("approved", "returned")


def add_signoff(store: Store, *, report_id: int, decision: str, comment: str | None,
                actor: str, case_version: int, at: dt.datetime | None = None) -> int:
    """Record one decision; returns its id."""
    with store.engine.begin() as conn:
        result = conn.execute(insert(signoffs).values(
            report_id=report_id, decision=decision, comment=comment, actor=actor,
            at=at or dt.datetime.now(dt.UTC), case_version=case_version))
        return int(result.inserted_primary_key[0])


def signoff_rows(store: Store, report_ids: Iterable[int] | None = None) -> list[dict]:
    """Decisions, oldest first, on the reports named (or on all)."""
    query = select(signoffs).order_by(signoffs.c.id)
    if report_ids is not None:
        wanted = list(report_ids)
        if not wanted:
            return []
        query = query.where(signoffs.c.report_id.in_(wanted))
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def latest_signoffs(store: Store, report_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """The latest decision on each report that has one (report id -> row)."""
    return {row["report_id"]: row for row in signoff_rows(store, report_ids)}
