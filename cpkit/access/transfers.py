"""Moving a case: to another case manager, or to another municipality's Center for
Social Work when the child moves ("a child who moves goes with their file").

By request and acceptance, each step audited and notified:

* ``request``: the case's manager (or a supervisor) names the receiving case manager
  and, when the child moved, the municipality; one open request per case;
* ``accept``: the receiver (or a supervisor) takes the case: it becomes theirs (and the
  municipality's), and the sender keeps read access to what they recorded (a grant);
* ``decline``: the receiver (or a supervisor) says why; the case stays where it was.

The receiver sees nothing of the case before accepting: the request shows its code only.
Reasons are free text and sealed like the case (:mod:`cpkit.store.sealed`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, or_, select, update

from cpkit.access import users as user_table
from cpkit.access.policy import PermissionDenied
from cpkit.errors import BadInput
from cpkit.notify.inbox import notify
from cpkit.store import codec, sealed
from cpkit.store.schema import transfers

PREFIX = "cpkit-transfer"
REASON_MAX = 2_000


@dataclass(frozen=True)
class Transfer:
    id: int
    case_id: str
    from_user: str
    to_user: str
    to_municipality: str | None
    status: str
    requested_at: dt.datetime
    decided_by: str | None
    reason: str | None  # opened only for the people on either side
    decline_reason: str | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _reason(text: str | None, field: str, required: bool) -> str | None:
    text = (text or "").strip() or None
    if required and not text:
        raise BadInput(f"{field}: give the reason")
    if text and len(text) > REASON_MAX:
        raise BadInput(f"{field}: too long ({len(text)} characters, at most {REASON_MAX})")
    return text


def _row(guard, transfer_id: int):
    return sealed.row_by_id(guard.store.engine, transfers, transfer_id, "transfer")


def _transfer(row) -> Transfer:
    where = sealed.context(PREFIX, row.case_id)
    return Transfer(row.id, row.case_id, row.from_user, row.to_user, row.to_municipality,
                    row.status, row.requested_at, row.decided_by,
                    codec.open_text(row.reason, where), codec.open_text(row.decline_reason, where))


def request(guard, case_id: str, to_user: str, *, municipality: str | None = None,
            reason: str | None = None) -> int:
    """Ask ``to_user`` to take ``case_id`` over; returns the transfer's id."""
    guard.authorise("edit", case_id)
    receiver = user_table.get_user(guard.store, to_user)
    if receiver is None or not receiver.roles & {"case_manager", "supervisor"}:
        raise BadInput(f"to: {to_user!r:.60} is not a case manager of this store")
    if receiver.name == guard.user:
        raise BadInput("to: the case is already yours")
    reason = _reason(reason, "reason", required=False)
    where = sealed.context(PREFIX, case_id)
    with guard.store.engine.begin() as conn:
        open_ = conn.execute(select(transfers.c.id).where(
            transfers.c.case_id == case_id, transfers.c.status == "requested")).first()
        if open_:
            raise BadInput(f"{case_id}: transfer {open_.id} is already waiting for an answer")
        new_id = conn.execute(insert(transfers).values(
            case_id=case_id, from_user=guard.user, to_user=receiver.name,
            to_municipality=(municipality or "").strip() or None,
            reason=codec.seal_text(reason, where), status="requested",
            requested_at=_now())).inserted_primary_key[0]
        notify(conn, "transfer_requested", case_id, [receiver.name],
               {"code": case_id, "by": guard.principal.display_name or guard.user},
               f"transfer_requested|{new_id}")
    guard.record_event("transfer_requested", case_id,
                       {"transfer": new_id, "to": receiver.name,
                        "municipality_changes": bool(municipality)})
    return int(new_id)


def _may_answer(guard, row) -> None:
    if row.status != "requested":
        raise BadInput(f"transfer {row.id}: already {row.status}")
    if guard.user != row.to_user and not guard.principal.has("supervisor") \
            and not guard.single_user:
        raise PermissionDenied(guard.user, "edit", row.case_id,
                               f"transfer {row.id} is addressed to someone else")


def accept(guard, transfer_id: int) -> None:
    """Take the case over: it becomes the receiver's (and, when the child moved, the
    new municipality's); the sender keeps read access to it."""
    row = _row(guard, transfer_id)
    _may_answer(guard, row)
    receiver = user_table.get_user(guard.store, row.to_user)
    store = guard._store  # the receiver may not edit the case until it is theirs
    record = store.get(row.case_id)
    case = record.case
    case.case_manager = (receiver.display_name if receiver else None) or row.to_user
    if row.to_municipality:
        case.municipality = row.to_municipality
    store.save(case, record.version, actor=guard.user, action="transfer")
    if user_table.get_user(store, row.from_user) is not None:
        user_table.grant(store, row.from_user, row.case_id, True, guard.user)
    _decide(guard, row, "accepted", None)


def decline(guard, transfer_id: int, reason: str) -> None:
    """Refuse the case, saying why; it stays with its case manager."""
    row = _row(guard, transfer_id)
    _may_answer(guard, row)
    _decide(guard, row, "declined", _reason(reason, "reason", required=True))


def _decide(guard, row, status: str, reason: str | None) -> None:
    where = sealed.context(PREFIX, row.case_id)
    with guard.store.engine.begin() as conn:
        conn.execute(update(transfers).where(transfers.c.id == row.id).values(
            status=status, decided_at=_now(), decided_by=guard.user,
            decline_reason=codec.seal_text(reason, where)))
        notify(conn, "transfer_decided", row.case_id, [row.from_user],
               {"code": row.case_id, "by": guard.principal.display_name or guard.user,
                "status": status}, f"transfer_decided|{row.id}")
    guard.record_event(f"transfer_{status}", row.case_id, {"transfer": row.id})


def listed(guard, *, open_only: bool = False) -> list[Transfer]:
    """Transfers this user sent or received (every one, for a supervisor)."""
    query = select(transfers).order_by(transfers.c.id)
    if not (guard.principal.has("supervisor") or guard.single_user):
        query = query.where(or_(transfers.c.from_user == guard.user,
                                transfers.c.to_user == guard.user))
    if open_only:
        query = query.where(transfers.c.status == "requested")
    with guard.store.engine.connect() as conn:
        return [_transfer(r) for r in conn.execute(query)]
