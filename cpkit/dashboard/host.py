"""What the supervisor dashboard's kernel asks its host to do (:mod:`cpkit.access.served`).

The dashboard's widgets run in a kernel that holds neither the store nor the key: the
host (the server that started the kernel) reads the reports' statuses, records a
sign-off and renders a report, each through the dashboard user's guard; the kernel
shows what comes back.
"""

from __future__ import annotations

import datetime as dt
import threading

from cpkit.access.served import served

# Held by the warm-up's imports and by a render: two threads importing papermill at once
# can break its import cycle (with cpkit's engine, found through its entry points) and
# leave one of them a half-initialised module.
_rendering = threading.Lock()


@served
def statuses(guard, case_ids: list[str]) -> list:
    """:func:`cpkit.dashboard.signoff.report_statuses` of the cases the user sees."""
    from cpkit.dashboard.signoff import report_statuses

    return report_statuses(guard.store, case_ids) if case_ids else []


@served
def decide(guard, report_id: int, decision: str, comment: str | None = None):
    """:func:`cpkit.dashboard.signoff.sign_off` by the guard's user."""
    from cpkit.dashboard.signoff import sign_off

    return sign_off(guard.store, report_id, decision, comment, guard=guard)


@served
def warm(guard, kind: str) -> None:
    """Start the host's warm report kernel and make the render pipeline ready, in the
    background: "Render latest" then finds them (a failure is said on the click)."""
    from cpkit.reports.pool import default_pool, kernel_env
    from cpkit.reports.render import KERNEL

    default_pool().prestart(KERNEL, kernel_env())
    threading.Thread(target=_warm_pipeline, args=(kind,), daemon=True,
                     name="cpkit-warm-render").start()


def _warm_pipeline(kind: str) -> None:
    import contextlib

    with _rendering, contextlib.suppress(Exception):
        from cpkit.reports.render import warm_up

        warm_up((kind,), pdf=True)


@served
def render_latest(guard, code: str, kind: str, fmt: str, as_of: dt.date) -> None:
    """Render ``kind`` of ``code`` from its current version in the warm report kernel."""
    from cpkit.reports.pool import default_pool
    from cpkit.reports.render import render_report

    with _rendering:
        render_report(guard, code, kind, fmt=fmt, as_of=as_of, engine="cpkit-warm",
                      engine_kwargs={"pool": default_pool()})
