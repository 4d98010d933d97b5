"""Notification commands: ``cpkit notify``, ``cpkit inbox`` (``cpkit user contact`` is
with the other user commands)."""

from __future__ import annotations

import datetime as dt

import click

from cpkit.cli.base import DATE, main, open_guarded_store, today
from cpkit.i18n import _


@main.command()
@click.option("--send-due", is_flag=True, required=True,
              help="Raise the deadline notices due now and send the mail waiting.")
@click.option("--as-of", type=DATE, help="The day to judge deadlines on (default: today).")
def notify(send_due: bool, as_of: dt.datetime | None) -> None:
    """Tell people what they owe and what happened: for a scheduler (cron, systemd timer).

    Writes each user's notices (deadlines two working days ahead, deadlines missed),
    mails them through CPKIT_SMTP_URL (immediately or as a daily digest, as each user
    chose with `cpkit user contact`), and retries mail that failed before.  Mail holds
    case codes and what happened, never a child's name.
    """
    from cpkit.notify.due import raise_deadline_notices
    from cpkit.notify.mailer import deliver, queue_mail

    guard = open_guarded_store()
    guard.authorise("audit")
    day = as_of.date() if as_of else today()
    raised = raise_deadline_notices(guard.store, day)
    queued = queue_mail(guard.store, day)
    counts = deliver(guard.store)
    click.echo(_("{raised} new notice(s); {queued} mail(s) queued; {sent} sent, {retrying} to "
                 "retry, {failed} given up").format(raised=raised, queued=queued, **counts),
               err=True)


@main.command()
@click.option("--unread", is_flag=True, help="Only the notices not yet read.")
@click.option("--mark-read", is_flag=True, help="Mark every notice shown as read.")
def inbox(unread: bool, mark_read: bool) -> None:
    """Your notifications, newest first."""
    from cpkit.i18n.formatting import format_datetime
    from cpkit.notify import inbox as read_inbox
    from cpkit.notify import mark_read as mark

    guard = open_guarded_store()
    notices = read_inbox(guard.store, guard.user, unread_only=unread)
    if not notices:
        click.echo(_("No notifications."))
    for notice in notices:
        mark_ = " " if notice.read_at else "*"
        click.echo(f"{mark_} {format_datetime(notice.created_at)}  {notice.line()}")
    if mark_read and notices:
        mark(guard.store, guard.user, [n.id for n in notices])
