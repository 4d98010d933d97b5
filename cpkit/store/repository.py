"""The one way cases are read and written: versioned saves, one transaction each,
an audit row for every change.

Widgets, reports and the CLI all go through :class:`Store`; none opens its own
database session.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import (
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from cpkit import crypto, identity
from cpkit.errors import (
    BadInput,
    Conflict,
    CpkitError,
    FieldProblem,
    InvalidCase,
    MergeConflict,
    NotFound,
    StoreUnavailable,
    file_write_failure,
)
from cpkit.merge import merge
from cpkit.paths import database_url
from cpkit.store import chain, codec, fresh, list_sql, voids
from cpkit.store.bulk import Packed, copy_packed, insert_rows, pack, receiving
from cpkit.store.diff import changed_paths
from cpkit.store.heads import MIGRATIONS, head_revisions
from cpkit.store.pinging import ping_when_idle
from cpkit.store.schema import (
    audit,
    case_versions,
    cases,
    code_sequences,
    deadlines,
    identity_index,
    store_meta,
)

# The case model (pydantic), the rules and Alembic are imported where they are used:
# a list, or a store already at the newest schema, does not pay for them.
if TYPE_CHECKING:
    from cpkit.matching import ChildTokens
    from cpkit.model import Case
    from cpkit.store import known

SQLITE_HEADER = b"SQLite format 3\x00"
AUDIT_LOCK = 0x63706B6974  # PostgreSQL advisory lock serialising audit appends ("cpkit")
_APPEND = text(f"SELECT {chain.APPEND_CALL}")
# An event's audit row in one statement (the lean reader runs the same one)
_EVENT = text(chain.EVENT_STATEMENT)
# A save in one statement on PostgreSQL (migration 0014): the list columns it writes.
_SAVE_COLUMNS = ("training", "municipality", "case_manager", "overall_risk",
                 "current_risk", "stage", "next_due", "next_kind", "document")
# The driver's own statement (``exec_driver_sql``: the engine's listeners still see it):
# its twenty values go to psycopg as they are, not through SQLAlchemy's bound parameters.
_SAVE_CASE = (
    "SELECT status, version, document, voided FROM cpkit_save_case(%(case_id)s, "
    "%(read_version)s, %(read_voided)s, %(key)s, %(document)s, %(at)s, %(actor)s, "
    "%(action)s, %(origin)s, %(training)s, %(municipality)s, %(case_manager)s, "
    "%(overall_risk)s, %(current_risk)s, %(stage)s, %(next_due)s, %(next_kind)s, "
    "CAST(%(deadlines)s AS json), CAST(%(detail)s AS json), %(body)s)")


# The statements every save runs, built once (a statement built for each save cost
# SQLAlchemy about 70 us of a writer's CPU in building and looking up its cached
# compiled form; the compiled form is the same).
_KEY_ROW = store_meta.c.name == "key"
# The store's write lock taken shared with the key's fingerprint (PostgreSQL), and
# exclusively (the first write, ``rotate-key``): see Store._lock.
_KEY_SHARED = select(store_meta.c.value).where(_KEY_ROW, store_meta.c.value.is_not(None)) \
    .with_for_update(read=True)
_KEY_EXCLUSIVE = select(store_meta.c.value).where(_KEY_ROW).with_for_update()
# A case's row as a save works it out: read, and read locked (the locked way).
_SAVE_ROW = select(cases.c.document, cases.c.version, cases.c.voided_at) \
    .where(cases.c.case_id == bindparam("case_id"))
_SAVE_ROW_LOCKED = _SAVE_ROW.with_for_update()
# PostgreSQL, the locked way: the store's key lock (shared) and then the case's row lock
# in one statement.  The key row is locked in its own sub-select, which the join must
# read before it yields the case's row to the outer lock, so the order is a write's
# usual one (key, then row) whatever the plan; no row when the key's fingerprint is not
# recorded yet (the first write: Store._write_key's way) or the case is not there.
_SAVE_ROW_AND_KEY_LOCKED = text(
    "SELECT c.document, c.version, c.voided_at, key_lock.value AS fingerprint "
    "FROM cases AS c, (SELECT value FROM store_meta WHERE name = 'key' "
    "AND value IS NOT NULL FOR SHARE) AS key_lock "
    "WHERE c.case_id = :case_id FOR UPDATE OF c")


class NotAStore(CpkitError):
    """The store's file or database exists but is not a cpkit case store: refused,
    never replaced (it may be someone's data, or a damaged store to restore)."""

    def __init__(self, where: str, why: str):
        super().__init__(
            f"{where} is not a cpkit case store ({why}); cpkit leaves it untouched. "
            "Restore the store from a backup, or move the file away and run `cpkit init` "
            "to start an empty store")


class _Written(NamedTuple):
    """A case's row as this store's last save of it wrote it (Store.written_row)."""

    document: str  # the stored (sealed) text
    version: int
    voided_at: None = None  # a void case is never saved


# Cases whose last save by this store is kept (Store.written_row); the oldest forgotten.
WRITTEN_KEPT = 64


def keep_recent(kept: dict, key: str, value: object, limit: int) -> None:
    """Keep ``value`` under ``key`` in ``kept``, a cache of the ``limit`` most recently
    kept entries: ``key`` moves to the newest place, the oldest entry goes first."""
    kept.pop(key, None)
    if len(kept) >= limit:
        kept.pop(next(iter(kept)))
    kept[key] = value


@dataclass(frozen=True)
class Record:
    """A stored case and the version it was read at (to save it back)."""

    case: Case
    version: int
    # What a save merged with someone else's (as the audit has it).
    merged: dict | None = field(default=None, kw_only=True)
    # The document a save stored (``None`` when not at hand): the saved case's
    # ``to_document()``, kept so that what follows a save does not make it again.
    document: dict | None = field(default=None, kw_only=True, compare=False, repr=False)

    def as_document(self) -> dict:
        """The case's document: the one the save stored when at hand (the same, made
        once), else made from the case.  What a form keeps after a save, as the base of
        its next one."""
        return self.document if self.document is not None else self.case.to_document()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class NulCharacter(BadInput):
    """A text to be stored holds a NUL character: refused on every store alike."""


# A NUL in a text, or escaped in JSON text (an odd number of backslashes before u0000).
_NUL = re.compile(r"\x00|(?<!\\)(?:\\\\)*\\u0000")


def _refuse_nul(_conn, _cursor, _statement, parameters, _context, _executemany) -> None:
    """Refuse a NUL character in any text a statement carries (a user name, a detail, a
    search), before the database sees it.

    Why: PostgreSQL refuses NUL in text and JSON with a driver error while SQLite
    stores it, so the same input failed on one store only and with no words a user
    understands; now both refuse it, naming the field, and nothing is written (the
    transaction is rolled back)."""
    rows = parameters if isinstance(parameters, list) else [parameters]
    for row in rows:  # the usual row: plain values, texts without a NUL: one quick look
        for value in (row.values() if isinstance(row, dict) else row or ()):
            kind = type(value)
            if kind is str:
                if "\x00" not in value and "u0000" not in value:
                    continue
            elif kind in _PLAIN:
                continue
            _refuse_nul_in(row, _context)
            break


_PLAIN = frozenset({int, float, bool, type(None), bytes, dt.date, dt.datetime})


def _refuse_nul_in(row: object, _context) -> None:
    """:func:`_refuse_nul` for one row that holds a value to look into."""
    items = row.items() if isinstance(row, dict) else enumerate(row or ())
    for name, value in items:
        if hasattr(value, "obj") and not isinstance(value, str):
            # PostgreSQL's JSON values come wrapped (psycopg's Json); its json type
            # would keep an escaped NUL that jsonb and SQLite's text refuse or keep
            value = json.dumps(value.obj)
        if isinstance(value, str) and ("\x00" in value or "u0000" in value) \
                and _NUL.search(value):
            raise NulCharacter(f"{_parameter_name(_context, name)}: contains a NUL "
                               "character (\\u0000), which cpkit refuses; nothing was "
                               "read or written")


def _parameter_name(context, name: object) -> str:
    """The column a bound value goes to ("actor", "name"), for the message."""
    if isinstance(name, int):  # positional (SQLite): the compiled statement knows
        names = getattr(getattr(context, "compiled", None), "positiontup", None) or []
        name = names[name] if name < len(names) else "a text"
    return re.sub(r"_\d+$", "", str(name))


def _database_failure(context) -> None:
    """The database's failures a person can act on, in words (:class:`StoreUnavailable`,
    :class:`StoreReadOnly`) rather than a driver's exception; the transaction was rolled
    back, so nothing of the operation was written."""
    original = context.original_exception
    text = str(original)
    engine = context.engine
    where = engine.url.render_as_string(hide_password=True) if engine is not None else ""
    failure = file_write_failure(text, engine.url.database if engine else "")
    if failure is not None:
        raise failure from None
    dialect = engine.dialect.name if engine is not None else ""
    if dialect == "postgresql" and (context.is_disconnect or _unreachable(text)):
        raise StoreUnavailable(f"the case store ({where}) cannot be reached: the database "
                               "server is stopped or restarting. The save was not made "
                               "(it is all or nothing); your work is kept, try again in a "
                               "moment") from None


def _unreachable(text: str) -> bool:
    return any(sign in text for sign in ("Connection refused", "connection failed",
                                         "server closed the connection",
                                         "terminating connection", "the database system is",
                                         "consuming input failed"))


@dataclass(frozen=True)
class _Prepared:
    """What a write stores for one case, each piece worked out once."""

    case_id: str
    document: dict
    columns: dict
    deadline_rows: list[dict]

    @classmethod
    def of(cls, case: Case, document: dict | None = None,
           key: crypto.Key | None = None) -> _Prepared:
        from cpkit.rules.calendar import calendar
        from cpkit.rules.deadlines import case_deadlines, next_open
        from cpkit.rules.meetings import current_risk
        from cpkit.rules.risk import case_risk
        from cpkit.rules.summary import stage

        document = case.to_document() if document is None else document
        found = case_deadlines(case, calendar())
        upcoming = next_open(found)
        columns = {
            "training": case.training,
            "municipality": case.municipality,
            "case_manager": case.case_manager,
            "overall_risk": case_risk(case).level,
            "current_risk": current_risk(case),
            "stage": stage(case),
            "next_due": upcoming.due if upcoming else None,
            "next_kind": upcoming.name if upcoming else None,
            "document": codec.encode(document, key),
        }
        rows = [{"case_id": case.case_id, "name": d.name, "kind": d.kind, "due": d.due,
                 "done_on": d.done_on, "meeting": d.meeting, "agency": d.agency}
                for d in found]
        return cls(case.case_id, document, columns, rows)


# The tables an import writes for each case (the audit apart).
IMPORTED_TABLES = (cases, deadlines, identity_index, case_versions)
IMPORT_CHUNK = 500  # cases an import prepares while the rows of the ones before are written


class _Overlapped:
    """Writes run one after another on a thread of their own, while the caller prepares
    the next ones: an import's two halves on two cores.

    Why: the driver leaves Python's lock while the database inserts (SQLite's B-trees,
    PostgreSQL's round trips), so the next cases' deadlines, seal and rows are worked
    out meanwhile.  One thread, so the writes keep their order on the one connection
    (the caller touches it only before and after the block).  The first write that
    fails stops the rest and is raised when the block ends; a failure of the caller
    cancels the writes not yet begun and waits for the one running, so the
    transaction is never rolled back under a running statement."""

    def __enter__(self) -> _Overlapped:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpkit-import")
        self._futures: list = []
        self._failed = False
        return self

    def submit(self, write: Callable, *args: object) -> None:
        for done in [f for f in self._futures if f.done()]:
            done.result()  # a failed write: raise now, before more is prepared
            self._futures.remove(done)
        self._futures.append(self._pool.submit(self._run, write, args))

    def _run(self, write: Callable, args: tuple) -> None:
        if self._failed:  # the transaction is lost: nothing after the failure runs
            return
        try:
            write(*args)
        except BaseException:
            self._failed = True
            raise

    def __exit__(self, kind, error, traceback) -> None:
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)
        if kind is None:
            for future in self._futures:
                future.result()


