"""Referrals from any agency, and the Center for Social Work's intake.

The protocol: every agency must "identify" and "refer to the CSW ... without delay",
"accompanied with all the necessary information".  So an agency member refers a child
from their own page (or ``cpkit referral submit``); the referral waits in the intake
list, sealed; intake sees whether the child is already known (the blind index), then

* **accepts** it: a new case with its code, the referring agency involved, the intake
  worker its case manager; or, for a child already known, the referral joins that open
  case (``further_referrals``) and the agency becomes involved; a closed case of that
  child is reopened (audited as ``case_reopened``, back to the referral stage);
* or **declines** it with a reason, which the referrer reads in cpkit (never by mail).

When the concern was identified, referred and decided is kept, so the review can show
whether it went "without delay".
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from cpkit import exchange, model
from cpkit.access.policy import PermissionDenied
from cpkit.access.served import served
from cpkit.errors import BadInput
from cpkit.notify.inbox import notify
from cpkit.notify.recipients import Directory
from cpkit.store import codec, sealed
from cpkit.store.schema import referrals_in

PREFIX = "cpkit-referral"
REFERRAL_KEYS = ("concern", "abuse_categories", "manifestations", "signs")
INTAKE_ROLES = frozenset({"case_manager", "supervisor"})


@dataclass(frozen=True)
class IncomingReferral:
    id: int
    municipality: str | None
    referring_agency: str
    referrer: str
    identified_on: dt.date | None
    referred_at: dt.datetime
    status: str
    decided_at: dt.datetime | None
    case_id: str | None
    decline_reason: str | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value and value.tzinfo is None else value


def _intake(guard) -> None:
    if not (guard.single_user or guard.principal.roles & INTAKE_ROLES):
        raise PermissionDenied(guard.user, "create", reason="intake is the Center for Social "
                               "Work's: a case manager or a supervisor")


@served
def submit(guard, document: dict) -> int:
    """An agency refers a child: ``document`` holds ``municipality``, ``identified_on``,
    ``child``, ``referral`` (the concern and categories) and ``consent``.  Checked as a
    case would be (every problem named), then kept sealed for intake."""
    agency = guard.principal.agency or document.get("referring_agency")
    if not agency:
        raise BadInput("referring_agency: say which agency refers the child")
    referral = {k: v for k, v in (document.get("referral") or {}).items() if k in REFERRAL_KEYS}
    case_doc = {"format": model.FORMAT, "municipality": document.get("municipality"),
                "child": document.get("child") or {}, "consent": document.get("consent") or {},
                "agencies_involved": [agency],
                "referral": {**referral, "date": dt.date.today().isoformat(),
                             "identified_on": document.get("identified_on"),
                             "referring_agency": agency,
                             "referrer": guard.principal.display_name or guard.user}}
    case = exchange.load_case(case_doc, "referral")
    if not case.child.given_name and not case.child.family_name:
        raise BadInput("child: the child's name is needed (it stays sealed)")
    token = secrets.token_hex(16)
    text = json.dumps(case.to_document(), ensure_ascii=False)
    with guard.store.engine.begin() as conn:
        new_id = conn.execute(insert(referrals_in).values(
            token=token, municipality=case.municipality, referring_agency=agency,
            referrer=guard.user, identified_on=case.referral.identified_on,
            referred_at=_now(), document=codec.seal_text(text, sealed.context(PREFIX, token)),
            status="received")).inserted_primary_key[0]
        people = Directory.load(guard.store)
        intake = [u.name for u in people.users if u.roles & INTAKE_ROLES]
        notify(conn, "referral_received", None, intake,
               {"id": int(new_id), "agency": agency}, f"referral_received|{new_id}")
    guard.record_event("referral_submitted", None, {"referral": int(new_id), "agency": agency})
    return int(new_id)


def _row(guard, referral_id: int):
    return sealed.row_by_id(guard.store.engine, referrals_in, referral_id, "referral")


def _visible(guard, row) -> bool:
    return (guard.single_user or bool(guard.principal.roles & INTAKE_ROLES)
            or row.referrer == guard.user)


def _referral(row) -> IncomingReferral:
    where = sealed.context(PREFIX, row.token)
    return IncomingReferral(row.id, row.municipality, row.referring_agency, row.referrer,
                            row.identified_on, _aware(row.referred_at), row.status,
                            _aware(row.decided_at), row.case_id,
                            codec.open_text(row.decline_reason, where))


@served
def listed(guard, *, status: str | None = None) -> list[IncomingReferral]:
    """Intake sees every referral; an agency member the ones they sent."""
    query = select(referrals_in).order_by(referrals_in.c.id)
    if status:
        query = query.where(referrals_in.c.status == status)
    with guard.store.engine.connect() as conn:
        return [_referral(r) for r in conn.execute(query) if _visible(guard, r)]


@served
def opened(guard, referral_id: int) -> model.Case:
    """The referral as a case document (identity included), for intake only."""
    _intake(guard)
    row = _row(guard, referral_id)
    text = codec.open_text(row.document, sealed.context(PREFIX, row.token))
    guard.record_event("read_referral", None, {"referral": referral_id})
    return model.Case.model_validate(json.loads(text))


@served
def known(guard, referral_id: int) -> list[dict]:
    """Is the referred child already known?  Candidates by code, stage and risk."""
    case = opened(guard, referral_id)
    child = case.child
    return guard.find_child(child.given_name, child.family_name, born=child.date_of_birth,
                            sex=child.sex, municipality=case.municipality)


def _undecided(row) -> None:
    if row.status != "received":
        raise BadInput(f"referral {row.id}: already {row.status}")


@served
def accept(guard, referral_id: int, *, link: str | None = None) -> str:
    """Accept the referral: a new case (returns its code), or joined to the open case
    ``link`` of the same child."""
    _intake(guard)
    row = _row(guard, referral_id)
    _undecided(row)
    case = opened(guard, referral_id)
    if link:
        code = _join(guard, link, case)
    else:
        if not guard.single_user and guard.principal.has("case_manager"):
            case.case_manager = guard.principal.display_name or guard.user
        code = guard.create(case).case.case_id
    _decide(guard, row, "accepted", None, code)
    return code


def _join(guard, code: str, referred: model.Case) -> str:
    """The referral joins the case ``code`` of the same child; a closed case is
    reopened (:mod:`cpkit.rules.reopening`: its closure kept, the stage back to
    referral, the deadlines from this referral), its case manager told."""
    from cpkit.notify.events import case_reopened
    from cpkit.rules.reopening import reopen

    record = guard.get(code, "edit", need_identity=True)
    case = record.case
    agency = referred.referral.referring_agency
    closed = case.closure is not None
    if closed:
        case = reopen(case, dt.date.today(), guard.principal.display_name or guard.user,
                      agency)
    extra = case.model_extra if case.model_extra is not None else {}
    further = list(extra.get("further_referrals") or [])
    further.append(referred.referral.model_dump(mode="json", exclude_none=True))
    case.further_referrals = further
    if referred.referral.referring_agency not in case.agencies_involved:
        case.agencies_involved = [*case.agencies_involved, referred.referral.referring_agency]
    guard.save(case, record.version, action="case_reopened" if closed else "referral_joined")
    if closed:
        case_reopened(guard.store, case, agency, guard.user)
    return code


@served
def decline(guard, referral_id: int, reason: str) -> None:
    """Decline with a reason: the referrer reads it in cpkit; the referral is kept."""
    _intake(guard)
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("reason: say why the referral is declined")
    row = _row(guard, referral_id)
    _undecided(row)
    _decide(guard, row, "declined", reason, None)


def _decide(guard, row, status: str, reason: str | None, code: str | None) -> None:
    where = sealed.context(PREFIX, row.token)
    with guard.store.engine.begin() as conn:
        conn.execute(update(referrals_in).where(referrals_in.c.id == row.id).values(
            status=status, decided_at=_now(), decided_by=guard.user, case_id=code,
            decline_reason=codec.seal_text(reason, where)))
        notify(conn, "referral_decided", code, [row.referrer],
               {"id": row.id, "status": status, "code": code or "-",
                "by": guard.principal.display_name or guard.user},
               f"referral_decided|{row.id}")
    guard.record_event(f"referral_{status}", code, {"referral": row.id})


def delays(item: IncomingReferral) -> tuple[int | None, float | None]:
    """Days from identification to referral, and hours from referral to decision."""
    to_refer = ((item.referred_at.date() - item.identified_on).days
                if item.identified_on else None)
    to_decide = ((item.decided_at - item.referred_at).total_seconds() / 3600
                 if item.decided_at else None)
    return to_refer, to_decide
