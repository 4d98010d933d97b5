"""Test a pooled PostgreSQL connection before use only when it has lain idle a while.

Why: a database server restarted under a running kit leaves the pool's connections
dead; the first statement on one fails.  SQLAlchemy's ``pool_pre_ping`` tests every
connection at every check-out, a round trip before each read and each save: under
twenty writers on two cores that round trip (and the wait for the process to be
scheduled again) was a quarter of a writer's time.  A connection used less than
:data:`IDLE_BEFORE_PING` seconds ago is handed out as it is: a server cannot be
stopped and started again in that time (``pg_ctl`` alone takes longer), and a failure
on a connection is still said in words (:class:`cpkit.errors.StoreUnavailable`), the
whole pool being replaced then (SQLAlchemy invalidates it on a disconnect).
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, event, exc

IDLE_BEFORE_PING = 1.0  # seconds
_SINCE = "cpkit_idle_since"


def ping_when_idle(engine: Engine) -> None:
    """Test ``engine``'s connections at check-out when idle for long enough."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record) -> None:
        record.info[_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _back(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _out(dbapi_connection, record, _proxy) -> None:
        since = record.info.get(_SINCE)
        if since is not None and time.monotonic() - since < IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as err:
            if not dialect.is_disconnect(err, dbapi_connection, None):
                raise
            # The pool drops this connection and checks out another (a new one).
            raise exc.DisconnectionError("the database connection was closed") from err
