"""Voided cases: a case created by mistake is kept, marked void with a reason, and left
out of every list (the caseload, ``cpkit list``, the dashboard, deadlines, exports,
notices, "is this child known?").

Nothing of a voided case is deleted: its document, versions, reports and audit stay, it
can still be opened by its code (and says it is void), and its code is never given
again.  The reason is free text (it may name the child): sealed like the case, bound to
the case code.  Who may void is decided by :func:`cpkit.access.voiding.void_case`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cpkit.errors import BadInput, NotFound
from cpkit.store import codec

# SQLAlchemy and the schema are imported where a query is made: ``cpkit show`` on the
# lean road builds a :class:`Void` without them (:func:`void_from_row`).

PREFIX = "cpkit-void"
REASON_MAX = 2_000


@dataclass(frozen=True)
class Void:
    """Why and when a case was voided, and by whom (a user name)."""

    case_id: str
    at: dt.datetime
    by: str
    reason: str


def live():
    """The condition that keeps voided cases out of a query on ``cases``."""
    from cpkit.store.schema import cases

    return cases.c.voided_at.is_(None)


def void_of(store, case_id: str) -> Void | None:
    """The void of ``case_id``, or ``None`` when the case is not void."""
    from sqlalchemy import select

    from cpkit.store.schema import cases

    with store.engine.connect() as conn:
        row = conn.execute(select(cases.c.voided_at, cases.c.voided_by, cases.c.void_reason)
                           .where(cases.c.case_id == case_id)).first()
    if row is None:
        raise NotFound(f"{case_id:.60}: no such case in the store")
    return void_from_row(case_id, row.voided_at, row.voided_by, row.void_reason)


def void_from_row(case_id: str, voided_at: dt.datetime | None, voided_by: str | None,
                  void_reason: dict | None) -> Void | None:
    """The void of a case from its stored columns (``None``: not void), the reason
    unsealed."""
    if voided_at is None:
        return None
    reason = codec.open_text(void_reason, codec.text_context(PREFIX, case_id)) or ""
    return Void(case_id, voided_at, voided_by or "", reason)


def created_by(store, case_id: str) -> tuple[str | None, dt.datetime | None]:
    """Who created ``case_id`` (in a form, or by import) and when: its first audit row."""
    from sqlalchemy import select

    from cpkit.store.schema import audit

    with store.engine.connect() as conn:
        row = conn.execute(select(audit.c.actor, audit.c.at)
                           .where(audit.c.case_id == case_id, audit.c.case_version == 1,
                                  audit.c.action.in_(("create", "import")))
                           .order_by(audit.c.id).limit(1)).first()
    return (row.actor, row.at) if row else (None, None)


def checked_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise BadInput("reason: say why the case is void (e.g. created twice, created by "
                       "mistake)")
    if len(text) > REASON_MAX:
        raise BadInput(f"reason: too long ({len(text)} characters, at most {REASON_MAX})")
    return text


def mark_void(store, case_id: str, reason: str, actor: str, detail: dict) -> Void:
    """Mark ``case_id`` void (one transaction: the mark and one ``void`` audit row, which
    names who and why in general terms, never the reason's text)."""
    from sqlalchemy import select, update

    from cpkit.store import sealed
    from cpkit.store.schema import cases

    reason = checked_reason(reason)
    now = dt.datetime.now(dt.UTC)
    with store.engine.begin() as conn:
        key = store._write_key(conn)  # the store's write lock and its key
        row = conn.execute(select(cases.c.voided_at, cases.c.version)
                           .where(cases.c.case_id == case_id)).first()
        if row is None:
            raise NotFound(f"{case_id:.60}: no such case in the store")
        if row.voided_at is not None:
            raise BadInput(f"{case_id}: the case is void already")
        conn.execute(update(cases).where(cases.c.case_id == case_id).values(
            voided_at=now, voided_by=actor,
            void_reason=codec.seal_text(reason, sealed.context(PREFIX, case_id), key)))
        store._audit(conn, [(case_id, row.version, detail)], actor, "void")
    return Void(case_id, now, actor, reason)
