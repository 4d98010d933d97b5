"""The caseload lists read through the database's own driver (the standard library's
``sqlite3``, or ``psycopg`` for PostgreSQL), without SQLAlchemy (a third of a second to
import, more than ``cpkit list`` may take).

Only for what returns the very rows :class:`cpkit.store.Store` would (the list and
deadline queries, the users and facts the access policy needs), and only for an
existing store already at the newest schema: :func:`open_reader` gives ``None`` for
anything else (a new store, a store to migrate, a file that is not a store, a URL the
driver cannot take as it is), and the caller then opens :class:`~cpkit.store.Store`,
which creates, migrates or refuses as it always does.  The list statements are the
Store's own (:mod:`cpkit.store.list_sql`).  The one write is an audit row
(:meth:`Reader.append_audit`), the row :meth:`Store.record_event` would append, byte for
byte, in the chain (:mod:`cpkit.store.chain`): on PostgreSQL by the very statement the
Store runs.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from cpkit.errors import file_write_failure
from cpkit.store import list_sql
from cpkit.store.heads import head_revisions
from cpkit.store.list_sql import DEADLINE_COLUMNS, SUMMARY_COLUMNS


def _sqlite_file(url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL without options; ``None`` for anything else."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    name = name_of(url)
    return Path(name) if name and name != ":memory:" else None


def name_of(url: str) -> str:
    """The file of an ``sqlite:///`` URL as written in it (as SQLAlchemy names it)."""
    return url.removeprefix("sqlite:///")


