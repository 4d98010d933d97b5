"""Referral and transfer commands: ``cpkit known`` (is this child already known?),
``cpkit referral submit|list|known|accept|decline``, ``cpkit transfer
request|accept|decline|list``."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from cpkit.cli.base import main, open_guarded_store
from cpkit.errors import BadInput
from cpkit.i18n import _

_BORN = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def _born(value: str | None) -> tuple[dt.date | None, int | None]:
    """``--born`` takes a date (YYYY-MM-DD) or a year (YYYY)."""
    if not value:
        return None, None
    if not _BORN.match(value):
        raise BadInput(_("--born: {value!r} is not a date (YYYY-MM-DD) or a year (YYYY)")
                       .format(value=value[:20]))
    if len(value) == 4:
        return None, int(value)
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        raise BadInput(_("--born: {value} is not a date that exists").format(value=value)) from None


@main.command()
@click.argument("case_id", required=False)
@click.option("--name", help="The child's names as written (given and family, any order).")
@click.option("--born", help="Date of birth (YYYY-MM-DD) or year of birth (YYYY).")
@click.option("--sex", type=click.Choice(["female", "male", "other", "unknown"]))
@click.option("--municipality", help="Only this municipality's cases (default: the case's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def known(case_id: str | None, name: str | None, born: str | None, sex: str | None,
          municipality: str | None, fmt: str) -> None:
    """Is this child already known?  The cases that may hold the same child.

    Give CASE_ID (that case's child, in its municipality) or --name and --born.  Names
    match across Albanian and Serbian spellings, Latin and Cyrillic, diacritics, order
    and one typing error; the names stay encrypted (keyed blind index).  Shows case
    codes, stage and risk only.
    """
    guard = open_guarded_store()
    if case_id:
        child = guard.get(case_id, "show", need_identity=True).case
        found = guard.find_child(child.child.given_name, child.child.family_name,
                                 born=child.child.date_of_birth, sex=child.child.sex,
                                 municipality=municipality or child.municipality,
                                 exclude=case_id)
    elif name:
        date, year = _born(born)
        found = guard.find_child(name, None, born=date, year=year, sex=sex,
                                 municipality=municipality)
    else:
        raise BadInput(_("give a CASE_ID, or --name (and --born) of the child to look for"))
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    _show_known(found)


def _show_known(found: list[dict]) -> None:
    """Candidates as intake reads them: code, stage and risk in words, how sure."""
    from cpkit.dashboard.labels import known_line

    if not found:
        click.echo(_("No case found for this child."))
        return
    for row in found:
        click.echo(known_line(row))


@main.group()
def transfer() -> None:
    """Move a case to another case manager or municipality: request, accept, decline."""


@transfer.command("request")
@click.argument("case_id")
@click.option("--to", "to_user", required=True, help="The receiving case manager (login).")
@click.option("--municipality", help="The child moved: the receiving municipality.")
@click.option("--reason", help="Why (kept sealed: it may name the child).")
def transfer_request(case_id: str, to_user: str, municipality: str | None,
                     reason: str | None) -> None:
    """Ask another case manager to take CASE_ID over."""
    from cpkit.access import transfers

    new = transfers.request(open_guarded_store(), case_id, to_user, municipality=municipality,
                            reason=reason)
    click.echo(_("Transfer {id} of {code} requested; it waits for {user}'s answer.").format(
        id=new, code=case_id, user=to_user), err=True)


@transfer.command("accept")
@click.argument("transfer_id", type=int)
def transfer_accept(transfer_id: int) -> None:
    """Take the case of transfer TRANSFER_ID over."""
    from cpkit.access import transfers

    transfers.accept(open_guarded_store(), transfer_id)
    click.echo(_("Transfer {id} accepted: the case is yours.").format(id=transfer_id),
               err=True)


@transfer.command("decline")
@click.argument("transfer_id", type=int)
@click.option("--reason", required=True, help="Why the case is not taken over.")
def transfer_decline(transfer_id: int, reason: str) -> None:
    """Refuse the case of transfer TRANSFER_ID, saying why."""
    from cpkit.access import transfers

    transfers.decline(open_guarded_store(), transfer_id, reason)
    click.echo(_("Transfer {id} declined.").format(id=transfer_id), err=True)


@transfer.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only those waiting for an answer.")
def transfer_list(open_only: bool) -> None:
    """Transfers you sent or received (every one, for a supervisor)."""
    from cpkit.access import transfers
    from cpkit.notify.kinds import TRANSFER_STATUS

    states = {"requested": _("waiting"), **{k: _(v) for k, v in TRANSFER_STATUS.items()}}
    found = transfers.listed(open_guarded_store(), open_only=open_only)
    if not found:
        click.echo(_("No transfers."))
    for t in found:
        where = f" → {t.to_municipality}" if t.to_municipality else ""
        click.echo(f"{t.id:>4}  {t.case_id}  {t.from_user} → {t.to_user}{where}  "
                   f"{states[t.status]}" + (f"  ({t.decline_reason})" if t.decline_reason else ""))


@main.group()
def referral() -> None:
    """Referrals from any agency, and the Center for Social Work's intake."""


@referral.command("submit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def referral_submit(file: str) -> None:
    """Refer a child to the Center for Social Work (an agency member).

    FILE is JSON: municipality, identified_on, child, referral (concern,
    abuse_categories, manifestations, signs) and consent, as in the exchange format.
    """
    from cpkit import exchange
    from cpkit.access import intake

    documents, _collection = exchange.read_file(file)
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise BadInput(_("{file}: one referral (a JSON object) per file").format(file=file))
    number = intake.submit(open_guarded_store(), documents[0])
    click.echo(_("Referral {id} sent to the Center for Social Work's intake.").format(
        id=number), err=True)


@referral.command("list")
@click.option("--status", type=click.Choice(["received", "accepted", "declined"]))
def referral_list(status: str | None) -> None:
    """Referrals: all of them for intake, your own for an agency member; with the days
    from identification to referral and the hours to intake's decision."""
    from cpkit import protocol
    from cpkit.access import intake
    from cpkit.dashboard.labels import REFERRAL_STATES
    from cpkit.i18n.formatting import format_date
    found = intake.listed(open_guarded_store(), status=status)
    if not found:
        click.echo(_("No referrals."))
    for item in found:
        to_refer, to_decide = intake.delays(item)
        timing = _("identified {days} day(s) before referral").format(days=to_refer) \
            if to_refer is not None else _("identification date not given")
        if to_decide is not None:
            timing += "; " + _("decided after {hours:.0f} hour(s)").format(hours=to_decide)
        line = (f"{item.id:>4}  {format_date(item.referred_at.date(), format='medium')}  "
                f"{protocol.label('agency', item.referring_agency)}  "
                f"{_(REFERRAL_STATES[item.status])}"
                + (f"  {item.case_id}" if item.case_id else "") + f"  ({timing})")
        click.echo(line)
        if item.decline_reason:
            click.echo("      " + _("reason: {reason}").format(reason=item.decline_reason))


@referral.command("known")
@click.argument("referral_id", type=int)
def referral_known(referral_id: int) -> None:
    """Is the child of referral REFERRAL_ID already known?"""
    from cpkit.access import intake

    _show_known(intake.known(open_guarded_store(), referral_id))


@referral.command("accept")
@click.argument("referral_id", type=int)
@click.option("--link", "link", metavar="CASE_ID",
              help="The child is already known: join the referral to this open case.")
def referral_accept(referral_id: int, link: str | None) -> None:
    """Accept referral REFERRAL_ID: a new case, or joined to the child's open case."""
    from cpkit.access import intake

    code = intake.accept(open_guarded_store(), referral_id, link=link)
    click.echo(_("Referral {id} accepted: case {code}.").format(id=referral_id, code=code),
               err=True)


@referral.command("decline")
@click.argument("referral_id", type=int)
@click.option("--reason", required=True, help="Why (the referrer reads it in cpkit).")
def referral_decline(referral_id: int, reason: str) -> None:
    """Decline referral REFERRAL_ID with a reason."""
    from cpkit.access import intake

    intake.decline(open_guarded_store(), referral_id, reason)
    click.echo(_("Referral {id} declined.").format(id=referral_id), err=True)
