"""The demo's report awaiting sign-off: after ``cpkit demo`` the dashboard has one
rendered report for a supervisor to approve or return."""

from __future__ import annotations

import datetime as dt

from cpkit.errors import CpkitError


def render_demo_report(store, codes: list[str], today: dt.date | None = None) -> int | None:
    """Render the minutes of the latest CMR of the first live demo case that has one (open
    cases first);
    the new report's id (``None`` when no case has a meeting, or when one of that case
    is already awaiting sign-off at its current version).

    ``store`` is the plain :class:`cpkit.store.Store` that the report pipeline takes.
    """
    from cpkit.dashboard.signoff import report_statuses

    try:
        from cpkit.reports.render import render_report
    except ImportError:  # the report pipeline is not installed: nothing to sign off
        return None
    today = today or dt.date.today()
    records = sorted(store.records(codes, training=False),
                     key=lambda r: r.case.closure is not None)  # open cases first
    for record in records:
        case = record.case
        if not case.meetings:
            continue
        waiting = [s for s in report_statuses(store, [case.case_id])
                   if s.awaiting and s.report["case_version"] == record.version
                   and s.report["kind"] == "minutes"]
        if waiting:
            return None
        try:
            return render_report(store, case.case_id, "minutes", as_of=today,
                                 actor="demo").report_id
        except CpkitError:
            continue
    return None
