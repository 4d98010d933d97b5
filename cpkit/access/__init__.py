"""Who may see and do what: users and roles, the need-to-know policy, the guarded store.

For the other areas (forms, reports, dashboard, CLI): never open
:class:`cpkit.store.Store` for case data; call

- ``guard = open_guarded_store()`` (or ``Guard.for_user(store)`` if you already hold
  a store): raises :class:`PermissionDenied` (exit 1) for a user the store does not
  know once users exist.  It has the Store's methods: ``get(case_id, purpose=...)``,
  ``records(...)``, ``summaries(...)``, ``deadline_rows(...)``, ``save(...)``,
  ``create(...)``, ``import_cases(...)``, ``record_event(...)``, ``audit_rows(...)``.
- ``guard.get(case_id, purpose="edit")`` in a form that edits, ``purpose="show"`` to
  display, ``purpose="render"`` in the report pipeline (it records the ``render``
  audit row itself: do not record another), ``purpose="export"`` for exports.  Pass
  ``redact=True`` for documents that leave the Task Force.  ``record.redacted`` says
  whether the child's identity was removed (then show the case code only).
- ``guard.summaries(...)`` / ``guard.deadline_rows(...)`` for lists and dashboards
  (no identity in them, no audit rows).
- ``guard.authorise(op, case_id)`` before an action that is not a read or save
  (``"sign_off"``, ``"render"``, ``"close"``); ``guard.allowed(op, case_id)`` to hide
  a button.  Operations: list, show, export, render, edit, close, sign_off, audit,
  create.
- ``single_user_notice(guard)`` gives the sentence to show in a form's header when
  the kit runs in single-user mode (``None`` otherwise).

The matrix of roles is in :mod:`cpkit.access.policy`; what a redacted copy keeps is
in :mod:`cpkit.access.redact`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from cpkit.access.policy import (
    CASE_OPERATIONS,
    ROLES,
    CaseFacts,
    Decision,
    PermissionDenied,
    Principal,
    decide,
)
from cpkit.i18n import N_, _

SINGLE_USER_NOTICE = N_("single-user mode: no users configured; anyone using this account "
                        "sees every case")

if TYPE_CHECKING:
    from cpkit.access.guard import Guard, GuardedRecord, is_redacted

__all__ = ["CASE_OPERATIONS", "ROLES", "CaseFacts", "Decision", "Guard", "GuardedRecord",
           "PermissionDenied", "Principal", "decide", "is_redacted", "open_guarded_store",
           "single_user_notice"]


def open_guarded_store(url: str | None = None, user: str | None = None, *,
                       announce: bool = True, migrate: bool = True) -> Guard:
    """The case store as the current user (or ``user``) may use it.

    In single-user mode this says so on stderr when ``announce`` (the CLI does).
    ``migrate=False`` for a worker of a process that has already migrated the store.
    """
    from cpkit.access.guard import Guard
    from cpkit.store import Store

    store = Store(url, migrate=migrate)
    try:
        guard = Guard.for_user(store, user)
    except PermissionDenied:
        store.close()
        raise
    if announce and guard.single_user:
        print(_(SINGLE_USER_NOTICE), file=sys.stderr)
    return guard


def single_user_notice(guard: Guard) -> str | None:
    """The plain warning to show while the kit runs without configured users."""
    return _(SINGLE_USER_NOTICE) if guard.single_user else None


def __getattr__(name: str) -> object:
    """The guard's names, imported on first use: ``cpkit.access.policy`` (the roles a
    command offers) must not cost the store's import (SQLAlchemy)."""
    if name in ("Guard", "GuardedRecord", "is_redacted"):
        from cpkit.access import guard

        return getattr(guard, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
