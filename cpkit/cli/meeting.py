"""``cpkit meeting``: plan a CMR, answer its invitation, send a progress report, list.

The case manager plans; each agency member answers and reports for their own agency
(the access guard lets them write exactly that part of the case).  Every command saves
against the version it read, with it as the base of a three-way merge: a save made in
between (another agency's report) is merged, never refused nor overwritten.  Scriptable: every
command exits 0 done, 2 bad input, 1 refused.
"""

from __future__ import annotations

import datetime as dt

import click

from cpkit.cli.base import DATE, main, open_guarded_store, today
from cpkit.i18n import _

KINDS = ("initial", "review", "closure", "extraordinary")


@main.group()
def meeting() -> None:
    """Case Management Roundtables: plan, answer, report, list."""


@meeting.command("plan")
@click.argument("case_id")
@click.option("--date", "day", type=DATE, required=True, help="Day of the CMR (YYYY-MM-DD).")
@click.option("--kind", type=click.Choice(KINDS), required=True)
@click.option("--time", "time_", help="Time of the CMR (HH:MM).")
@click.option("--venue", help="Where the CMR meets (Article 9).")
@click.option("--invite", "invited", multiple=True, metavar="AGENCY",
              help="Invite this agency (repeat); replaces the protocol's list.")
def plan(case_id: str, day: dt.datetime, kind: str, time_: str | None,
         venue: str | None, invited: tuple[str, ...]) -> None:
    """Plan a CMR; the invitees are chosen by the protocol's rule (all agencies for an
    initial or closure CMR, the involved agencies for a review) unless --invite names
    them."""
    from cpkit.rules import meeting_parts

    guard = open_guarded_store()
    record = guard.get(case_id, "edit", need_identity=True)
    base = record.case.to_document()
    changed = meeting_parts.plan(record.case, day.date(), kind, time_, venue,
                                 invited=list(invited) or None)
    guard.save(changed, record.version, action="plan_meeting", base=base)
    count = len(meeting_parts.find_meeting(changed, day.date()).invited)
    click.echo(_("{code}: {kind} planned on {date}, {count} agencies invited").format(
        code=case_id, kind=kind, date=day.date().isoformat(), count=count), err=True)


@meeting.command("respond")
@click.argument("case_id")
@click.option("--meeting", "day", type=DATE, required=True, help="Day of the CMR.")
@click.option("--answer", "reply", type=click.Choice(["attending", "apologies", "substitute"]),
              required=True)
@click.option("--substitute", help="The representative who attends instead (Article 8).")
@click.option("--information", help="What the agency knows, for the meeting.")
@click.option("--agency", help="Only for someone recording another agency's answer.")
def respond(case_id: str, day: dt.datetime, reply: str, substitute: str | None,
            information: str | None, agency: str | None) -> None:
    """Answer the invitation to a CMR for your agency."""
    from cpkit.rules import meeting_parts

    guard = open_guarded_store()
    who = guard.agency_of_writer(agency)
    name = guard.principal.display_name or guard.user

    def change(case):
        return meeting_parts.answer(case, day.date(), who, reply, today(), name=name,
                                    substitute=substitute, information=information)

    guard.write_agency_part(case_id, who, change, "answer_invitation")
    click.echo(_("{code}: {agency} answered {answer} for the CMR of {date}").format(
        code=case_id, agency=who, answer=reply, date=day.date().isoformat()), err=True)


def _actions(values: tuple[str, ...]) -> dict[str, tuple[str, str | None]]:
    """``ID=STATUS[:NOTE]`` options as id -> (status, note)."""
    from cpkit import protocol
    from cpkit.errors import BadInput
    from cpkit.rules.meeting_parts import CANNOT_COMPLY

    statuses = (*protocol.ACTION_STATUSES, CANNOT_COMPLY)
    out = {}
    for value in values:
        key, sep, rest = value.partition("=")
        status, _colon, note = rest.partition(":")
        if not sep or not key or status not in statuses:
            raise BadInput(f"--action: {value!r:.60} is not ID=STATUS[:NOTE] with STATUS one "
                           f"of {', '.join(statuses)}")
        out[key] = (status, note or None)
    return out


@meeting.command("report")
@click.argument("case_id")
@click.option("--meeting", "day", type=DATE, required=True, help="Day of the CMR.")
@click.option("--text", required=True, help="The written progress report.")
@click.option("--action", "actions", multiple=True, metavar="ID=STATUS[:NOTE]",
              help="Status (and a note) of a care-plan action your agency is responsible for; "
                   "cannot_comply:WHY tells the case manager at once that your agency "
                   "cannot carry it out.")
@click.option("--agency", help="Only for someone recording another agency's report.")
def report(case_id: str, day: dt.datetime, text: str, actions: tuple[str, ...],
           agency: str | None) -> None:
    """Send your agency's written progress report for a follow-up CMR."""
    from cpkit.rules import meeting_parts

    guard = open_guarded_store()
    who = guard.agency_of_writer(agency)
    parsed = _actions(actions)
    name = guard.principal.display_name or guard.user

    def change(case):
        return meeting_parts.report(case, day.date(), who, today(), by=name, text=text,
                                    actions=parsed)

    guard.write_agency_part(case_id, who, change, "progress_report")
    click.echo(_("{code}: progress report of {agency} for the CMR of {date} sent").format(
        code=case_id, agency=who, date=day.date().isoformat()), err=True)


@meeting.command("acknowledge")
@click.argument("case_id")
@click.option("--meeting", "day", type=DATE, required=True, help="Day of the CMR.")
@click.option("--agency", help="Only for someone recording another agency's receipt.")
def acknowledge(case_id: str, day: dt.datetime, agency: str | None) -> None:
    """Acknowledge receipt of a CMR's minutes for your agency."""
    from cpkit.rules import meeting_parts

    guard = open_guarded_store()
    who = guard.agency_of_writer(agency)
    guard.write_agency_part(case_id, who, lambda case: meeting_parts.acknowledge(
        case, day.date(), who, today()), "acknowledge_minutes")
    click.echo(_("{code}: minutes of {date} acknowledged by {agency}").format(
        code=case_id, date=day.date().isoformat(), agency=who), err=True)


@meeting.command("list")
@click.argument("case_id")
@click.option("--as-of", type=DATE, help="Day to judge lateness (default: today).")
def list_(case_id: str, as_of: dt.datetime | None) -> None:
    """Each meeting: status, invitees, answers, reports, what is late."""
    from cpkit.summary_text import meetings_text

    record = open_guarded_store().get(case_id, "show")
    click.echo(meetings_text(record.case, as_of.date() if as_of else today()))