class Store:
    """The case store at ``url`` (default: ``CPKIT_DB`` or the embedded SQLite file)."""

    def __init__(self, url: str | None = None, *, migrate: bool = True):
        self.url = url or database_url()
        # The key's fingerprint as this store's last write found it recorded: what a
        # save in one statement seals with (checked by the statement itself).
        self._sealing_key: str | None = None
        # Case code -> the row this store's last save of the case wrote at once.
        self._written: dict[str, _Written] = {}
        self.engine: Engine = create_engine(self.url, future=True)
        if not self.url.startswith("sqlite"):
            # A server restarted under a running kit: pooled connections idle for a
            # while are tested before use, so the first save after the restart succeeds
            # rather than failing (one used a moment ago is not: a round trip saved).
            ping_when_idle(self.engine)
        event.listen(self.engine, "before_cursor_execute", _refuse_nul)
        event.listen(self.engine, "handle_error", _database_failure)
        # Reads of committed rows, one statement each, on PostgreSQL in autocommit: no
        # BEGIN and ROLLBACK round trips around them (the same pool and listeners).
        self.reader: Engine = self.engine if self.url.startswith("sqlite") else \
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self._private_file()
        if migrate:
            self.migrate()

    def _private_file(self) -> None:
        """Create a new SQLite file private (0600); check an existing one is a store."""
        path = self.engine.url.database
        if not path or path == ":memory:":
            return
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            _check_sqlite_file(file)

    def migrate(self) -> None:
        """Create the schema or bring it to the newest migration.

        A database that holds tables but not cpkit's is refused (:class:`NotAStore`).
        Alembic is loaded only when the store is not at the newest migration already."""
        if self.at_head():
            return
        new_file = self._new_sqlite_file()
        if new_file and self._from_template():
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            tables = set(inspect(conn).get_table_names())
            if tables and not {"alembic_version", "cases"} <= tables:
                where = self.engine.url.render_as_string(hide_password=True)
                raise NotAStore(where, "it holds other tables")
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        if new_file:
            with self.engine.connect() as conn:
                fresh.keep(conn.connection.driver_connection)

    def _new_sqlite_file(self) -> bool:
        """Whether this is an SQLite store in a file that holds nothing yet."""
        if self.engine.dialect.name != "sqlite" or self.engine.url.database in (None, "",
                                                                               ":memory:"):
            return False
        with self.engine.connect() as conn:
            return not conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()

    def _from_template(self) -> bool:
        """A new SQLite store made from the template (:mod:`cpkit.store.fresh`); ``False``
        when there is none to use (then it is migrated)."""
        with self.engine.connect() as conn:
            made = fresh.copy_into(conn.connection.driver_connection)
        return made and self.at_head()

    # -- the key and the store-wide write lock ------------------------------------

    def _lock(self, conn: Connection, exclusive: bool = False) -> str | None:
        """Take the store's write lock in this transaction; the store key's fingerprint.

        Every write takes it first: shared on PostgreSQL (writers run side by side,
        ``rotate-key`` waits for them and they for it), the database's single write
        lock on SQLite (taken at once, before anything is read, so what is read next
        cannot go stale before the write)."""
        row = store_meta.c.name == "key"
        if self.engine.dialect.name == "sqlite":
            conn.execute(update(store_meta).where(row).values(value=store_meta.c.value))
            return conn.execute(select(store_meta.c.value).where(row)).scalar()
        if not exclusive:
            # Shared, in one statement, when the key's fingerprint is recorded (every
            # write but the first): a row without it is neither returned nor locked.
            found = conn.execute(_KEY_SHARED).scalar()
            if found is not None:
                return found
            # The first write records the key's fingerprint, an update of this row: take
            # the lock exclusively from the start.  Two writers holding it shared and then
            # both updating would deadlock (a shared lock is never upgraded safely).
        return conn.execute(_KEY_EXCLUSIVE).scalar()

    def _write_key(self, conn: Connection) -> crypto.Key:
        """The key to seal with: this store's key, never another.

        A store that holds nothing sealed yet takes the key in use (created when there
        is none) and records its fingerprint; from then on a write with any other key,
        or with the key file missing, is refused (:class:`cpkit.crypto.KeyMismatch`)."""
        return self._key_of(conn, self._lock(conn))

    def _key_of(self, conn: Connection, fingerprint: str | None) -> crypto.Key:
        """:meth:`_write_key` once the store's write lock is held and its recorded key
        fingerprint read (``None``: none recorded yet)."""
        if fingerprint is not None:
            try:
                key = crypto.key_for(fingerprint)
            except crypto.KeyMismatch:
                if self._holds_sealed(conn) or os.environ.get("CPKIT_KEY"):
                    raise
            else:
                self._sealing_key = fingerprint
                return key
        key = crypto.current_key(create=True)
        conn.execute(update(store_meta).where(store_meta.c.name == "key")
                     .values(value=key.fingerprint))
        return key

    @staticmethod
    def _holds_sealed(conn: Connection) -> bool:
        return conn.execute(select(cases.c.case_id).limit(1)).first() is not None

    def ensure_key(self) -> crypto.Key:
        """The store's key, checked (``cpkit init``): created only for an empty store."""
        with self.engine.begin() as conn:
            return self._write_key(conn)

    def key_fingerprint(self) -> str | None:
        """The fingerprint of the key the store is sealed with (``None``: nothing yet)."""
        with self.engine.connect() as conn:
            return conn.execute(select(store_meta.c.value)
                                .where(store_meta.c.name == "key")).scalar()

    def at_head(self) -> bool:
        """Whether the store's schema is the newest migration's."""
        heads = head_revisions()
        if not heads:
            return False
        try:
            with self.engine.connect() as conn:
                stored = {row[0] for row in conn.exec_driver_sql(
                    "SELECT version_num FROM alembic_version")}
        except DBAPIError:  # no schema yet
            return False
        return stored == heads

    def close(self) -> None:
        self.engine.dispose()

    # -- reading -------------------------------------------------------------------

    def get(self, case_id: str) -> Record:
        """The case ``case_id`` and its version; :class:`NotFound` when absent."""
        with self.reader.connect() as conn:
            row = conn.execute(
                select(cases.c.document, cases.c.version).where(cases.c.case_id == case_id)
            ).first()
        if row is None:
            raise NotFound(f"{case_id}: no such case in the store")
        from cpkit.model import Case

        return Record(Case.model_validate(codec.decode(row.document)), row.version)

    def exists(self, case_id: str) -> bool:
        with self.reader.connect() as conn:
            return conn.execute(
                select(cases.c.case_id).where(cases.c.case_id == case_id)
            ).first() is not None

    def records(self, case_ids: Iterable[str] | None = None,
                training: bool | None = None) -> Iterator[Record]:
        """Cases in code order: the ones named, or all (live and training, or either)."""
        query = select(cases.c.case_id, cases.c.document, cases.c.version) \
            .order_by(cases.c.case_id)
        wanted = list(case_ids) if case_ids is not None else None
        if wanted is not None:
            query = query.where(cases.c.case_id.in_(wanted))
        else:  # a list: voided cases are left out (named, they are still read)
            query = query.where(voids.live())
        if training is not None:
            query = query.where(cases.c.training == training)

        with self.reader.connect() as conn:  # one connection for the check and the rows
            rows = None
            if wanted is not None and training is None:
                # The rows named are the check: one statement (the driver holds the
                # whole result anyway).
                rows = conn.execute(query).all()
                known = {row.case_id for row in rows}
            elif wanted is not None:
                known = self._known(conn, wanted)
            if wanted is not None:
                missing = set(wanted) - known
                if missing:
                    raise NotFound(f"{', '.join(sorted(missing))}: no such case in the store")
            for row in rows if rows is not None else conn.execute(query):
                yield self.record_of(row)

    def case_rows(self, case_ids: list[str]) -> list:
        """The rows of the cases named, in one statement: code, training flag, case
        manager, the stored (sealed) document and version; the facts to decide who may
        read them and, once decided, the record (:meth:`record_of`).  In code order, as
        :meth:`records`; absent codes have no row."""
        c = cases.c
        with self.reader.connect() as conn:
            return conn.execute(select(c.case_id, c.training, c.case_manager, c.document,
                                       c.version).where(c.case_id.in_(case_ids))
                                .order_by(c.case_id)).all()

    @staticmethod
    def record_of(row) -> Record:
        """The record of a row holding a stored ``document`` and its ``version``."""
        from cpkit.model import Case

        return Record(Case.model_validate(codec.decode(row.document)), row.version)

    @staticmethod
    def _known(conn: Connection, case_ids: list[str]) -> set[str]:
        rows = conn.execute(select(cases.c.case_id).where(cases.c.case_id.in_(case_ids)))
        return {r.case_id for r in rows}

    def summaries(self, *, training: bool = False, risk: str | None = None,
                  manager: str | None = None, overdue_on: dt.date | None = None,
                  open_only: bool = False) -> list[dict]:
        """The caseload table: one row of derived columns per case, in code order (the
        statement of :mod:`cpkit.store.list_sql`, shared with the lean readers)."""
        return self._list_rows(*list_sql.summaries(
            training=training, risk=risk, manager=manager, overdue_on=overdue_on,
            open_only=open_only))

    def deadline_rows(self, as_of: dt.date, *, overdue_only: bool = False,
                      training: bool = False) -> list[dict]:
        """Open deadlines (or only the overdue ones) across the caseload, soonest first."""
        return self._list_rows(*list_sql.deadline_rows(as_of, overdue_only=overdue_only,
                                                       training=training))

    def _list_rows(self, sql: str, params: dict) -> list[dict]:
        """The rows of a :mod:`~cpkit.store.list_sql` statement, dates as dates: run as
        the driver's own statement (the engine's listeners still see it) and typed by
        :func:`~cpkit.store.list_sql.as_dicts`, as the lean readers do, rather than
        value by value through SQLAlchemy's types and rows (a third of the time of a
        100,000-case caseload)."""
        postgres = self.engine.dialect.name == "postgresql"
        with self.engine.connect() as conn:
            result = conn.exec_driver_sql(*list_sql.for_driver(sql, params,
                                                               postgres=postgres))
            keys = tuple(result.keys())
            return list_sql.as_dicts(keys, result.fetchall())

    # -- writing -------------------------------------------------------------------

    def create(self, case: Case, actor: str | None = None) -> Record:
        """Store a new case (a code is assigned when it has none)."""
        return self.import_cases([case], actor=actor, action="create")[0]

    def save(self, case: Case, expected_version: int, actor: str | None = None,
             action: str = "update", *, base: dict | None = None,
             decided: list[str] | None = None,
             check: Callable[[dict, dict, bool], object] | None = None,
             read: object | None = None, at_once_only: bool = False) -> Record | None:
        """Save ``case`` over ``expected_version``.

        Without ``base`` a stale version is a :class:`Conflict`.  With ``base`` (the
        document the user started from) the change is merged field by field
        (:mod:`cpkit.merge`) into whatever is stored now: saves to different parts of
        a case never conflict; fields changed on both sides to different values raise
        :class:`MergeConflict` for the user to decide, and nothing is written.
        ``decided`` names the fields the user decided (for the audit).  The case is
        checked against the protocol's rules first, so nothing invalid is stored.
        ``check(stored, mine, voided)`` is called with the stored document (the one this
        write replaces), the one to be saved and whether the case is void, before
        anything is written: the access layer's checks that depend on what is stored
        (closing, void) made on the very row written, without reading it a second time;
        whatever it raises leaves nothing written.  ``read``: the case's row as the
        caller has just read it (its sealed ``document``, ``version`` and
        ``voided_at``), saving a read on PostgreSQL.  ``at_once_only``: ``None`` instead
        of the locked way when the save cannot be written in one statement against
        ``read`` (the caller reads the row and decides again).

        On PostgreSQL the save is written in one statement against the row as read
        (:meth:`_save_at_once`); a row changed meanwhile is merged again, or refused as
        before.  Otherwise (SQLite, a new key, a changed child's identity) the row is
        locked as it is read and written in one transaction (:meth:`_save_locked`).
        """
        case, document = self._checked(case)
        actor = actor or identity.current_user()
        if self.engine.dialect.name == "postgresql":
            saved = self._save_at_once(case, document, expected_version, actor, action,
                                       base, decided, check, read)
            if saved is not None:
                return saved
            self._written.pop(case.case_id, None)  # others save it too: read it next time
        if at_once_only:
            return None
        return self._save_locked(case, document, expected_version, actor, action, base,
                                 decided, check)

    def _resolved(self, case: Case, document: dict, stored: dict, current: int,
                  voided: bool, expected: int, base: dict | None, decided: list[str] | None,
                  check: Callable[[dict, dict, bool], object] | None,
                  conn: Connection | None = None) -> tuple[Case, dict, dict]:
        """What is written over the stored document ``stored`` (at version ``current``):
        the case as given, or merged with ``stored`` from ``base``, and the audit's
        merge note; :class:`Conflict`, :class:`MergeConflict` or what ``check`` raises
        when it cannot be written."""
        if check is not None:
            check(stored, document, voided)
        detail: dict = {}
        if base is not None and (current != expected or base != stored):
            case, document, detail = self._merged(conn, case.case_id, base, stored,
                                                  document, expected, current)
        elif current != expected:
            raise Conflict(case.case_id, expected, current)
        if decided:
            detail.setdefault("merge", {})["decided"] = sorted(decided)
        return case, document, detail

    def _save_at_once(self, case: Case, document: dict, expected: int, actor: str,
                      action: str, base: dict | None, decided: list[str] | None,
                      check: Callable[[dict, dict, bool], object] | None,
                      read: object | None) -> Record | None:
        """The save written by ``cpkit_save_case()`` (migration 0014) in one statement,
        in autocommit: the row's lock and the audit chain's are held inside the server
        only, never across a round trip to this process.  Worked out against the row as
        read (``read``, else read here); when the row changed in between the statement
        writes nothing and returns the row as it is now, and the save is worked out
        again against it (merged again, or refused).  ``None``: to be saved the locked
        way (the key not known yet or changed, the child's identity changed, the case
        gone, or a second change in between)."""
        fingerprint = self._sealing_key
        if fingerprint is None:
            return None
        try:
            key = crypto.key_for(fingerprint)
        except crypto.KeyMismatch:
            return None
        if read is None:
            with self.reader.connect() as conn:
                read = conn.execute(_SAVE_ROW, {"case_id": case.case_id}).first()
            if read is None:
                raise NotFound(f"{case.case_id}: no such case in the store")
        if read.version != expected:
            return None  # others are saving this case: wait for its row, merge once
        stored = codec.decode(read.document)
        voided = read.voided_at is not None
        mine, mine_document, detail = self._resolved(
            case, document, stored, read.version, voided, expected, base, decided, check)
        if _identity_of(stored) != _identity_of(mine_document):
            return None  # the child's index is rewritten in the locked transaction
        prepared = _Prepared.of(mine, mine_document, key)
        detail = {"fields": changed_paths(stored, prepared.document), **detail}
        found = self._write_at_once(prepared, read.version, voided, fingerprint, actor,
                                    action, detail)
        if found.status == "saved":
            keep_recent(self._written, prepared.case_id,
                        _Written(prepared.columns["document"], read.version + 1), WRITTEN_KEPT)
            return Record(mine, read.version + 1, merged=detail.get("merge"),
                          document=prepared.document)
        return None  # changed meanwhile (or the key, or gone): the locked way


    def written_row(self, case_id: str, version: int) -> _Written | None:
        """The row of ``version`` of the case as this store's last save of it wrote it
        in one statement (its sealed document, version, no void mark), else ``None``:
        what a save over that version may be worked out against without reading the
        row (``read`` of :meth:`save`; its statement writes nothing if the row has
        changed since).  A save that went the locked way (others saving the case) is
        not kept: the next one reads the row."""
        found = self._written.get(case_id)
        return found if found is not None and found.version == version else None

    def _write_at_once(self, prepared: _Prepared, version: int, voided: bool,
                       fingerprint: str, actor: str, action: str, detail: dict,
                       conn: Connection | None = None):
        """Call ``cpkit_save_case()``: its answer row (status, and the row as it is now
        when ``stale``).  On ``conn``, in its transaction; by default in autocommit,
        the statement its own transaction."""
        from pydantic_core import to_json  # loaded with the case's model: a write's

        row = chain.chained_rows(chain.GENESIS, [(prepared.case_id, version + 1, detail)],
                                 actor, action, _now(), identity.origin(), hashed=False)[0]
        columns = prepared.columns
        params = {name: columns[name] for name in _SAVE_COLUMNS}
        params.update(
            case_id=prepared.case_id, read_version=version, read_voided=voided,
            key=fingerprint, at=row["at"], actor=actor, action=action,
            origin=row["origin"], detail=json.dumps(detail), body=chain.chain_body(row),
            # Dates as ISO text, by pydantic-core's encoder (a tenth of json.dumps' time
            # with a conversion of each value in Python).
            deadlines=to_json([{k: v for k, v in d.items() if k != "case_id"}
                               for d in prepared.deadline_rows]).decode("utf-8"))
        if conn is not None:
            return conn.exec_driver_sql(_SAVE_CASE, params).one()
        with self.reader.connect() as own:  # autocommit: the statement is the transaction
            return own.exec_driver_sql(_SAVE_CASE, params).one()

    def _save_locked(self, case: Case, document: dict, expected_version: int, actor: str,
                     action: str, base: dict | None, decided: list[str] | None,
                     check: Callable[[dict, dict, bool], object] | None) -> Record:
        """The save in one transaction, the case's row locked as it is read."""
        with self.engine.begin() as conn:
            # The row locked as it is read (PostgreSQL; SQLite's write lock is already
            # held): a concurrent save waits, then merges with this one, never refused.
            # On PostgreSQL the store's key lock is taken with it, one round trip.
            old = None
            if conn.dialect.name == "postgresql":
                old = conn.execute(_SAVE_ROW_AND_KEY_LOCKED,
                                   {"case_id": case.case_id}).first()
            if old is not None:
                key = self._key_of(conn, old.fingerprint)
            else:
                key = self._write_key(conn)
                old = conn.execute(_SAVE_ROW_LOCKED, {"case_id": case.case_id}).first()
            if old is None:
                raise NotFound(f"{case.case_id}: no such case in the store")
            stored = codec.decode(old.document)
            case, document, detail = self._resolved(
                case, document, stored, old.version, old.voided_at is not None,
                expected_version, base, decided, check, conn)
            prepared = _Prepared.of(case, document, key)
            changed = changed_paths(stored, prepared.document)
            new_version = old.version + 1
            if _identity_of(stored) != _identity_of(prepared.document):
                from cpkit.store import known  # the model: only for writes and searches

                known.refresh(conn, [case])  # the child's index: only when it can change
            detail = {"fields": changed, **detail}
            if conn.dialect.name == "postgresql":  # the writes in one statement (0014)
                found = self._write_at_once(prepared, old.version, old.voided_at is not None,
                                            key.fingerprint, actor, action, detail, conn)
                if found.status != "saved":  # cannot be: the row and the key are locked
                    raise Conflict(case.case_id, expected_version, old.version + 1)
                return Record(case, new_version, merged=detail.get("merge"),
                              document=prepared.document)
            result = conn.execute(
                update(cases)
                .where(cases.c.case_id == case.case_id, cases.c.version == old.version)
                .values(version=new_version, updated_at=_now(), **prepared.columns)
            )
            if result.rowcount != 1:  # someone saved between our read and our write
                raise Conflict(case.case_id, expected_version, old.version + 1)
            self._replace_deadlines(conn, [prepared])
            self._keep_versions(conn, [(prepared, new_version)], actor)
            self._audit(conn, [(case.case_id, new_version, detail)], actor, action)
        return Record(case, new_version, merged=detail.get("merge"), document=prepared.document)

    def _merged(self, conn: Connection | None, case_id: str, base: dict, stored: dict,
                mine: dict, expected: int, current: int) -> tuple[Case, dict, dict]:
        """``mine`` merged into ``stored`` from ``base``; :class:`MergeConflict` when a
        field was changed on both sides."""
        result = merge(base, stored, mine)
        if not result.clean:
            by, at = (self._saved_by(conn, case_id, current) if conn is not None
                      else self.last_saved(case_id, current))
            raise MergeConflict(case_id, expected, current, result, stored, by, at)
        from cpkit.exchange import load_case

        merged_case = load_case(result.document, case_id)
        note = {"from_version": expected, "onto_version": current,
                "automatic": result.mine_applied, "kept": result.theirs_kept}
        return merged_case, result.document, {"merge": note} if expected != current else {}

    @staticmethod
    def _saved_by(conn: Connection, case_id: str, version: int) -> tuple[str | None, object]:
        """Who wrote ``version`` of the case, and when (the first audit row carrying it)."""
        row = conn.execute(select(audit.c.actor, audit.c.at)
                           .where(audit.c.case_id == case_id, audit.c.case_version == version)
                           .order_by(audit.c.id).limit(1)).first()
        return (row.actor, row.at) if row else (None, None)

    def last_saved(self, case_id: str, version: int) -> tuple[str | None, object]:
        """Who saved ``version`` of ``case_id`` and when (``(None, None)`` if unknown)."""
        with self.engine.connect() as conn:
            return self._saved_by(conn, case_id, version)

    def import_cases(self, cases_in: list[Case], actor: str | None = None, *,
                     replace: bool = False, action: str = "import",
                     progress: Callable[[int], object] | None = None) -> list[Record]:
        """Store several cases in one transaction: all of them, or none.

        A code that is already stored is refused unless ``replace`` is given, in which
        case the stored case gets a new version.  ``progress(n)`` is told as cases are
        prepared (a progress bar's ``update``).
        """
        actor = actor or identity.current_user()
        from cpkit.rules.codes import reserved_code_problems

        reserved = reserved_code_problems([c.case_id for c in cases_in], action)
        if reserved:
            raise InvalidCase(reserved)
        checked_docs = [self._checked(case) for case in cases_in]
        checked = [case for case, _ in checked_docs]
        try:
            return self._import(checked_docs, checked, actor, replace, action, progress)
        except IntegrityError:  # another process stored one of these codes meanwhile
            raise self.concurrent_error([c.case_id for c in checked if c.case_id]) from None

    @staticmethod
    def concurrent_error(codes: list[str]) -> InvalidCase:
        """The refusal of an import whose codes another process stored meanwhile."""
        return InvalidCase([FieldProblem(
            "case_id", "was stored by someone else at the same moment; nothing of this "
            "file was imported (import it again, with --replace to update)", code)
            for code in codes] or [FieldProblem("", "a concurrent write clashed; "
                                                "nothing imported, try again")])

    def _import(self, checked_docs: list[tuple[Case, dict]], checked: list[Case], actor: str,
                replace: bool, action: str,
                progress: Callable[[int], object] | None = None) -> list[Record]:
        def chunks(conn: Connection, key: crypto.Key, existing: dict[str, int],
                   clashes: list[str]) -> Iterator[tuple[list[_Prepared], list[dict]]]:
            if clashes and not replace:
                raise self.clash_error(clashes)
            fresh = [case.case_id is None for case in checked]
            for case in checked:
                if case.case_id is None:
                    case.case_id = self._next_code(conn, case)
            from cpkit.store import known  # the model: only for writes and searches

            for start in range(0, len(checked), IMPORT_CHUNK):
                prepared = []
                for (c, d), generated in zip(checked_docs[start:start + IMPORT_CHUNK],
                                             fresh[start:start + IMPORT_CHUNK], strict=True):
                    prepared.append(_Prepared.of(c, None if generated else d, key))
                    if progress is not None:
                        progress(1)
                # The child's index here too: the writes are the slower half.
                yield prepared, known.index_rows(checked[start:start + IMPORT_CHUNK], key)

        versions = self.write_import([c.case_id for c in checked if c.case_id], chunks,
                                     lambda: [c.case_id for c in checked], actor, action)
        return [Record(c, versions[c.case_id]) for c in checked]

    @staticmethod
    def clash_error(clashes: list[str]) -> InvalidCase:
        """The refusal of an import whose codes are stored already (without --replace)."""
        return InvalidCase([FieldProblem(
            "case_id", "is already in the store (import with --replace to update it)",
            code) for code in clashes])

    def write_import(self, codes: list[str], chunks: Callable, in_file_order: Callable,
                     actor: str, action: str, *, sealed_with: str | None = None
                     ) -> dict[str, int]:
        """The one transaction of an import: the prepared cases ``chunks(conn, key,
        existing, clashes)`` yields (lists of :class:`_Prepared` and their index rows,
        or the :class:`~cpkit.store.bulk.Packed` rows of new cases another process
        prepared, :meth:`pack_imported`), each written on the writes' thread while the
        next is prepared; then the audit
        rows, in the order ``in_file_order()`` gives (called once every chunk is in).
        ``codes``: the codes the file gives (a superset is harmless), whose stored
        versions (``existing``) and ``clashes`` are read first; ``chunks`` decides what
        a clash means (refused, or replaced).  ``sealed_with``: the fingerprint of the
        key the chunks were sealed with before the transaction began (another process's
        share), which must still be the store's.  The versions written, by code.

        Why one loop: a file prepared here alone and one prepared in two processes
        (:mod:`cpkit.access.import_fork`) are written the same way, in one transaction."""
        with self.engine.connect() as conn, receiving(conn), conn.begin():
            key = self._write_key(conn)
            if sealed_with is not None and key.fingerprint != sealed_with:
                raise CpkitError("the store's key changed while the file was prepared; "
                                 "nothing was imported, import it again")
            existing = self._existing_versions(conn, codes)
            clashes = [code for code in dict.fromkeys(codes) if code in existing]
            now = _now()
            versions: dict[str, int] = {}
            with _Overlapped() as writes:
                for chunk in chunks(conn, key, existing, clashes):
                    if isinstance(chunk, Packed):  # new cases: a stored code is a clash
                        versions.update((code, existing.get(code, 0) + 1)
                                        for code in chunk.codes)
                        writes.submit(copy_packed, conn, chunk.data, IMPORTED_TABLES,
                                      {"created_at": now, "updated_at": now, "saved_at": now})
                        continue
                    prepared, index = chunk
                    for p in prepared:
                        versions[p.case_id] = existing.get(p.case_id, 0) + 1
                    writes.submit(self._write_imported, conn, prepared, index, existing,
                                  versions, now, actor)
            self._audit(conn, [(code, versions[code], None) for code in in_file_order()],
                        actor, action)
        return versions

    def pack_imported(self, chunks: Iterable[tuple[list[_Prepared], list[dict]]],
                      actor: str) -> bytes:
        """The rows of the new cases in ``chunks`` (as :meth:`write_import` takes them),
        written as :meth:`_write_imported` writes them but into an in-memory database
        whose bytes are returned (:func:`cpkit.store.bulk.pack`): what a forked
        process preparing part of an import hands back, cheaply."""
        now = _now()

        def write(conn: Connection) -> None:
            for prepared, index in chunks:
                self._write_imported(conn, prepared, index, {},
                                     {p.case_id: 1 for p in prepared}, now, actor)

        return pack(IMPORTED_TABLES, write, [("before_cursor_execute", _refuse_nul)])

    def _write_imported(self, conn: Connection, prepared: list[_Prepared], index: list[dict],
                        existing: dict[str, int], versions: dict[str, int],
                        now: dt.datetime, actor: str) -> None:
        """The rows of some imported cases (``prepared``): the case rows (a stored code
        updated, its version checked in the update itself), their deadlines, the
        child's ``index`` rows and the kept versions."""
        insert_rows(conn, cases, [
            {"case_id": p.case_id, "version": 1, "created_at": now, "updated_at": now,
             **p.columns} for p in prepared if p.case_id not in existing])
        for p in prepared:
            if p.case_id in existing:
                done = conn.execute(update(cases).where(
                    cases.c.case_id == p.case_id,
                    cases.c.version == existing[p.case_id]).values(
                    version=existing[p.case_id] + 1, updated_at=now, **p.columns))
                if done.rowcount != 1:
                    raise Conflict(p.case_id, existing[p.case_id], existing[p.case_id] + 1)
        # A code not stored before has no rows to replace (they would need its case).
        stored = [p.case_id for p in prepared if p.case_id in existing]
        self._replace_deadlines(conn, prepared, stored)
        from cpkit.store import known

        known.write(conn, index, stored)
        self._keep_versions(conn, [(p, versions[p.case_id]) for p in prepared], actor)

    def find_child(self, probe: ChildTokens, *, municipality: str | None = None,
                   exclude: str | None = None) -> list[known.Candidate]:
        """Live cases that may hold the child of ``probe`` (blind index: no case opened)."""
        with self.engine.connect() as conn:
            from cpkit.store import known  # the model: only for writes and searches

            return known.search(conn, probe, municipality=municipality, exclude=exclude)

    def record_event(self, action: str, case_id: str | None = None,
                     detail: dict | None = None, actor: str | None = None, *,
                     version: int | None = None) -> None:
        """Append an audit row for something that is not a change (export, render).
        ``version``: the version of ``case_id`` the event concerns (a read gives the one
        it read); by default the stored one."""
        actor = actor or identity.current_user()
        if self.engine.dialect.name == "postgresql" and (version is not None or case_id is None):
            if self._event_at_once(action, case_id, detail, actor, version):
                return
        with self.engine.begin() as conn:
            self._lock(conn)
            if version is None and case_id is not None:
                version = conn.execute(
                    select(cases.c.version).where(cases.c.case_id == case_id)).scalar()
            self._audit(conn, [(case_id, version, detail)], actor, action)

    def _event_at_once(self, action: str, case_id: str | None, detail: dict | None,
                       actor: str, version: int | None) -> bool:
        """The audit row of an event (a read, an export) in one autocommit statement on
        PostgreSQL: the store's key lock taken shared as a write's is, then the chained
        append (``cpkit_audit_append``), committed by the server at once: the chain's
        lock is never held across a round trip to this process (a read's row took
        four: begin, key lock, append, commit).  ``False`` when nothing was written
        (no key row to lock: the transaction's way then)."""
        params = self._append_params([(case_id, version, detail)], actor, action)
        with self.reader.connect() as conn:  # autocommit: the statement is the transaction
            return conn.execute(_EVENT, params).scalar() is not None

    def version_document(self, case_id: str, version: int) -> dict | None:
        """The document of a kept version of ``case_id`` (``None`` when not kept): the
        base a change started from, for a three-way merge."""
        query = select(case_versions.c.document).where(case_versions.c.case_id == case_id,
                                                        case_versions.c.version == version)
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar_one_or_none()
        return None if found is None else codec.decode(found)

    def history(self, case_id: str) -> list[tuple[Record, dt.datetime, str]]:
        """Every kept version of a case, oldest first: the case, when and by whom saved."""
        query = (select(case_versions.c.version, case_versions.c.saved_at,
                        case_versions.c.actor, case_versions.c.document)
                 .where(case_versions.c.case_id == case_id).order_by(case_versions.c.version))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        from cpkit.model import Case

        return [(Record(Case.model_validate(codec.decode(r.document)), r.version), r.saved_at,
                 r.actor) for r in rows]

    def refresh_derived(self) -> int:
        """Recompute every case's list columns and deadline rows from its document (after
        an upgrade changed the rules); returns how many cases.  Versions stay as they are."""
        from cpkit.model import Case

        count = 0
        with self.engine.begin() as conn:
            key = self._write_key(conn)
            rows = conn.execute(select(cases.c.case_id, cases.c.document)).all()
            for start in range(0, len(rows), 500):
                prepared = []
                for row in rows[start:start + 500]:
                    document = codec.decode(row.document, key)
                    prepared.append(_Prepared.of(Case.model_validate(document), document, key))
                for p in prepared:
                    columns = {k: v for k, v in p.columns.items() if k != "document"}
                    conn.execute(update(cases).where(cases.c.case_id == p.case_id)
                                 .values(**columns))
                self._replace_deadlines(conn, prepared)
                count += len(prepared)
        return count

    def audit_rows(self, case_id: str | None = None, actor: str | None = None) -> list[dict]:
        """The audit trail, oldest first, for one case and/or one user."""
        query = select(audit).order_by(audit.c.id)
        if case_id:
            query = query.where(audit.c.case_id == case_id)
        if actor:
            query = query.where(audit.c.actor == actor)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    # -- helpers -------------------------------------------------------------------

    @staticmethod
    def _checked(case: Case) -> tuple[Case, dict]:
        """Re-validate through the exchange format, so every write meets the rules."""
        from cpkit.exchange import load_case
        from cpkit.model import Case

        if not isinstance(case, Case):
            raise BadInput("only cases can be stored")
        document = case.to_document()  # once, whether it was validated or not
        if case.validated_document(document) is not None:
            return case, document
        return load_case(document, case.case_id or ""), document

    @staticmethod
    def _replace_deadlines(conn: Connection, saved: list[_Prepared],
                           stored: list[str] | None = None) -> None:
        """The deadline rows of ``saved``, replacing those of the ``stored`` codes
        (default: every one of ``saved``)."""
        codes = [p.case_id for p in saved] if stored is None else stored
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            conn.execute(deadlines.delete().where(deadlines.c.case_id.in_(chunk)))
        insert_rows(conn, deadlines, [row for p in saved for row in p.deadline_rows])

    @staticmethod
    def _keep_versions(conn: Connection, saved: list[tuple[_Prepared, int]], actor: str) -> None:
        """Keep each saved version (the sealed text, as in ``cases``)."""
        at = _now()
        insert_rows(conn, case_versions, [
            {"case_id": p.case_id, "version": version, "saved_at": at, "actor": actor,
             "document": p.columns["document"]} for p, version in saved])

    @staticmethod
    def _existing_versions(conn: Connection, codes: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(codes), 500):
            rows = conn.execute(select(cases.c.case_id, cases.c.version)
                                .where(cases.c.case_id.in_(codes[start:start + 500])))
            found.update({r.case_id: r.version for r in rows})
        return found

    @staticmethod
    def _next_code(conn: Connection, case: Case) -> str:
        """Take the next free code for the case's municipality and referral year.

        One statement takes the number (``UPDATE ... SET last = last + 1 RETURNING``):
        two processes can never get the same one."""
        from cpkit.rules.codes import case_code, prefix

        key = {"prefix": prefix(case.municipality), "year": case.referral.date.year}
        dialect = conn.dialect.name
        if dialect in ("sqlite", "postgresql"):
            module = __import__(f"sqlalchemy.dialects.{dialect}", fromlist=["insert"])
            conn.execute(module.insert(code_sequences).values(**key, last=0)
                         .on_conflict_do_nothing())
        while True:
            sequence = conn.execute(update(code_sequences).filter_by(**key)
                                    .values(last=code_sequences.c.last + 1)
                                    .returning(code_sequences.c.last)).scalar_one()
            code = case_code(case.municipality, key["year"], sequence)
            if conn.execute(select(func.count()).where(cases.c.case_id == code)).scalar() == 0:
                return code

    @staticmethod
    def _audit(conn: Connection, entries: list[tuple], actor: str, action: str) -> None:
        """Append audit rows, each chained to the one before (:mod:`cpkit.store.chain`).

        Appends are serialised (the SQLite write lock; an advisory lock on PostgreSQL)
        so that two writers never chain to the same row.  On PostgreSQL the rows' bodies
        are worked out here and the database takes the lock, reads the head, hashes and
        inserts in one statement (migration 0012): the lock, held until commit, covers
        that statement and the commit only.  Called last in a write for that reason."""
        if not entries:
            return
        if conn.dialect.name == "postgresql":
            conn.execute(_APPEND, Store._append_params(entries, actor, action))
            return
        rows = chain.chained_rows(chain.GENESIS, entries, actor, action, _now(),
                                  identity.origin(), hashed=False)
        conn.execute(update(store_meta).where(store_meta.c.name == "key")
                     .values(value=store_meta.c.value))
        chain.rehash(chain.last_hash(conn), rows)
        insert_rows(conn, audit, rows)

    @staticmethod
    def _append_params(entries: list[tuple], actor: str, action: str) -> dict:
        """The parameters of ``cpkit_audit_append()`` for ``entries``, now
        (:func:`cpkit.store.chain.append_params`)."""
        return chain.append_params(entries, actor, action, _now(), identity.origin())

    def verify_audit(self) -> chain.ChainReport:
        """Check the audit trail's hash chain (``cpkit check`` calls this)."""
        with self.engine.connect() as conn:
            return chain.verify_chain(conn)


