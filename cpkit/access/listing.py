"""The caseload lists (``cpkit list``, ``cpkit deadlines``) as the user may see them,
read without SQLAlchemy where the store allows it (:mod:`cpkit.store.lean`).

The lists hold no identity and leave no audit row; what the user may list is decided
by the same policy and the same helpers as :class:`cpkit.access.guard.Guard`
(:func:`unknown_user`, :func:`facts_of`, :func:`only_listed`), so both roads give the
same rows.  Everything else (a case opened, a write) goes through the Guard.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cpkit.access.policy import (
    CaseFacts,
    PermissionDenied,
    Principal,
    decide,
    decode_roles,
    lists_every_case,
)

if TYPE_CHECKING:
    from cpkit.access.guard import Guard
    from cpkit.store.lean import Reader


def unknown_user(name: str) -> PermissionDenied:
    """The refusal for someone who is not a configured user."""
    return PermissionDenied(name, "use", reason="not a configured user (an admin can "
                            "add them with `cpkit user add`)")


def facts_of(rows: Iterable[tuple], agencies: bool) -> list[CaseFacts]:
    """Facts from (code, training, case manager[, sealed document]) rows."""
    if not agencies:
        return [CaseFacts(r[0], bool(r[1]), r[2], ()) for r in rows]
    from cpkit.store.codec import clear_part

    return [CaseFacts(r[0], bool(r[1]), r[2],
                      tuple(clear_part(r[3]).get("agencies_involved") or ())) for r in rows]


def case_facts(reader: Reader, case_id: str) -> CaseFacts:
    """The facts of one case read the lean way, as :meth:`Guard._facts_one` finds them
    (:class:`~cpkit.errors.NotFound` when there is no such case)."""
    row = reader.case_facts_row(case_id)
    if row is None:
        raise no_such_case(case_id)
    return facts_of([row], True)[0]


def no_such_case(case_id: str) -> Exception:
    """The refusal of a case code not in the store, in the Guard's words."""
    from cpkit.errors import NotFound

    return NotFound(f"{case_id:.60}: no such case in the store")


def only_listed(rows: list[dict], who: Principal, facts: list[CaseFacts]) -> list[dict]:
    """The ``rows`` (each with a ``case_id``) of the cases ``who`` may list."""
    if who.single_user:
        return rows
    visible = {f.case_id for f in facts if decide(who, "list", f).allowed}
    return [r for r in rows if r["case_id"] in visible]


class Lists:
    """The list queries of a lean reader, filtered as the Guard filters them."""

    def __init__(self, reader: Reader, who: Principal):
        self._reader = reader
        self.principal = who

    @property
    def single_user(self) -> bool:
        return self.principal.single_user

    def close(self) -> None:
        self._reader.close()

    def _listed(self, rows: list[dict], training: bool) -> list[dict]:
        if lists_every_case(self.principal):
            return rows
        agencies = self.principal.has("agency_member")
        return only_listed(rows, self.principal,
                           facts_of(self._reader.facts_rows(training, agencies), agencies))

    def summaries(self, *, training: bool = False, risk: str | None = None,
                  manager: str | None = None, overdue_on: dt.date | None = None,
                  open_only: bool = False) -> list[dict]:
        """As :meth:`Guard.summaries`."""
        return self._listed(self._reader.summaries(
            training=training, risk=risk, manager=manager, overdue_on=overdue_on,
            open_only=open_only), training)

    def deadline_rows(self, as_of: dt.date, *, overdue_only: bool = False,
                      training: bool = False) -> list[dict]:
        """As :meth:`Guard.deadline_rows`."""
        return self._listed(self._reader.deadline_rows(
            as_of, overdue_only=overdue_only, training=training), training)


def open_lists(user: str | None = None, *, announce: bool = True) -> Lists | Guard:
    """The lists as the current user (or ``user``) may see them: the lean reader for an
    SQLite store at the newest schema, else the guarded store (which creates, migrates
    or refuses the store as always)."""
    found = open_lean(user)
    if found is None:
        from cpkit.access import open_guarded_store

        return open_guarded_store(user=user, announce=announce)
    reader, who = found
    if announce:
        announce_single_user(who)
    return Lists(reader, who)


def open_lean(user: str | None = None) -> tuple[Reader, Principal] | None:
    """The lean reader of the store and the current user (or ``user``) as the Guard
    knows them (:meth:`Guard.for_user`: single-user mode when no users are configured,
    :func:`unknown_user` refused); ``None`` when the store must be opened as a Store."""
    from cpkit import identity
    from cpkit.paths import database_url
    from cpkit.store.lean import open_reader

    reader = open_reader(database_url())
    if reader is None:
        return None
    name = user or identity.current_user()
    try:
        if not reader.has_users():
            who = Principal(name, single_user=True)
        else:
            row = reader.user(name)
            if row is None:
                raise unknown_user(name)
            who = Principal(row[0], decode_roles(row[1]), row[2], row[3],
                            merged_grants(reader.grants(row[0])))
    except BaseException:
        reader.close()
        raise
    return reader, who


def announce_single_user(who: Principal) -> None:
    """Say on stderr that the kit runs without users, as :func:`open_guarded_store`."""
    if who.single_user:
        from cpkit.access import SINGLE_USER_NOTICE
        from cpkit.i18n import _

        print(_(SINGLE_USER_NOTICE), file=sys.stderr)


def merged_grants(rows: Iterable[tuple[str, bool]]) -> dict[str, bool]:
    """Case code -> identity granted (any grant with identity counts)."""
    found: dict[str, bool] = {}
    for case_id, identity in rows:
        found[case_id] = found.get(case_id, False) or identity
    return found
