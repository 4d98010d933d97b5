"""Many rows into one table in one statement, without SQLAlchemy's work per row; and
rows another process prepared, handed over packed (:func:`pack`, :func:`copy_packed`).

Why: an import of 10,000 cases writes about 150,000 rows (cases, versions, deadlines,
the blind index, the audit).  Through ``conn.execute(insert(table), rows)`` SQLAlchemy
builds and converts the parameters of every row in Python, which took a third of the
store's share of an import.  Here the statement is written once and each value goes
through its column type's own conversion for this database (the very function
SQLAlchemy would call), so what is stored is the same, byte for byte (the audit
chain's hashes depend on it); the driver's ``executemany`` does the rest.  The
statement still passes the engine's ``before_cursor_execute`` listeners (the NUL
refusal names the column: the parameters are named).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Column, Integer, MetaData, Table, create_engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool

# How a named parameter is written for each DB-API paramstyle in use.
_MARKS = {"named": ":{}", "qmark": ":{}", "pyformat": "%({})s", "format": "%({})s"}


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys, column names of ``table``)."""
    if not rows:
        return
    dialect = conn.dialect
    names = list(rows[0])
    converters = [(name, convert) for name in names
                  if (convert := _converter(table, name, dialect)) is not None]
    quote = dialect.identifier_preparer.quote
    mark = _MARKS[dialect.paramstyle]
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                 f"VALUES ({', '.join(mark.format(n) for n in names)})")
    if converters:
        params = []
        for row in rows:
            row = dict(row)
            for name, convert in converters:
                row[name] = convert(row[name])
            params.append(row)
    else:
        params = rows
    conn.exec_driver_sql(statement, params)


def _converter(table: Table, name: str, dialect) -> Callable | None:
    """How column ``name``'s type converts a value for this database (SQLAlchemy's
    own function), or ``None`` when it stores the value as it is."""
    return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)


@dataclass(frozen=True)
class Packed:
    """Rows of some tables, written by another process into an in-memory SQLite
    database and handed over as that database's bytes (:func:`pack`), with the codes
    of the cases they belong to."""

    data: bytes
    codes: list[str]


def pack(tables: Sequence[Table], write: Callable[[Connection], None],
         listeners: Sequence[tuple[str, Callable]] = ()) -> bytes:
    """The rows ``write(conn)`` inserts into ``tables``, as the bytes of an in-memory
    SQLite database (tables without their indexes: nothing searches them).

    Why: a forked process (an import's second half, :mod:`cpkit.access.import_fork`)
    sends back tens of thousands of rows; pickled, they cost the receiving process a
    quarter of a second to rebuild and half a second more to write, on the import's
    critical path.  Written here by the same functions and column types as in the
    store, they are one bytes object, and :func:`copy_packed` inserts them into an
    SQLite store without a Python object per row.  ``listeners``: the store engine's
    ``(event, function)`` pairs that must see these statements too (the NUL refusal)."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    for name, function in listeners:
        event.listen(engine, name, function)
    bare = MetaData()
    for table in tables:  # the columns and types only: no index, no foreign key
        Table(table.name, bare, *(Column(c.name, c.type, primary_key=c.primary_key)
                                  for c in table.columns))
    with engine.connect() as conn:
        bare.create_all(conn)
        conn.commit()
        write(conn)
        conn.commit()
        data = conn.connection.driver_connection.serialize()
    engine.dispose()
    return data


PACKED = "cpkit_packed"  # the schema name packed rows are received under, on SQLite


@contextmanager
def receiving(conn: Connection) -> Iterator[None]:
    """A connection ready for :func:`copy_packed` until the block ends: on SQLite an
    empty in-memory database attached as :data:`PACKED` (SQLite refuses ``ATTACH``
    inside a transaction, so begin the transaction inside the block), detached after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"ATTACH DATABASE ':memory:' AS {PACKED}")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql(f"DETACH DATABASE {PACKED}")
        conn.commit()


def copy_packed(conn: Connection, data: bytes, tables: Sequence[Table],
                fixed: dict[str, object]) -> None:
    """Insert every row :func:`pack` packed in ``data`` into ``tables`` on ``conn``
    (its transaction, begun inside :func:`receiving`); ``fixed``: the value of these
    columns in every row, instead of the packed one (the receiving transaction's time).
    A generated key (an integer ``id``) is the receiving table's to give.

    On SQLite the packed values are already what this store keeps (same types, same
    conversions): the packed database is loaded into the attached one and each table
    copied by one ``INSERT ... SELECT``, which SQLite runs in C without Python's lock,
    so the caller's thread goes on meanwhile.  On another database each row is read
    back into Python values and converted as :func:`insert_rows` converts."""
    if conn.dialect.name == "sqlite":
        conn.connection.driver_connection.deserialize(data, name=PACKED)
        for table in tables:
            _copy_raw(conn, table, fixed)
        return
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(data)
        for table in tables:
            _copy_typed(conn, source, table, fixed)
    finally:
        source.close()


def _received(table: Table) -> list[str]:
    """The columns of ``table`` a copy carries: all but a generated integer key."""
    return [c.name for c in table.columns
            if not (c.primary_key and len(table.primary_key.columns) == 1
                    and c.autoincrement in (True, "auto")
                    and c.type._type_affinity is Integer)]


def _copy_raw(conn: Connection, table: Table, fixed: dict[str, object]) -> None:
    """SQLite to SQLite, one statement: the stored values as they are, ``fixed`` ones
    converted once."""
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    names = _received(table)
    values = {}
    for name in names:
        if name in fixed:
            convert = _converter(table, name, dialect)
            values[name] = convert(fixed[name]) if convert else fixed[name]
    picked = ", ".join(f":{n}" if n in fixed else quote(n) for n in names)
    conn.exec_driver_sql(
        f"INSERT INTO main.{quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"SELECT {picked} FROM {PACKED}.{quote(table.name)}", values)


def _copy_typed(conn: Connection, source: sqlite3.Connection, table: Table,
                fixed: dict[str, object]) -> None:
    """To another database: each packed row read back through the column types."""
    names = _received(table)
    engine = create_engine("sqlite://", creator=lambda: source, poolclass=StaticPool)
    with engine.connect() as packed:
        rows = [{**row._asdict(), **{n: v for n, v in fixed.items() if n in row._fields}}
                for row in packed.execute(select(*(table.c[n] for n in names)))]
    insert_rows(conn, table, rows)
