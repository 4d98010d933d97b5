"""What a report is about: the case, the meeting, the language and whether it is redacted.

The notebook and the renderer both go through :func:`select_meeting`, so a report about
a meeting that does not exist (or a closure form for an open case) is refused the same
way before anything is executed or written.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass

from cpkit import protocol, resources
from cpkit.access.redact import is_redacted, redact_identity
from cpkit.errors import BadInput
from cpkit.i18n import gettext
from cpkit.model import Case, Meeting
from cpkit.protocol import municipalities
from cpkit.reports import parameters
from cpkit.reports.missing import NoDocument, no_care_plan, no_meeting_held, not_closed
from cpkit.rules.meetings import (  # noqa: F401 (as_at_meeting: re-exported)
    as_at_meeting,
    held_meetings,
    live_meetings,
    next_meeting_date,
)

# The fictional case the notebook shows when no case code is given.
EXAMPLE = resources.EXAMPLE_CASE
EXAMPLE_AS_OF = dt.date(2026, 11, 22)




def select_meeting(case: Case, report: str, meeting_date: dt.date | None) -> Meeting | None:
    """The meeting a report is about; :class:`BadInput` when the report cannot be made.

    Minutes: the meeting held on ``meeting_date`` (default: the latest held one; a
    planned or cancelled meeting has no minutes).  Invitation: a planned or held
    meeting (the initial CMR of a new case included); the default is the next planned
    one, else the review planned at the latest meeting.  Closure form: the case must be
    closed.  Care plan: it must have been agreed or hold actions.  The message names
    the case code only.
    """
    code = case.code
    held = {m.date: m for m in held_meetings(case)}
    live = {m.date: m for m in live_meetings(case)}
    if report == "closure" and case.closure is None:
        raise not_closed(code)
    if report == "care-plan" and not (case.care_plan.agreed_on or case.care_plan.actions):
        raise no_care_plan(code)
    if report == "minutes":
        if not held:
            raise no_meeting_held(code)
        if meeting_date is None:
            return held[max(held)]
        if meeting_date not in held:
            raise NoDocument(f"{code}: no meeting (CMR) was held on {meeting_date}")
        return held[meeting_date]
    if report == "invitation":
        planned = _planned(case)
        if meeting_date is None:
            if planned is None:
                raise NoDocument(f"{code}: no meeting is planned; plan one (cpkit meeting plan) "
                                 "or give the date of a recorded meeting with --meeting")
            return planned
        if meeting_date in live:
            return live[meeting_date]
        if planned is not None and planned.date == meeting_date:
            return planned
        raise NoDocument(f"{code}: no meeting (CMR) is recorded or planned on {meeting_date}")
    if meeting_date is not None and report in ("closure", "care-plan", "case"):
        if meeting_date not in held:
            raise NoDocument(f"{code}: no meeting (CMR) was held on {meeting_date}")
        return held[meeting_date]
    return None


@dataclass(frozen=True)
class ReadyCase:
    """A case read for one report through the guard: the record, the meeting, redacted?"""

    record: object  # cpkit.access.GuardedRecord
    meeting: Meeting | None
    redact: bool


def read_for_render(guard, case_id: str, kind: str, *, redact: bool, lang: str, fmt: str,
                    meeting_date: dt.date | None = None, as_of: dt.date | None = None,
                    distributed_on: dt.date | None = None,
                    names: dict[str, str] | None = None) -> ReadyCase:
    """Read ``case_id`` once through ``guard`` for report ``kind``, or refuse.

    Refused before anything is imported or started: a user who may not render (or, with
    ``distributed_on``, may not edit: marking a document distributed changes the case),
    no such case, no such document.  The copy is redacted when asked or when the user
    may not see the child's identity: decided by the guarded read itself, on the facts it
    read with the case (the rule of :meth:`Guard.redaction_needed`), so one statement
    reads, decides and redacts.  Minutes show the case as it stood at their meeting.
    ``names``: the users' display names (:func:`cpkit.access.users.display_names`), when
    the caller read them once for several reports.
    """
    if distributed_on is not None:
        if kind not in ("minutes", "care-plan"):
            raise BadInput(f"--distributed applies to minutes and care plans, not to {kind}")
        guard.authorise("edit", case_id, reason="marking a document distributed changes "
                                                "the case")
    record = guard.get(case_id, "render", redact=redact, as_of=as_of, lang=lang,
                       detail={"kind": kind, "format": fmt},
                       at_meeting=(meeting_date or True) if kind == "minutes" else None)
    from dataclasses import replace

    from cpkit.access.users import shown_by_names

    # never a login
    record = replace(record, case=shown_by_names(guard.store, record.case, names))
    return ReadyCase(record, select_meeting(record.case, kind, meeting_date), record.redacted)


def _planned(case: Case) -> Meeting | None:
    """The next planned CMR, else the review planned at the latest held meeting, while
    the case is open."""
    if case.closure is not None:
        return None
    planned = [m for m in case.meetings if m.planned]
    if planned:
        return min(planned, key=lambda m: m.date)
    held = held_meetings(case)
    if not held:
        return None
    latest = held[-1]
    return Meeting(date=next_meeting_date(latest), kind="review", chair=latest.chair)


def show_date(day: dt.date | None) -> str:
    """Dates as forms in Kosovo write them: 29.09.2026."""
    return day.strftime("%d.%m.%Y") if day else "–"


@dataclass
class ReportContext:
    """One case seen for one report: values come out translated, redacted and escaped."""

    case: Case
    version: int | None
    report: str
    lang: str
    redact: bool
    as_of: dt.date
    meeting: Meeting | None = None

    def _(self, message: str) -> str:
        """``message`` translated into the report's language (not escaped)."""
        return gettext(message, self.lang)

    def t(self, message: str) -> str:
        """``message`` translated and escaped for HTML."""
        return html.escape(self._(message))

    def label(self, kind: str, key: str | None) -> str:
        """A protocol label, translated and escaped; an unknown key is shown as written."""
        if key is None:
            return "–"
        try:
            return html.escape(protocol.label(kind, key, self.lang))
        except KeyError:
            return self.text(key)

    def text(self, value: object) -> str:
        """A value from the case as safe HTML, escaped.  A redacted report's case has
        already been redacted (by the guard on the host, see :func:`open_case`)."""
        if value is None or value == "":
            return "–"
        if isinstance(value, dt.date):
            return html.escape(show_date(value))
        if isinstance(value, bool):
            return self.t("Yes") if value else self.t("No")
        return html.escape(str(value))

    def municipality(self) -> str:
        """The case's municipality in the report's language, escaped."""
        return self.text(municipalities.name(self.case.municipality, self.lang))

    def item(self, value: str) -> str:
        """A protocol item key (shown as its label) or the worker's own text."""
        return self.text(protocol.item_label(value, self.lang))

    @property
    def code(self) -> str:
        return self.case.code


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def example_case() -> Case:
    """The fictional example case shipped with cpkit (package data), for a notebook run by hand."""
    from cpkit import exchange

    return exchange.load_case(exchange.read_file(EXAMPLE)[0][0])


