"""Voiding a case created by mistake (an empty referral, a case entered twice).

A void keeps everything (the case, its versions, reports and audit) and takes the case
out of every list (:mod:`cpkit.store.voids`).  Who may void: a supervisor, or the person
who created the case on the day they created it (a mistake noticed at once); a reason is
required.  The CLI (``cpkit void``) and the referral form's "Void this case" both come
here.  The reason is shown to those who may see the case (sealed at rest); the audit
row says who voided and on what ground, not the reason's text.
"""

from __future__ import annotations

import datetime as dt

from cpkit.access.policy import PermissionDenied
from cpkit.access.served import served
from cpkit.errors import NotFound
from cpkit.store import voids  # no SQLAlchemy until a query is made (cpkit show's lean road)
from cpkit.store.voids import Void


@served
def void_ground(guard, case_id: str, today: dt.date | None = None) -> str | None:
    """Why this user may void ``case_id`` ("supervisor", "creator"), else ``None``."""
    guard.authorise("show", case_id)
    if guard.single_user or guard.principal.has("supervisor"):
        return "supervisor"
    by, at = voids.created_by(guard.store, case_id)
    today = today or dt.date.today()
    if by == guard.user and at is not None and at.astimezone().date() == today:
        return "creator"
    return None


@served
def void_case(guard, case_id: str, reason: str, today: dt.date | None = None) -> Void:
    """Void ``case_id`` as this user, with ``reason``; refused (nothing written) when the
    user is neither a supervisor nor its creator on the day of creation."""
    if not guard.exists(case_id):
        raise NotFound(f"{case_id:.60}: no such case in the store")
    voids.checked_reason(reason)  # a missing reason is bad input before anything else
    ground = void_ground(guard, case_id, today)
    if ground is None:
        raise PermissionDenied(guard.user, "void", case_id,
                               "only its creator on the day it was created, or a supervisor")
    return voids.mark_void(guard.store, case_id, reason, guard.user, {"ground": ground})


@served
def void_of(guard, case_id: str) -> Void | None:
    """The void of a case this user may see (``None``: not void)."""
    guard.authorise("show", case_id)
    return voids.void_of(guard.store, case_id)


def void_text(guard, void: Void) -> str:
    """The void in words, for people: when, by whom (display name) and why."""
    from cpkit.i18n import _
    from cpkit.i18n.formatting import format_date

    return _("Void since {date}, voided by {who}: {reason}").format(
        date=format_date(void.at.astimezone().date(), format="medium"),
        who=guard.display_name(void.by), reason=void.reason)