def _postgres_conninfo(url: str) -> str | None:
    """The libpq URI of a ``postgresql[+psycopg]://`` URL; ``None`` for anything else."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql://{rest}" if sep and scheme in ("postgresql", "postgresql+psycopg") \
        else None


def open_reader(url: str) -> Reader | None:
    """A reader of the store at ``url``, or ``None`` when it must be opened as a Store."""
    heads = head_revisions()
    if not heads:
        return None
    conninfo = _postgres_conninfo(url)
    if conninfo is not None:
        return _open_postgres(conninfo, heads)
    file = _sqlite_file(url)
    if file is None or not file.is_file() or file.stat().st_size == 0:
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
    return Reader(conn, file=name_of(url))


def _open_postgres(conninfo: str, heads: frozenset[str]) -> Reader | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except (psycopg.Error, ValueError):  # unreachable, or options libpq does not take
        return None
    try:
        stored = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    except psycopg.Error:
        conn.close()
        return None
    if stored != heads:
        conn.close()
        return None
    return Reader(conn, postgres=True)


class Reader:
    """Read-only queries on one connection (``sqlite3`` or ``psycopg``), rows as the
    Store gives them."""

    def __init__(self, conn, *, postgres: bool = False, file: str = ""):
        self._conn = conn
        self._postgres = postgres
        self._file = file

    def close(self) -> None:
        self._conn.close()

    def _run(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Rows of ``sql`` with ``:name`` parameters, on either driver."""
        return self._conn.execute(*list_sql.for_driver(sql, params or {},
                                                       postgres=self._postgres)).fetchall()

    def has_users(self) -> bool:
        return bool(self._run("SELECT name FROM users LIMIT 1"))

    def user(self, name: str) -> tuple[str, str, str | None, str | None] | None:
        """The users row of ``name``: name, role text, agency, display name."""
        found = self._run("SELECT name, role, agency, display_name FROM users "
                          "WHERE name = :name", {"name": name})
        return tuple(found[0]) if found else None

    def grants(self, name: str) -> list[tuple[str, bool]]:
        """(case code, identity) of each grant to ``name``, oldest first."""
        return [(c, bool(i)) for c, i in self._run(
            "SELECT case_id, identity FROM grants WHERE user_name = :name ORDER BY id",
            {"name": name})]

    def facts_rows(self, training: bool | None, with_document: bool) -> list[tuple]:
        """(case code, training, case manager[, document]) in code order."""
        columns = "case_id, training, case_manager" + (", document" if with_document else "")
        if training is None:
            return self._run(f"SELECT {columns} FROM cases ORDER BY case_id")
        return self._run(f"SELECT {columns} FROM cases WHERE training = :training"
                         " ORDER BY case_id", {"training": bool(training)})

    def case_facts_row(self, case_id: str) -> tuple | None:
        """(case code, training, case manager, document) of one case, voided or not (a
        case named is still read); ``None`` when there is no such case."""
        found = self._run("SELECT case_id, training, case_manager, document FROM cases "
                          "WHERE case_id = :case_id", {"case_id": case_id})
        return tuple(found[0]) if found else None

    def case_row(self, case_id: str) -> dict | None:
        """The stored document, version, void mark and policy facts (training, case
        manager) of ``case_id``, in one statement, so that what is decided and what is
        read are the same version, as the Guard reads a named case (``None``: no such
        case); the void time as SQLAlchemy reads it back (naive, as stored)."""
        found = self._run("SELECT document, version, voided_at, voided_by, void_reason, "
                          "training, case_manager FROM cases WHERE case_id = :case_id",
                          {"case_id": case_id})
        if not found:
            return None
        document, version, voided_at, voided_by, reason, training, manager = found[0]
        if isinstance(voided_at, str):
            voided_at = dt.datetime.fromisoformat(voided_at)
        if isinstance(reason, str):  # SQLite keeps JSON as text
            reason = json.loads(reason)
        return {"document": document, "version": version, "voided_at": voided_at,
                "voided_by": voided_by, "void_reason": reason, "training": training,
                "case_manager": manager}

    def append_audit(self, action: str, case_id: str, detail: dict | None,
                     actor: str, version: int | None = None) -> bool:
        """Append the audit row :meth:`cpkit.store.Store.record_event` would for an event
        about ``version`` of ``case_id`` (the version read, as the Guard records a read;
        by default the stored one).  ``False`` when nothing was written and the Store must write it
        (on PostgreSQL: a store without its key row, or a driver's failure, which the
        Store says in its own words).

        SQLite: under the database's write lock (taken before anything is read, as
        the Store takes it), chained to the newest row, stored as SQLAlchemy stores it
        (the time as UTC text with microseconds, the detail as ``json.dumps`` text).
        PostgreSQL: the Store's own statement (:data:`cpkit.store.chain.EVENT_STATEMENT`)
        with the same parameters, in autocommit, as :meth:`Store.record_event` runs it
        for a read."""
        from cpkit import identity
        from cpkit.store import chain

        if self._postgres:
            import psycopg

            if version is None:
                return False
            params = chain.append_params([(case_id, version, detail)], actor, action,
                                         dt.datetime.now(dt.UTC), identity.origin())
            try:
                found = self._run(chain.EVENT_STATEMENT, params)
            except psycopg.Error:
                return False  # the Store's road tries again and says what failed
            return bool(found) and found[0][0] is not None
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            if version is None:
                found = conn.execute("SELECT version FROM cases WHERE case_id = ?",
                                     (case_id,)).fetchone()
                version = found[0] if found else None
            last = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            rows = chain.chained_rows((last[0] if last else None) or chain.GENESIS,
                                      [(case_id, version, detail)],
                                      actor, action, dt.datetime.now(dt.UTC),
                                      identity.origin())
            conn.executemany(
                "INSERT INTO audit (at, actor, action, case_id, case_version, detail, "
                "origin, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(r["at"].strftime("%Y-%m-%d %H:%M:%S.%f"), r["actor"], r["action"],
                  r["case_id"], r["case_version"], json.dumps(r["detail"]), r["origin"],
                  r["hash"]) for r in rows])
            conn.commit()
        except BaseException as err:
            conn.rollback()
            failure = (file_write_failure(str(err), self._file)
                       if isinstance(err, sqlite3.Error) else None)
            if failure is not None:  # said as the Store says it
                raise failure from None
            raise
        return True

    def report_row(self, report_id: int) -> dict | None:
        """The case code, format and redacted flag of rendered report ``report_id``."""
        found = self._run("SELECT case_id, format, redacted FROM reports WHERE id = :id",
                          {"id": report_id})
        if not found:
            return None
        case_id, fmt, redacted = found[0]
        return {"case_id": case_id, "format": fmt, "redacted": bool(redacted)}

    def summaries(self, *, training: bool = False, risk: str | None = None,
                  manager: str | None = None, overdue_on: dt.date | None = None,
                  open_only: bool = False) -> list[dict]:
        """As :meth:`cpkit.store.Store.summaries` (the same statement)."""
        rows = self._run(*list_sql.summaries(training=training, risk=risk, manager=manager,
                                             overdue_on=overdue_on, open_only=open_only))
        return list_sql.as_dicts(SUMMARY_COLUMNS, rows)

    def deadline_rows(self, as_of: dt.date, *, overdue_only: bool = False,
                      training: bool = False) -> list[dict]:
        """As :meth:`cpkit.store.Store.deadline_rows` (the same statement)."""
        rows = self._run(*list_sql.deadline_rows(as_of, overdue_only=overdue_only,
                                                 training=training))
        return list_sql.as_dicts(DEADLINE_COLUMNS, rows)
