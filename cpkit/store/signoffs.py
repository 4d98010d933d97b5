"""Rows of the ``signoffs`` table: a supervisor's decision on one rendered report.

Only the table is here; what a decision means (the status of a report, who may
decide) is in :mod:`cpkit.dashboard.signoff`.  Comments are sealed with the store's
key like a case's free text (a supervisor writes "Ëndrina's mother ..." as easily as
an assessor): the column holds ``{"v": "cpkit-sealed/1", "sealed": {...}}``, bound to
the report id; comments from before sealing are read as they are.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sqlalchemy import insert, select, update

from cpkit import crypto
from cpkit.store.codec import SEALED_FORMAT
from cpkit.store.repository import Store
from cpkit.store.schema import signoffs

DECISIONS = ("approved", "returned")


def add_signoff(store: Store, *, report_id: int, decision: str, comment: str | None,
                actor: str, case_version: int, at: dt.datetime | None = None) -> int:
    """Record one decision (the comment sealed with the store's key); returns its id."""
    with store.engine.begin() as conn:
        key = store._write_key(conn)
        result = conn.execute(insert(signoffs).values(
            report_id=report_id, decision=decision, comment=seal_comment(comment, report_id,
                                                                         key),
            actor=actor, at=at or dt.datetime.now(dt.UTC), case_version=case_version))
        return int(result.inserted_primary_key[0])


def _context(report_id: int) -> str:
    return f"cpkit-signoff:{report_id}"


def seal_comment(comment: str | None, report_id: int, key: crypto.Key) -> str | None:
    if comment is None:
        return None
    sealed = crypto.seal(comment.encode("utf-8"), _context(report_id), key)
    return json.dumps({"v": SEALED_FORMAT, "sealed": sealed}, separators=(",", ":"))


def open_comment(stored: str | None, report_id: int, key: crypto.Key | None = None
                 ) -> str | None:
    """The comment as written (``None`` stays ``None``; a plain old comment as it is)."""
    if not stored or not stored.startswith("{"):
        return stored
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(value, dict) or value.get("v") != SEALED_FORMAT:
        return stored
    return crypto.unseal(value["sealed"], _context(report_id), key).decode("utf-8")


def reseal_comments(conn, old: crypto.Key, new: crypto.Key) -> int:
    """Seal every comment with ``new`` (``rotate-key``, inside its transaction)."""
    rows = conn.execute(select(signoffs.c.id, signoffs.c.report_id, signoffs.c.comment)
                        .where(signoffs.c.comment.is_not(None))).all()
    for row in rows:
        plain = open_comment(row.comment, row.report_id, old)
        conn.execute(update(signoffs).where(signoffs.c.id == row.id).values(
            comment=seal_comment(plain, row.report_id, new)))
    return len(rows)


def signoff_rows(store: Store, report_ids: Iterable[int] | None = None) -> list[dict]:
    """Decisions, oldest first, on the reports named (or on all)."""
    query = select(signoffs).order_by(signoffs.c.id)
    if report_ids is not None:
        wanted = list(report_ids)
        if not wanted:
            return []
        query = query.where(signoffs.c.report_id.in_(wanted))
    with store.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["comment"] = open_comment(row["comment"], row["report_id"])
    return rows


def latest_signoffs(store: Store, report_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """The latest decision on each report that has one (report id -> row)."""
    return {row["report_id"]: row for row in signoff_rows(store, report_ids)}