def _identity_of(document: dict) -> object:
    """What the identity index of a case is made of (its child), to skip re-indexing a
    save that leaves the child as it was: most saves, which cost two statements and a
    keyed hash of every name part otherwise."""
    return document.get("child")


def _check_sqlite_file(file: Path) -> None:
    """Refuse an existing file that is not an SQLite database (an empty one included:
    SQLite would silently make it a new, empty store).

    The file is read through SQLite itself, never opened and closed by hand: closing
    any descriptor of a database file drops every POSIX lock this process holds on it,
    so a store already open here would meet "disk I/O error" on its next statement.
    """
    import sqlite3
    import time

    for _attempt in range(20):  # a store another process is creating this very moment
        size = file.stat().st_size
        if size or time.time() - file.stat().st_mtime > 5:
            break
        time.sleep(0.1)
    if size == 0:
        raise NotAStore(str(file), "the file is empty")
    try:
        probe = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as err:
        if "not a database" in str(err) or "malformed" in str(err):
            raise NotAStore(str(file), "it is not an SQLite database") from None
        failure = file_write_failure(str(err), str(file))  # a full disk, a read-only file
        if failure is not None:
            raise failure from None
        raise


def dumps(document: dict) -> str:
    """JSON as cpkit writes it: UTF-8 text kept as entered, keys in order."""
    return json.dumps(document, ensure_ascii=False, indent=2)
