"""The caseload lists' queries, one text for every road that reads them.

:meth:`cpkit.store.Store.summaries` and :meth:`~cpkit.store.Store.deadline_rows`
(through SQLAlchemy's ``text``) and the lean readers of :mod:`cpkit.store.lean`
(``sqlite3``, ``psycopg``, without SQLAlchemy) all run these statements, so a list
filter (training, void, risk, manager, overdue) is written once: a void case left out
on one road and shown on the other came from two copies of these conditions.

Parameters are named (``:name``); :func:`pyformat` gives the ``%(name)s`` form for
psycopg.  Dates are bound as :class:`datetime.date` by the Store (SQLAlchemy types
them) and as ISO text by the lean readers (SQLite keeps dates as ISO text, PostgreSQL
casts the text to a date).  No SQLAlchemy here: the lean road must not import it.
"""

from __future__ import annotations

import datetime as dt
import re

SUMMARY_COLUMNS = ("case_id", "overall_risk", "current_risk", "stage", "case_manager",
                   "next_due", "next_kind", "version", "municipality")
DEADLINE_COLUMNS = ("case_id", "name", "kind", "due", "done_on", "meeting", "agency",
                    "case_manager", "current_risk")
DATE_COLUMNS = frozenset({"next_due", "due", "done_on", "meeting"})

LIVE = "voided_at IS NULL"  # a voided case is out of every list (cpkit.store.voids)
OPEN = "done_on IS NULL"
# A case open now (not closed).  Written out, not bound: the partial indexes on risk and
# case manager (migration 0013) carry this very condition, and a database uses a partial
# index only for a statement whose condition it can see implies the index's.
CASE_OPEN = "stage <> 'closed'"


def summaries(*, training: bool = False, risk: str | None = None,
              manager: str | None = None, overdue_on: dt.date | None = None,
              open_only: bool = False) -> tuple[str, dict]:
    """The caseload table's statement and parameters: one row per case, code order
    (``open_only``: the cases open now, not the closed ones)."""
    where = ["training = :training", LIVE]
    params: dict = {"training": bool(training)}
    if open_only:
        where.append(CASE_OPEN)
    if risk:
        where.append("overall_risk = :risk")
        params["risk"] = risk
    if manager:
        where.append("case_manager = :manager")
        params["manager"] = manager
    if overdue_on:
        where.append(f"case_id IN (SELECT case_id FROM deadlines WHERE {OPEN} AND due < :day)")
        params["day"] = overdue_on
    return (f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cases WHERE {' AND '.join(where)}"
            " ORDER BY case_id", params)


def deadline_rows(as_of: dt.date, *, overdue_only: bool = False, training: bool = False
                  ) -> tuple[str, dict]:
    """Open deadlines (or only the overdue ones) across the caseload, soonest first."""
    where = [f"d.{OPEN}", "c.training = :training", f"c.{LIVE}"]
    params: dict = {"training": bool(training)}
    if overdue_only:
        where.append("d.due < :day")
        params["day"] = as_of
    columns = ", ".join(f"c.{n}" if n in ("case_manager", "current_risk") else f"d.{n}"
                        for n in DEADLINE_COLUMNS)
    return (f"SELECT {columns} FROM deadlines d JOIN cases c ON c.case_id = d.case_id"
            f" WHERE {' AND '.join(where)} ORDER BY d.due, d.case_id", params)


_NAMED = re.compile(r":(\w+)")


def pyformat(sql: str) -> str:
    """``sql`` with ``:name`` parameters as ``%(name)s`` (psycopg's style)."""
    return _NAMED.sub(r"%(\1)s", sql)


def iso_dates(params: dict) -> dict:
    """``params`` with dates as ISO text, for a driver that is given no types."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}


def for_driver(sql: str, params: dict, *, postgres: bool) -> tuple[str, dict]:
    """``sql`` and ``params`` as the database's own driver takes them: ``%(name)s`` for
    psycopg (which types dates and booleans itself), dates as ISO text for ``sqlite3``."""
    if postgres:
        return pyformat(sql), params
    return sql, iso_dates(params)


def as_dicts(columns: tuple[str, ...], rows: list[tuple]) -> list[dict]:
    """Driver rows as dicts, the date columns as dates (SQLite keeps them as ISO text;
    psycopg gives dates already): the lists' rows as every road gives them."""
    found = [dict(zip(columns, row, strict=True)) for row in rows]
    dates = [name for name in columns if name in DATE_COLUMNS]
    if dates:
        iso = dt.date.fromisoformat
        for row in found:
            for name in dates:
                value = row[name]
                if value.__class__ is str:
                    row[name] = iso(value)
    return found
