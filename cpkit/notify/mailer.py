"""The mail outbox: notices become mail, mail goes through SMTP, every attempt recorded.

``CPKIT_SMTP_URL`` names the server: ``smtp://[user[:password]@]host[:port]`` with
``?starttls=auto`` (the default: encrypt when the server offers STARTTLS),
``?starttls=require`` (refuse to send in the clear) or ``?starttls=off``, and
``&from=cpkit@example.org``; ``smtps://`` for TLS from the first byte.
``CPKIT_BASE_URL`` is where users open cpkit (the link in each mail).

Why an outbox: a save writes its notices in its own transaction and is done; this module
sends later (``cpkit notify --send-due``), so a mail server that is down never blocks or
fails a save.  A failed send is retried with growing waits (1, 2, 4, ... minutes, at most
six hours between tries) and given up after :data:`MAX_ATTEMPTS`, each error recorded.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import insert, select, update

from cpkit.errors import BadInput
from cpkit.i18n import gettext
from cpkit.notify import kinds
from cpkit.store import Store
from cpkit.store.schema import contacts, mail_log, notifications

MAX_ATTEMPTS = 10
MAX_WAIT = dt.timedelta(hours=6)
TIMEOUT_S = 10
DELIVERIES = ("immediate", "daily", "off")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: str  # auto, require, off
    implicit_tls: bool
    sender: str

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise BadInput("CPKIT_SMTP_URL: expected smtp://host[:port] or smtps://host[:port]")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        starttls = query.get("starttls", "auto")
        if starttls not in ("auto", "require", "off"):
            raise BadInput("CPKIT_SMTP_URL: starttls must be auto, require or off")
        implicit = parts.scheme == "smtps"
        return cls(parts.hostname, parts.port or (465 if implicit else 25),
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None,
                   starttls, implicit, query.get("from", f"cpkit@{parts.hostname}"))


def settings() -> SmtpSettings | None:
    url = os.environ.get("CPKIT_SMTP_URL")
    return SmtpSettings.from_url(url) if url else None


def send(message: EmailMessage, smtp: SmtpSettings) -> None:
    """Hand one message to the SMTP server (raises on any refusal or network error)."""
    context = ssl.create_default_context()
    if smtp.implicit_tls:
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_S, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S)
    with client:
        client.ehlo()
        if not smtp.implicit_tls and smtp.starttls != "off":
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif smtp.starttls == "require":
                raise smtplib.SMTPException("the server does not offer STARTTLS")
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive times; they were written in UTC."""
    return value.replace(tzinfo=dt.UTC) if value and value.tzinfo is None else value


def set_contact(store: Store, user: str, email: str | None, delivery: str,
                lang: str | None = None) -> None:
    """Where and how ``user`` gets mail (``off``: inbox only)."""
    if delivery not in DELIVERIES:
        raise BadInput(f"delivery: {delivery!r} is not one of {', '.join(DELIVERIES)}")
    if delivery != "off" and (not email or "@" not in email or any(c in email for c in "\r\n ")):
        raise BadInput("email: an e-mail address (name@host) is needed for delivery "
                       f"{delivery}")
    values = {"email": email, "delivery": delivery, "lang": lang}
    with store.engine.begin() as conn:
        found = conn.execute(select(contacts.c.user_name)
                             .where(contacts.c.user_name == user)).first()
        if found:
            conn.execute(update(contacts).where(contacts.c.user_name == user).values(**values))
        else:
            conn.execute(insert(contacts).values(user_name=user, **values))


