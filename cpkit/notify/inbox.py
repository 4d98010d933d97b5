"""Notifications in the store: written in the caller's transaction, read by their owner.

Each notice has a *dedupe* key (what happened, to which case, for whom), so a daily
``cpkit notify --send-due`` or a save repeated after a conflict never tells anyone the
same thing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from cpkit.notify import kinds
from cpkit.store import Store
from cpkit.store.schema import notifications


@dataclass(frozen=True)
class Notice:
    id: int
    created_at: dt.datetime
    case_id: str | None
    kind: str
    detail: dict
    read_at: dt.datetime | None

    def line(self, lang: str | None = None) -> str:
        return kinds.line(self.kind, self.detail, lang)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def notify(conn: Connection, kind: str, case_id: str | None, recipients: list[str],
           detail: dict, dedupe: str) -> int:
    """Write one notice of ``kind`` per recipient (skipping those already told, by
    ``dedupe``); returns how many were new.  ``detail`` must hold no identifying data."""
    if kind not in kinds.KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    new = 0
    for user in dict.fromkeys(recipients):
        key = f"{dedupe}|{user}"[:300]
        if conn.execute(select(notifications.c.id).where(notifications.c.dedupe == key)).first():
            continue
        try:
            with conn.begin_nested():
                conn.execute(insert(notifications).values(
                    created_at=_now(), recipient=user, case_id=case_id, kind=kind,
                    detail=detail, dedupe=key, mailed=False))
            new += 1
        except IntegrityError:  # told by a concurrent run a moment ago
            continue
    return new


def _notice(row) -> Notice:
    return Notice(row.id, row.created_at, row.case_id, row.kind, row.detail, row.read_at)


def inbox(store: Store, user: str, *, unread_only: bool = False) -> list[Notice]:
    """``user``'s notices, newest first."""
    query = (select(notifications).where(notifications.c.recipient == user)
             .order_by(notifications.c.id.desc()))
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    with store.engine.connect() as conn:
        return [_notice(r) for r in conn.execute(query)]


def mark_read(store: Store, user: str, ids: list[int] | None = None) -> int:
    """Mark ``user``'s notices read (all unread ones when ``ids`` is None); a user can
    only mark their own."""
    query = (update(notifications)
             .where(notifications.c.recipient == user, notifications.c.read_at.is_(None))
             .values(read_at=_now()))
    if ids is not None:
        query = query.where(notifications.c.id.in_(ids))
    with store.engine.begin() as conn:
        return conn.execute(query).rowcount
