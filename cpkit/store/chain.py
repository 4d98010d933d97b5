"""The audit trail's hash chain: each row carries a hash of itself and of the row before.

Why: the database refuses updates and deletes of audit rows (triggers), but the owner
of an SQLite file, or of the PostgreSQL tables, can drop triggers.  With the chain, a
row changed, removed or inserted in the middle breaks every hash after it, and
:func:`verify_chain` (called by ``cpkit check``) names the first broken row.  What the
chain cannot stop: someone with write access who recomputes every hash from the
forged row on, or who cuts rows off the end; compare the head (:attr:`ChainReport.head`,
printed by ``cpkit check``) with a copy kept elsewhere (a backup, a printout) to see that.

The hash covers the time (UTC, microseconds), actor, action, case code and version,
detail (canonical JSON) and origin; never the row id, so the chain survives a copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy where the chain is read: the lean road hashes without it
    from sqlalchemy.engine import Connection

GENESIS = ""
FIELDS = ("at", "actor", "action", "case_id", "case_version", "detail", "origin")


def _instant(at: dt.datetime | str) -> str:
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    at = at.astimezone(dt.UTC) if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def chain_body(row: Mapping) -> str:
    """What the hash of audit ``row`` covers besides the row before: its fields as
    canonical JSON.  PostgreSQL hashes it under the chain's lock (migration 0012,
    ``sha256(previous || E'\\n' || body)``), so it is worked out before the lock."""
    values = [_instant(row["at"]), *(row[name] for name in FIELDS[1:])]
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(previous: str, row: Mapping) -> str:
    """The hash of audit ``row`` following the row whose hash is ``previous``."""
    return hashlib.sha256(f"{previous}\n{chain_body(row)}".encode()).hexdigest()


def chained_rows(previous: str, entries: list[tuple], actor: str, action: str,
                 at: dt.datetime, origin: str, *, hashed: bool = True) -> list[dict]:
    """The audit rows of ``entries`` ((case code, case version, detail) each), each with
    its hash, following the row whose hash is ``previous``: what every writer appends
    (:meth:`cpkit.store.Store._audit`, the lean reader's :meth:`append_audit`).
    ``hashed=False``: the rows without their hash yet (:func:`rehash` adds it, or
    PostgreSQL does, under the chain's lock)."""
    rows = [{"at": at, "actor": actor, "action": action, "case_id": case_id,
             "case_version": version, "detail": detail, "origin": origin}
            for case_id, version, detail in entries]
    return rehash(previous, rows) if hashed else rows


# PostgreSQL appends under the chain's lock in the database (migration 0012's
# ``cpkit_audit_append``: the rows' bodies worked out here, hashed there).  An event's
# row (a read, an export) is one autocommit statement: the store's key lock taken shared
# (as every write takes it) before the append; no key row, no row returned and nothing
# appended.  Written once, for the Store (through SQLAlchemy) and the lean reader
# (psycopg, :meth:`cpkit.store.lean.Reader.append_audit`).
APPEND_CALL = ("cpkit_audit_append(:at, :actor, :action, :origin, CAST(:case_id AS json), "
               "CAST(:case_version AS json), CAST(:detail AS json), :body)")
EVENT_STATEMENT = (f"SELECT {APPEND_CALL} FROM (SELECT 1 FROM store_meta "
                   "WHERE name = 'key' FOR SHARE) AS key_lock")


def append_params(entries: list[tuple], actor: str, action: str, at: dt.datetime,
                  origin: str) -> dict:
    """The parameters of ``cpkit_audit_append()`` (:data:`APPEND_CALL`) for ``entries``
    ((case code, case version, detail) each): the rows' bodies worked out here, hashed
    by the database under the chain's lock."""
    rows = chained_rows(GENESIS, entries, actor, action, at, origin, hashed=False)
    return {"at": rows[0]["at"], "actor": actor, "action": action,
            "origin": rows[0]["origin"],
            "case_id": json.dumps([r["case_id"] for r in rows]),
            "case_version": json.dumps([r["case_version"] for r in rows]),
            "detail": json.dumps([r["detail"] for r in rows]),
            "body": [chain_body(r) for r in rows]}


def rehash(previous: str, rows: list[dict]) -> list[dict]:
    """Set each row's hash, chained from the row whose hash is ``previous``."""
    for row in rows:
        previous = row["hash"] = chain_hash(previous, row)
    return rows


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: rows checked, the last hash, the first break."""

    rows: int
    head: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(conn: Connection) -> ChainReport:
    """Recompute the chain over every audit row in order; stop at the first break."""
    from sqlalchemy import select

    from cpkit.store.schema import audit

    previous, count = GENESIS, 0
    for row in conn.execute(select(audit).order_by(audit.c.id)).mappings():
        expected = chain_hash(previous, row)
        if row["hash"] != expected:
            what = "has no hash" if not row["hash"] else (
                "does not follow from the rows before it (changed, removed or inserted)")
            return ChainReport(count, previous, row["id"], f"audit row {row['id']} {what}")
        previous, count = expected, count + 1
    return ChainReport(count, previous)


def last_hash(conn: Connection) -> str:
    """The hash of the newest audit row (the genesis value for an empty trail)."""
    from sqlalchemy import select

    from cpkit.store.schema import audit

    found = conn.execute(select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar()
    return found or GENESIS
