"""What each kind of notification says: a subject and a line, through the catalogs.

Every placeholder is a case code, a date, a number, a staff member's name or a protocol
word: never the child's name, birth date or address (the protocol: sensitive data
"should not be transmitted by email").  Free text a user typed (a sign-off comment) is
never quoted: the notice says where to read it.
"""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.i18n import N_, gettext
from cpkit.i18n.formatting import format_date
from cpkit.rules.deadlines import label

KINDS = {
    "deadline_due": (
        N_("cpkit: {deadline} for case {code} is due on {due}"),
        N_("{deadline}: due on {due} for case {code}."),
    ),
    "deadline_missed": (
        N_("cpkit: {deadline} for case {code} is overdue"),
        N_("{deadline}: was due on {due} for case {code} ({days} day(s) late)."),
    ),
    "report_returned": (
        N_("cpkit: a report of case {code} was returned at sign-off"),
        N_("A report of case {code} was returned at sign-off by {by}; the comment is in "
           "cpkit, on the case's form."),
    ),
    "transfer_requested": (
        N_("cpkit: case {code} is offered to you"),
        N_("{by} asks you to take over case {code}; accept or decline it in cpkit."),
    ),
    "transfer_decided": (
        N_("cpkit: your transfer of case {code} was answered"),
        N_("{by} has {status} the transfer of case {code}."),
    ),
    "referral_received": (
        N_("cpkit: a referral from {agency} is waiting for intake"),
        N_("Referral {id} from {agency} is waiting for intake."),
    ),
    "referral_decided": (
        N_("cpkit: your referral {id} was answered"),
        N_("Referral {id} was {status} by {by} (case {code}); see it in cpkit."),
    ),
}
TRANSFER_STATUS = {"accepted": N_("accepted"), "declined": N_("declined")}
DIGEST_SUBJECT = N_("cpkit: {count} notification(s) for you")
LINK_LINE = N_("Open in cpkit: {link}")


def _values(detail: dict, lang: str | None) -> dict:
    """The detail's values as words of ``lang`` (deadline names, dates)."""
    out = dict(detail)
    if "agency" in out:
        out["agency"] = protocol.label("agency", out["agency"], lang)
    if "deadline" in out:
        out["deadline"] = label(out["deadline"], lang)
    if "status" in out:
        out["status"] = gettext(TRANSFER_STATUS[out["status"]], lang)
    if "due" in out:
        out["due"] = format_date(dt.date.fromisoformat(out["due"]), lang, "medium")
    return out


def subject(kind: str, detail: dict, lang: str | None = None) -> str:
    return gettext(KINDS[kind][0], lang).format(**_values(detail, lang))


def line(kind: str, detail: dict, lang: str | None = None) -> str:
    return gettext(KINDS[kind][1], lang).format(**_values(detail, lang))
