"""The caseload lists read through the standard library's ``sqlite3``, without
SQLAlchemy (a third of a second to import, more than ``cpkit list`` may take).

Only for what returns the very rows :class:`cpkit.store.Store` would (the list and
deadline queries, the users and facts the access policy needs), and only for an
existing SQLite store already at the newest schema: :func:`open_reader` gives
``None`` for anything else (PostgreSQL, a new store, a store to migrate, a file that
is not a store), and the caller then opens :class:`~cpkit.store.Store`, which
creates, migrates or refuses as it always does.  Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from cpkit.store.heads import head_revisions

SUMMARY_COLUMNS = ("case_id", "overall_risk", "current_risk", "stage", "case_manager",
                   "next_due", "next_kind", "version", "municipality")
DEADLINE_COLUMNS = ("case_id", "name", "kind", "due", "done_on", "meeting", "agency",
                    "case_manager", "current_risk")
_DATES = frozenset({"next_due", "due", "done_on", "meeting"})


def _sqlite_file(url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL without options; ``None`` for anything else."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    name = url[len(prefix):]
    return Path(name) if name and name != ":memory:" else None


def open_reader(url: str) -> Reader | None:
    """A reader of the store at ``url``, or ``None`` when it must be opened as a Store."""
    file = _sqlite_file(url)
    heads = head_revisions()
    if file is None or not heads or not file.is_file() or file.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=rw", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        stored = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:  # not a store, or not yet one: the Store says so
        conn.close()
        return None
    if stored != heads:
        conn.close()
        return None
    return Reader(conn)


def _row(columns: tuple[str, ...], values: tuple) -> dict:
    row = dict(zip(columns, values, strict=True))
    for name in _DATES.intersection(row):
        if row[name] is not None:
            row[name] = dt.date.fromisoformat(row[name])
    return row


class Reader:
    """Read-only queries on one SQLite connection, rows as the Store gives them."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def has_users(self) -> bool:
        return self._conn.execute("SELECT name FROM users LIMIT 1").fetchone() is not None

    def user(self, name: str) -> tuple[str, str, str | None, str | None] | None:
        """The users row of ``name``: name, role text, agency, display name."""
        return self._conn.execute("SELECT name, role, agency, display_name FROM users "
                                  "WHERE name = ?", (name,)).fetchone()

    def grants(self, name: str) -> list[tuple[str, bool]]:
        """(case code, identity) of each grant to ``name``, oldest first."""
        return [(c, bool(i)) for c, i in self._conn.execute(
            "SELECT case_id, identity FROM grants WHERE user_name = ? ORDER BY id", (name,))]

    def facts_rows(self, training: bool | None, with_document: bool) -> list[tuple]:
        """(case code, training, case manager[, document]) in code order."""
        columns = "case_id, training, case_manager" + (", document" if with_document else "")
        query, params = f"SELECT {columns} FROM cases", ()
        if training is not None:
            query, params = query + " WHERE training = ?", (int(training),)
        return self._conn.execute(query + " ORDER BY case_id", params).fetchall()

    def summaries(self, *, training: bool = False, risk: str | None = None,
                  manager: str | None = None, overdue_on: dt.date | None = None) -> list[dict]:
        """As :meth:`cpkit.store.Store.summaries`."""
        query = (f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cases"
                 " WHERE training = ? AND voided_at IS NULL")  # voids: out of every list
        params: list = [int(training)]
        if risk:
            query, params = query + " AND overall_risk = ?", [*params, risk]
        if manager:
            query, params = query + " AND case_manager = ?", [*params, manager]
        if overdue_on:
            query += (" AND case_id IN (SELECT case_id FROM deadlines"
                      " WHERE done_on IS NULL AND due < ?)")
            params.append(overdue_on.isoformat())
        rows = self._conn.execute(query + " ORDER BY case_id", params)
        return [_row(SUMMARY_COLUMNS, r) for r in rows]

    def deadline_rows(self, as_of: dt.date, *, overdue_only: bool = False,
                      training: bool = False) -> list[dict]:
        """As :meth:`cpkit.store.Store.deadline_rows`."""
        query = ("SELECT d.case_id, d.name, d.kind, d.due, d.done_on, d.meeting, d.agency,"
                 " c.case_manager, c.current_risk FROM deadlines d"
                 " JOIN cases c ON c.case_id = d.case_id"
                 " WHERE d.done_on IS NULL AND c.training = ? AND c.voided_at IS NULL")
        params: list = [int(training)]
        if overdue_only:
            query, params = query + " AND d.due < ?", [*params, as_of.isoformat()]
        rows = self._conn.execute(query + " ORDER BY d.due, d.case_id", params)
        return [_row(DEADLINE_COLUMNS, r) for r in rows]
