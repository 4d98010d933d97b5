"""Records of rendered reports (the ``reports`` table): what was printed, from which
version of the case, where it is, its checksum, who printed it and when it went out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update

from cpkit import identity
from cpkit.errors import NotFound
from cpkit.store.repository import Store
from cpkit.store.schema import cases, reports


def add_report(store: Store, *, case_id: str, case_version: int, kind: str, fmt: str,
               lang: str, redacted: bool, meeting_date: dt.date | None, path: str,
               sha256: str, actor: str | None = None, at: dt.datetime | None = None,
               audit: dict | None = None) -> int:
    """Record one rendered report; returns its id.  ``audit``: the detail of its
    ``render`` audit row, written in the same transaction (the row and its audit
    entry exist together or not at all: :mod:`cpkit.store.report_files`)."""
    actor = actor or identity.current_user()
    with store.engine.begin() as conn:
        if audit is not None:
            store._lock(conn)
        result = conn.execute(insert(reports).values(
            case_id=case_id, case_version=case_version, kind=kind, format=fmt, lang=lang,
            redacted=redacted, meeting_date=meeting_date, path=path, sha256=sha256,
            actor=actor, at=at or dt.datetime.now(dt.UTC)))
        report_id = int(result.inserted_primary_key[0])
        if audit is not None:
            version = conn.execute(select(cases.c.version)
                                   .where(cases.c.case_id == case_id)).scalar()
            store._audit(conn, [(case_id, version, {"report_id": report_id, **audit})],
                         actor, "render")
        return report_id


def report_rows(store: Store, case_id: str | None = None) -> list[dict]:
    """Rendered reports, oldest first, for one case or all (one statement: on the
    store's reader, without a transaction's round trips around it on PostgreSQL)."""
    query = select(reports).order_by(reports.c.id)
    if case_id:
        query = query.where(reports.c.case_id == case_id)
    with store.reader.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def get_report(store: Store, report_id: int) -> dict:
    with store.engine.connect() as conn:
        row = conn.execute(select(reports).where(reports.c.id == report_id)).first()
    if row is None:
        raise NotFound(f"report {report_id}: no such report")
    return dict(row._mapping)


def set_distributed(store: Store, report_id: int, day: dt.date) -> None:
    """Mark a rendered report as distributed on ``day``."""
    with store.engine.begin() as conn:
        done = conn.execute(update(reports).where(reports.c.id == report_id)
                            .values(distributed_on=day)).rowcount
    if done != 1:
        raise NotFound(f"report {report_id}: no such report")
