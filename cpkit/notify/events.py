"""Notices raised by what people do (the deadline ones are in :mod:`.due`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cpkit.notify.inbox import notify
from cpkit.notify.recipients import Directory
from cpkit.store import Store
from cpkit.store.schema import cases


def report_returned(store: Store, report: dict, by: str) -> int:
    """A supervisor returned ``report`` at sign-off: tell who rendered it and the case
    manager (the comment stays in cpkit: it is free text)."""
    people = Directory.load(store)
    with store.engine.begin() as conn:
        manager = conn.execute(select(cases.c.case_manager)
                               .where(cases.c.case_id == report["case_id"])).scalar()
        told = [report["actor"], *people.case_managers(manager)]
        return notify(conn, "report_returned", report["case_id"], told,
                      {"code": report["case_id"], "by": people.display_name(by)},
                      f"report_returned|{report['id']}|{dt.datetime.now(dt.UTC).isoformat()}")
