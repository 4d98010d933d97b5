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
    "invitation": (
        N_("cpkit: your agency is invited to a CMR of case {code} on {meeting}"),
        N_("Your agency is invited to the {meeting_kind} of case {code} on {meeting}; "
           "answer the invitation in cpkit."),
    ),
    "invitation_answered": (
        N_("cpkit: {agency} answered the invitation for case {code}"),
        N_("{agency} answered the invitation to the CMR of {meeting} for case {code}: "
           "{answer}."),
    ),
    "progress_report_received": (
        N_("cpkit: a progress report from {agency} for case {code}"),
        N_("{agency} sent its progress report for the CMR of {meeting} (case {code}); "
           "read it in cpkit."),
    ),
    "minutes_distributed": (
        N_("cpkit: the minutes of a CMR of case {code} were distributed"),
        N_("The minutes of the CMR of {meeting} for case {code} were distributed; read "
           "them and acknowledge receipt in cpkit."),
    ),
    "action_cannot_comply": (
        N_("cpkit: {agency} cannot carry out action {action} of case {code}"),
        N_("{agency} says it cannot carry out action {action} of the care plan of case "
           "{code}; its reason is in cpkit. An alternative action is needed."),
    ),
    "case_reopened": (
        N_("cpkit: case {code} was reopened"),
        N_("Case {code} was reopened by {by} after a further referral from {agency}; "
           "its assessment starts again."),
    ),
}
# Told at once even to someone who chose a daily digest: the protocol says
# "immediately notify the case manager".
URGENT = frozenset({"action_cannot_comply"})
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
    for key in ("due", "meeting"):
        if key in out:
            out[key] = format_date(dt.date.fromisoformat(out[key]), lang, "medium")
    if "meeting_kind" in out:
        out["meeting_kind"] = protocol.label("meeting_kind", out["meeting_kind"], lang)
    if "answer" in out:
        out["answer"] = protocol.label("invitation_answer", out["answer"], lang)
    return out


def subject(kind: str, detail: dict, lang: str | None = None) -> str:
    return gettext(KINDS[kind][0], lang).format(**_values(detail, lang))


def line(kind: str, detail: dict, lang: str | None = None) -> str:
    return gettext(KINDS[kind][1], lang).format(**_values(detail, lang))
