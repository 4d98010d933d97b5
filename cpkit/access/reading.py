"""What a read of one case gives and leaves, for :class:`cpkit.access.guard.Guard` and the
lean road (:mod:`cpkit.access.lean_read`) alike: the case as the user may see it
(:func:`view_of`) and the audit row the read leaves (:func:`read_event`).  Without
SQLAlchemy, so that the lean road can use them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cpkit.access.policy import Principal

if TYPE_CHECKING:
    from cpkit.model import Case

# What a read is for: the operation it needs and the audit action it leaves
# (None: ``read_identity``, or ``read_redacted`` when the view is redacted).
PURPOSES = {"show": ("show", None), "edit": ("edit", None), "export": ("export", "export"),
            "render": ("render", None), "sign_off": ("sign_off", None)}


def view_of(case: Case, who: Principal, hidden: bool, as_of: dt.date | None = None,
            lang: str | None = None) -> Case:
    """``case`` as ``who`` may see it: an agency member's copy without what is withheld
    from their agency, and without the child's identity when ``hidden``."""
    if who.has("agency_member") and not who.single_user:
        from cpkit.access.redact import without_withheld

        case = without_withheld(case, who.agency)
    if hidden:
        from cpkit.access.redact import redact_identity

        case = redact_identity(case, as_of, lang)
    return case


def read_event(purpose: str, redacted: bool, detail: dict | None) -> tuple[str, dict]:
    """The audit action and detail of one case read for ``purpose``."""
    action = PURPOSES[purpose][1] or ("read_redacted" if redacted else "read_identity")
    return action, {"purpose": purpose, "redacted": redacted, **(detail or {})}