def open_case(case_id: str = "", report: str = "case", meeting_date: str = "",
              lang: str = "en", redact: bool = True, as_of: str = "",
              case_document: str = "", store=None) -> ReportContext:
    """Check the parameters, take the case and pick the meeting.

    The kernel never opens the case store: ``cpkit render`` reads the case on the host
    through :class:`cpkit.access.Guard` (redacted where the user may not see the
    child's identity) and hands it over as ``case_document`` (JSON text).  ``case_id``
    ``""`` means the bundled fictional example case.  ``store`` is for the host and the
    tests: anything with ``get(case_id)`` (a guard, a store).  A case that should be
    redacted and is not yet is redacted here with the one redactor
    (:mod:`cpkit.access.redact`).  ``as_of`` ``""`` means today for a stored case and
    22 November 2026 for the example.
    """
    params = parameters.check({"case_id": case_id, "report": report,
                               "meeting_date": meeting_date, "lang": lang,
                               "redact": redact, "as_of": as_of,
                               "case_document": case_document})
    if params["case_document"]:
        case, default_day = Case.model_validate(json.loads(case_document)), dt.date.today()
    elif params["case_id"] == "":
        case, default_day = example_case(), EXAMPLE_AS_OF
    elif store is not None:  # the host or a test: the minutes show the case as it was
        case, default_day = store.get(params["case_id"]).case, dt.date.today()
        if params["report"] == "minutes" and hasattr(store, "history"):
            wanted = select_meeting(case, "minutes", _day(params["meeting_date"]))
            history = [r.case for r, _at, _by in store.history(params["case_id"])]
            case = as_at_meeting(case, history, wanted.date)
    else:
        raise BadInput(f"{params['case_id']}: no case document given (render the report "
                       "with `cpkit render`, which reads the case through the guard)")
    day = dt.date.fromisoformat(params["as_of"]) if params["as_of"] else default_day
    if params["redact"] and not is_redacted(case):
        case = redact_identity(case, day, params["lang"])
    wanted = dt.date.fromisoformat(params["meeting_date"]) if params["meeting_date"] else None
    meeting = select_meeting(case, params["report"], wanted)
    return ReportContext(case=case, version=None, report=params["report"],
                         lang=params["lang"], redact=params["redact"], as_of=day,
                         meeting=meeting)

