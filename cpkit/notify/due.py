"""Deadline notices: two working days ahead to whoever owes it and the case manager;
missed, to them and the supervisors.

Read from the store's deadline table (no case is opened).  A deadline that belongs to an
agency (a progress report, an answer to an invitation: its row names the agency) is owed
by that agency's members; the others by the case manager.  Each notice is written once (dedupe by
deadline, due date and recipient), so running this every hour is harmless.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cpkit.notify.inbox import notify
from cpkit.notify.recipients import Directory
from cpkit.rules.calendar import calendar
from cpkit.store import Store
from cpkit.store.schema import cases, deadlines

AHEAD_WORKING_DAYS = 2


def raise_deadline_notices(store: Store, as_of: dt.date) -> int:
    """Write the due and missed deadline notices as of ``as_of``; how many are new."""
    horizon = calendar().add_working_days(as_of, AHEAD_WORKING_DAYS)
    people = Directory.load(store)
    if not people.users:
        return 0
    d = deadlines.c
    query = (select(d.case_id, d.name, d.kind, d.due, d.agency, cases.c.case_manager)
             .join(cases, cases.c.case_id == d.case_id)
             .where(d.done_on.is_(None), cases.c.training.is_(False), d.due <= horizon,
                    cases.c.voided_at.is_(None)))  # a voided case owes nothing
    new = 0
    with store.engine.begin() as conn:
        for row in conn.execute(query).all():
            missed = row.due < as_of
            owners = (people.agency_members(row.agency)
                      or people.case_managers(row.case_manager))
            told = owners + people.case_managers(row.case_manager)
            if missed:
                told += people.supervisors()
            detail = {"code": row.case_id, "deadline": row.kind, "due": row.due.isoformat()}
            if missed:
                detail["days"] = (as_of - row.due).days
            kind = "deadline_missed" if missed else "deadline_due"
            new += notify(conn, kind, row.case_id, told, detail,
                          f"{kind}|{row.case_id}|{row.name}|{row.due}")
    return new
