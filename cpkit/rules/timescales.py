"""The protocol's timescales (:data:`cpkit.protocol.TIMESCALES`): due dates and names.

One table says, for each deadline, how much of which unit before or after which
event; :func:`due` computes a due date from a row and :func:`describe` writes the
row in words ("3 days before the CMR"), so a deadline's rule and its name come from
the same numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cpkit import protocol
from cpkit.i18n import gettext, ngettext

if TYPE_CHECKING:  # the holiday tables only where a date is computed
    from cpkit.rules.calendar import Calendar

_ROWS = {row["key"]: row for row in protocol.TIMESCALES}
UNITS = ("working_days", "days", "hours", "weeks", "months")


def row(key: str) -> dict:
    """The timescale ``key`` (a deadline kind, or ``care_plan_initial`` /
    ``care_plan_review``)."""
    return _ROWS[key]


def rows_of(kind: str) -> list[dict]:
    """The timescales of one deadline kind, in table order."""
    return [r for r in protocol.TIMESCALES if r["kind"] == kind]


def kinds() -> list[str]:
    """Every deadline kind, in the order a case meets them."""
    return list(dict.fromkeys(r["kind"] for r in protocol.TIMESCALES))


def due(key: str, event: dt.date, cal: Calendar) -> dt.date:
    """The due date of timescale ``key`` counted from ``event`` (hours count in whole
    days: "24 hours before" a meeting is the day before it)."""
    spec = _ROWS[key]
    amount = spec["amount"] if spec["direction"] == "after" else -spec["amount"]
    unit = spec["unit"]
    if unit == "working_days":
        return cal.add_working_days(event, amount)
    if unit == "months":
        from cpkit.rules.calendar import add_months

        return add_months(event, amount)
    days = {"days": 1, "weeks": 7, "hours": 1 / 24}[unit] * amount
    return event + dt.timedelta(days=int(days))


def _span(unit: str, direction: str, n: int, lang: str | None) -> str:
    """"{n} <unit> before/after {event}", with the plural the language needs."""
    before = direction == "before"
    if unit == "working_days":
        return (ngettext("{n} working day before {event}", "{n} working days before {event}",
                         n, lang) if before else
                ngettext("{n} working day after {event}", "{n} working days after {event}",
                         n, lang))
    if unit == "days":
        return (ngettext("{n} day before {event}", "{n} days before {event}", n, lang)
                if before else
                ngettext("{n} day after {event}", "{n} days after {event}", n, lang))
    if unit == "hours":
        return (ngettext("{n} hour before {event}", "{n} hours before {event}", n, lang)
                if before else
                ngettext("{n} hour after {event}", "{n} hours after {event}", n, lang))
    if unit == "weeks":
        return (ngettext("{n} week before {event}", "{n} weeks before {event}", n, lang)
                if before else
                ngettext("within {n} week of {event}", "within {n} weeks of {event}", n, lang))
    return (ngettext("{n} month before {event}", "{n} months before {event}", n, lang)
            if before else
            ngettext("{n} month after {event}", "{n} months after {event}", n, lang))


def describe(key: str, lang: str | None = None) -> str:
    """The timescale in words, e.g. "3 days before the CMR"."""
    spec = _ROWS[key]
    event = gettext(protocol.TIMESCALE_EVENTS[spec["event"]], lang)
    return _span(spec["unit"], spec["direction"], spec["amount"], lang).format(
        n=spec["amount"], event=event)


def label(kind: str, lang: str | None = None) -> str:
    """A deadline kind as a reader sees it: the duty and its timescale(s), e.g.
    "Progress report sent (3 days before each follow-up CMR)"."""
    found = rows_of(kind)
    if not found:
        return gettext("Deadline", lang)
    spans = "; ".join(describe(r["key"], lang) for r in found)
    return f"{gettext(found[0]['duty'], lang)} ({spans})"


def deadline_text(kind: str, meeting: object = None, lang: str | None = None) -> str:
    """A deadline as a reader reads it in a list: its kind's name, with the date of the
    meeting it comes with, for one that comes with each meeting."""
    text = label(kind, lang)
    return f"{text} ({meeting})" if meeting else text
