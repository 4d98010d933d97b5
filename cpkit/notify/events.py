"""Notices raised by what people do (the deadline ones are in :mod:`.due`).

The access layer calls these after a save committed (:meth:`cpkit.access.Guard.save`
and :meth:`~cpkit.access.Guard.write_agency_part`, the roads every write of a case
takes), so a notice never tells of a change that was not kept, and writing a notice
never talks to a mail server (the outbox does, later).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from cpkit.model import Case, Meeting
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


@dataclass(frozen=True)
class _Told:
    kind: str
    to: str  # "case_manager" or "agencies"
    agencies: tuple[str, ...]
    detail: dict
    dedupe: str


def _meetings(case: Case | None) -> dict[dt.date, Meeting]:
    return {m.date: m for m in (case.meetings if case else []) if m.status != "cancelled"}


def _reported(meeting: Meeting | None, agency: str) -> dict[str, object]:
    report = meeting.report_of(agency) if meeting else None
    return {a.id: a for a in report.actions} if report else {}


def _changes(before: Case | None, after: Case, version: int) -> list[_Told]:
    """What a save from ``before`` to ``after`` tells whom (no case data but codes,
    dates and protocol words)."""
    code = after.case_id
    old = _meetings(before)
    out: list[_Told] = []
    for day, meeting in _meetings(after).items():
        was = old.get(day)
        at = {"code": code, "meeting": day.isoformat()}
        invited = tuple(i.agency for i in meeting.invited)
        if meeting.planned and invited and (
                was is None or was.invitation_sent_on != meeting.invitation_sent_on
                or {i.agency for i in was.invited} != set(invited)):
            out.append(_Told("invitation", "agencies", invited,
                             {**at, "meeting_kind": meeting.kind},
                             f"invitation|{code}|{day}"))
        if meeting.held and meeting.minutes_distributed_on and (
                was is None or not was.minutes_distributed_on):
            agencies = tuple(dict.fromkeys([*invited, *after.agencies_involved]))
            out.append(_Told("minutes_distributed", "agencies", agencies, at,
                             f"minutes_distributed|{code}|{day}"))
        before_answers = {i.agency: i for i in (was.invited if was else [])}
        for invitee in meeting.invited:
            prior = before_answers.get(invitee.agency)
            if invitee.answer and (prior is None or (prior.answer, prior.substitute,
                                                     prior.information) !=
                                   (invitee.answer, invitee.substitute, invitee.information)):
                out.append(_Told("invitation_answered", "case_manager", (invitee.agency,),
                                 {**at, "agency": invitee.agency, "answer": invitee.answer},
                                 f"invitation_answered|{code}|{day}|{invitee.agency}|v{version}"))
        for report in meeting.progress_reports:
            prior = was.report_of(report.agency) if was else None
            if prior != report:
                out.append(_Told("progress_report_received", "case_manager", (report.agency,),
                                 {**at, "agency": report.agency},
                                 f"progress_report|{code}|{day}|{report.agency}|v{version}"))
            said_before = _reported(was, report.agency)
            for action in report.actions:
                if action.cannot_comply and not getattr(said_before.get(action.id),
                                                        "cannot_comply", False):
                    out.append(_Told("action_cannot_comply", "case_manager", (report.agency,),
                                     {"code": code, "agency": report.agency,
                                      "action": action.id},
                                     f"cannot_comply|{code}|{action.id}|v{version}"))
    return out


def case_saved(store: Store, before: Case | None, after: Case, actor: str,
               version: int) -> int:
    """Tell people what a committed save of a case means for them: an invitation to a
    planned CMR (each invitee agency's members), an agency's answer, progress report or
    "cannot carry out this action" (the case manager), minutes distributed (the invited
    and involved agencies).  Called after the save committed, in its own transaction;
    the one who saved is not told of their own change.  Returns how many notices."""
    if after.training or not after.case_id:
        return 0
    changes = _changes(before, after, version)
    if not changes:
        return 0
    people = Directory.load(store)
    new = 0
    with store.engine.begin() as conn:
        for told in changes:
            if told.to == "case_manager":
                who = people.case_managers(after.case_manager)
            else:
                who = [u for a in told.agencies for u in people.agency_members(a)]
            who = [u for u in who if u != actor]
            if who:
                new += notify(conn, told.kind, after.case_id, who, told.detail, told.dedupe)
    return new


def case_reopened(store: Store, case: Case, agency: str | None, by: str) -> int:
    """A further referral reopened ``case``: tell its case manager (unless they did it)."""
    people = Directory.load(store)
    who = [u for u in people.case_managers(case.case_manager) if u != by]
    with store.engine.begin() as conn:
        return notify(conn, "case_reopened", case.case_id, who,
                      {"code": case.case_id, "by": people.display_name(by),
                       "agency": agency or "other"},
                      f"case_reopened|{case.case_id}|{dt.date.today()}")


def invitation_rendered(store: Store, case: Case, day: dt.date, actor: str) -> int:
    """The invitation to the CMR of ``day`` was rendered (to be sent): each invitee
    agency's members are told, once per meeting (planning it told them already)."""
    from cpkit.rules.meetings import invited_agencies

    meeting = _meetings(case).get(day)
    kind = meeting.kind if meeting else "review"
    agencies = ([i.agency for i in meeting.invited] if meeting and meeting.invited
                else invited_agencies(case, kind))
    people = Directory.load(store)
    who = [u for a in agencies for u in people.agency_members(a) if u != actor]
    with store.engine.begin() as conn:
        return notify(conn, "invitation", case.case_id, who,
                      {"code": case.case_id, "meeting": day.isoformat(),
                       "meeting_kind": kind}, f"invitation|{case.case_id}|{day}")