def queue_mail(store: Store, today: dt.date) -> int:
    """Turn notices not yet mailed into outbox rows: one mail per notice for
    ``immediate`` users, one digest a day for ``daily`` ones (an urgent notice,
    :data:`cpkit.notify.kinds.URGENT`, goes at once to them too).  Returns how many
    mails."""
    queued = 0
    with store.engine.begin() as conn:
        for contact in conn.execute(select(contacts).where(contacts.c.delivery != "off")).all():
            waiting = conn.execute(
                select(notifications).where(notifications.c.recipient == contact.user_name,
                                            notifications.c.mailed.is_(False))
                .order_by(notifications.c.id)).all()
            if not waiting:
                continue
            if contact.delivery == "immediate":
                batches = [[n] for n in waiting]
            else:  # urgent ones at once, the rest in one digest a day
                batches = [[n] for n in waiting if n.kind in kinds.URGENT]
                rest = [n for n in waiting if n.kind not in kinds.URGENT]
                if rest and (contact.last_digest_on is None or contact.last_digest_on < today):
                    batches.append(rest)
                    conn.execute(update(contacts)
                                 .where(contacts.c.user_name == contact.user_name)
                                 .values(last_digest_on=today))
            for batch in batches:
                conn.execute(insert(mail_log).values(
                    recipient=contact.user_name, address=contact.email,
                    subject=_subject(batch, contact.lang)[:300],
                    notification_ids=[n.id for n in batch], created_at=_now(),
                    status="pending", attempts=0, next_attempt_at=_now()))
                queued += 1
            sent = [n.id for batch in batches for n in batch]
            if sent:
                conn.execute(update(notifications).where(notifications.c.id.in_(sent))
                             .values(mailed=True))
    return queued


def _subject(batch: list, lang: str | None) -> str:
    if len(batch) == 1:
        return kinds.subject(batch[0].kind, batch[0].detail, lang)
    return gettext(kinds.DIGEST_SUBJECT, lang).format(count=len(batch))


def _body(conn, row, lang: str | None) -> str:
    found = conn.execute(select(notifications)
                         .where(notifications.c.id.in_(row.notification_ids))
                         .order_by(notifications.c.id)).all()
    base = os.environ.get("CPKIT_BASE_URL", "").rstrip("/")
    lines = []
    for notice in found:
        lines.append(kinds.line(notice.kind, notice.detail, lang))
        if base and notice.case_id:
            link = f"{base}/voila/render/index.ipynb?case={notice.case_id}"
            lines.append(gettext(kinds.LINK_LINE, lang).format(link=link))
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def wait_after(attempts: int) -> dt.timedelta:
    """How long to wait before the next try, after ``attempts`` failed ones."""
    return min(dt.timedelta(minutes=2 ** max(0, attempts - 1)), MAX_WAIT)


def deliver(store: Store, smtp: SmtpSettings | None = None,
            now: dt.datetime | None = None) -> dict[str, int]:
    """Try every pending mail whose time has come; record each outcome.  Returns counts
    of ``sent``, ``retrying`` and ``failed``."""
    smtp = smtp or settings()
    now = now or _now()
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    if smtp is None:
        return counts
    with store.engine.connect() as conn:
        due = conn.execute(select(mail_log).where(mail_log.c.status == "pending")
                           .order_by(mail_log.c.id)).all()
        langs = dict(conn.execute(select(contacts.c.user_name, contacts.c.lang)).all())
    for row in due:
        if _aware(row.next_attempt_at) and _aware(row.next_attempt_at) > now:
            continue
        with store.engine.connect() as conn:
            body = _body(conn, row, langs.get(row.recipient))
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = smtp.sender, row.address, row.subject
        message.set_content(body)
        try:
            send(message, smtp)
        except (OSError, smtplib.SMTPException) as err:
            attempts = row.attempts + 1
            gave_up = attempts >= MAX_ATTEMPTS
            values = {"attempts": attempts, "last_error": f"{type(err).__name__}: {err}"[:500],
                      "status": "failed" if gave_up else "pending",
                      "next_attempt_at": None if gave_up else now + wait_after(attempts)}
            counts["failed" if gave_up else "retrying"] += 1
        else:
            values = {"attempts": row.attempts + 1, "status": "sent", "sent_at": now,
                      "next_attempt_at": None}
            counts["sent"] += 1
        with store.engine.begin() as conn:
            conn.execute(update(mail_log).where(mail_log.c.id == row.id).values(**values))
    return counts


def mail_rows(store: Store) -> list[dict]:
    """The mail log, oldest first (to whom, what, when, delivered or the error)."""
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(mail_log).order_by(mail_log.c.id))]
