"""The parts of a CMR each party writes: the case manager plans, each agency answers
the invitation, reports on its actions and acknowledges the minutes.

Pure functions from a case to the changed case (a copy); the access layer decides
who may call which, and :func:`without_agency_parts` lets it check that a change
touched nothing but the agency's own parts.
"""

from __future__ import annotations

import copy
import datetime as dt

from cpkit import protocol
from cpkit.errors import BadInput
from cpkit.model import Case, Meeting
from cpkit.rules.meetings import find_meeting, invited_agencies

ANSWERS = ("attending", "apologies", "substitute")
# What an agency reports on an action it cannot carry out ("Agencies should immediately
# notify the case manager if they are unable to comply with the plan"): kept as the
# status ``not_done`` with ``cannot_comply`` set, which tells the case manager at once.
CANNOT_COMPLY = "cannot_comply"
# Where in a meeting an agency's own parts are kept.
AGENCY_LISTS = ("invited", "progress_reports", "minutes_acknowledged")


def _copy(case: Case) -> Case:
    return Case.model_validate(copy.deepcopy(case.to_document()))


def _meeting(case: Case, day: dt.date) -> Meeting:
    meeting = find_meeting(case, day)
    if meeting is None or meeting.status == "cancelled":
        raise BadInput(f"meeting: {case.code} has no meeting on {day.isoformat()}")
    return meeting


def plan(case: Case, day: dt.date, kind: str, time: str | None = None,
         venue: str | None = None, invited: list[str] | None = None) -> Case:
    """A planned CMR on ``day`` with the invitees by the protocol's rule, or the ones
    ``invited`` names instead (the list is the case manager's to edit)."""
    out = _copy(case)
    existing = find_meeting(out, day)
    if existing is not None and existing.status != "cancelled":
        raise BadInput(f"meeting: {case.code} already has a meeting on {day.isoformat()}")
    if invited:
        unknown = [a for a in invited if a not in protocol.agency_keys()]
        if unknown:
            raise BadInput(f"invite: {', '.join(u[:40] for u in unknown)} is not an agency "
                           f"(one of {', '.join(protocol.agency_keys())})")
    agencies = list(dict.fromkeys(invited)) if invited else invited_agencies(out, kind)
    meeting = {"date": day.isoformat(), "kind": kind, "status": "planned",
               "invited": [{"agency": a} for a in agencies]}
    if time:
        meeting["time"] = time
    if venue:
        meeting["venue"] = venue
    document = out.to_document()
    document["meetings"] = [*document.get("meetings", []), meeting]
    document["meetings"].sort(key=lambda m: m["date"])
    return Case.model_validate(document)


def answer(case: Case, day: dt.date, agency: str, reply: str, on: dt.date, *,
           name: str | None = None, substitute: str | None = None,
           information: str | None = None) -> Case:
    """The agency's answer to the invitation to the meeting on ``day``."""
    if reply not in ANSWERS:
        raise BadInput(f"answer: {reply!r:.40} is not one of {', '.join(ANSWERS)}")
    if reply == "substitute" and not (substitute or "").strip():
        raise BadInput("substitute: name the representative who will attend instead")
    out = _copy(case)
    meeting = _meeting(out, day)
    if meeting.held:
        raise BadInput(f"meeting: the meeting on {day.isoformat()} has been held; "
                       "answers are given before it")
    invitee = next((i for i in meeting.invited if i.agency == agency), None)
    if invitee is None:
        raise BadInput(f"agency: {agency} is not invited to the meeting on {day.isoformat()}")
    invitee.answer, invitee.answered_on = reply, on
    invitee.substitute = substitute if reply == "substitute" else None
    invitee.information = information or None
    if name:
        invitee.name = name
    return out


def report(case: Case, day: dt.date, agency: str, on: dt.date, *, by: str | None,
           text: str | None, actions: dict[str, tuple[str, str | None]]) -> Case:
    """The agency's written progress report for the follow-up CMR on ``day``: a note on
    each care-plan action it is responsible for (``actions``: id -> (status, note))."""
    out = _copy(case)
    meeting = _meeting(out, day)
    own = {a.id: a for a in out.care_plan.actions if a.responsible_agency == agency and a.id}
    unknown = [i for i in actions if i not in own]
    if unknown:
        raise BadInput(f"action: {', '.join(unknown)} is not a care-plan action of {agency}")
    if not (text or "").strip() and not actions:
        raise BadInput("text: write the report (or a status for at least one action)")
    if any(s == CANNOT_COMPLY and not (n or "").strip() for s, n in actions.values()):
        raise BadInput("note: say why the action cannot be carried out, so that the case "
                       "manager can pursue another")
    entry = {"agency": agency, "submitted_on": on.isoformat(), "text": text or None,
             "actions": [_reported(i, s, n) for i, (s, n) in actions.items()]}
    if by:
        entry["by"] = by
    kept = [r.model_dump(mode="json", exclude_none=True) for r in meeting.progress_reports
            if r.agency != agency]
    meeting.progress_reports = [*kept, {k: v for k, v in entry.items() if v is not None}]
    return Case.model_validate(out.to_document())


def _reported(action_id: str, status: str, note: str | None) -> dict:
    if status == CANNOT_COMPLY:
        return {"id": action_id, "status": "not_done", "note": note, "cannot_comply": True}
    return {"id": action_id, "status": status, "note": note}


def reported_status(reported) -> str | None:
    """The status an agency gave an action, :data:`CANNOT_COMPLY` included (the
    inverse of what :func:`report` stores)."""
    if reported is None:
        return None
    return CANNOT_COMPLY if reported.cannot_comply else reported.status


def acknowledge(case: Case, day: dt.date, agency: str, on: dt.date) -> Case:
    """The agency has received the minutes of the meeting on ``day``."""
    out = _copy(case)
    meeting = _meeting(out, day)
    if not meeting.held:
        raise BadInput(f"meeting: the meeting on {day.isoformat()} has not been held")
    if any(a.agency == agency for a in meeting.minutes_acknowledged):
        return out
    meeting.minutes_acknowledged = [*meeting.minutes_acknowledged,
                                    {"agency": agency, "on": on.isoformat()}]
    return Case.model_validate(out.to_document())


def without_agency_parts(document: dict, agency: str) -> dict:
    """``document`` with ``agency``'s own parts of every meeting taken out: a change an
    agency makes must leave this unchanged."""
    out = copy.deepcopy(document)
    for meeting in out.get("meetings", []):
        for key in AGENCY_LISTS:
            items = meeting.get(key)
            if isinstance(items, list):
                meeting[key] = [i for i in items if i.get("agency") != agency]
                if key == "invited" and len(meeting[key]) < len(items):
                    meeting[key] += [{"agency": agency}]  # the invitation is the CSW's
                if not meeting[key]:
                    del meeting[key]
    return out


def invited_to(case: Case, agency: str) -> list[Meeting]:
    """The live meetings ``agency`` is invited to, in date order."""
    return [m for m in sorted(case.meetings, key=lambda m: m.date)
            if m.status != "cancelled" and any(i.agency == agency for i in m.invited)]
