"""What a report is about: the case, the meeting, the language and whether it is redacted.

The notebook and the renderer both go through :func:`select_meeting`, so a report about
a meeting that does not exist (or a closure form for an open case) is refused the same
way before anything is executed or written.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field

from cpkit import protocol, resources
from cpkit.errors import BadInput
from cpkit.i18n import gettext
from cpkit.model import Case, Meeting
from cpkit.reports import parameters
from cpkit.rules.meetings import held_meetings, live_meetings, next_meeting_date

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
        raise BadInput(f"{code}: the case is not closed; there is no closure form to render")
    if report == "care-plan" and not (case.care_plan.agreed_on or case.care_plan.actions):
        raise BadInput(f"{code}: no care plan has been agreed; there is nothing to render")
    if report == "minutes":
        if not held:
            raise BadInput(f"{code}: no meeting (CMR) has been held; there are no minutes")
        if meeting_date is None:
            return held[max(held)]
        if meeting_date not in held:
            raise BadInput(f"{code}: no meeting (CMR) was held on {meeting_date}")
        return held[meeting_date]
    if report == "invitation":
        planned = _planned(case)
        if meeting_date is None:
            if planned is None:
                raise BadInput(f"{code}: no meeting is planned; plan one (cpkit meeting plan) "
                               "or give the date of a recorded meeting with --meeting")
            return planned
        if meeting_date in live:
            return live[meeting_date]
        if planned is not None and planned.date == meeting_date:
            return planned
        raise BadInput(f"{code}: no meeting (CMR) is recorded or planned on {meeting_date}")
    if meeting_date is not None and report in ("closure", "care-plan", "case"):
        if meeting_date not in held:
            raise BadInput(f"{code}: no meeting (CMR) was held on {meeting_date}")
        return held[meeting_date]
    return None


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


def as_at_meeting(case: Case, history: list[Case], day: dt.date) -> Case:
    """The case as it stood when the meeting on ``day`` was recorded as held: the
    assessment and the care plan of that version (the store keeps every version),
    everything about the meetings and the closure as they are now.  ``history`` is
    oldest first; without a version recording the meeting, the case as it is."""
    for version in history:
        if any(m.date == day and m.held for m in version.meetings):
            document = case.to_document()
            then = version.to_document()
            for key in ("assessment", "care_plan"):
                if key in then:
                    document[key] = then[key]
                else:
                    document.pop(key, None)
            return Case.model_validate(document)
    return case


@dataclass
class Redactor:
    """Takes the child's identifying values out of free text (names, birth date, address)."""

    replacements: list[tuple[re.Pattern, str]] = field(default_factory=list)

    @classmethod
    def for_case(cls, case: Case, lang: str) -> Redactor:
        """Patterns for this child: the address, names (with their inflected forms, as
        Albanian and Serbian text writes them: Ëndrinës, Милице) and the birth date in
        ISO and in the displayed form.  Over-redacting a word is preferred to leaking.
        """
        child = case.child
        found: list[tuple[str, str]] = []
        if child.address:
            found.append((re.escape(_nfc(child.address)), gettext("[address withheld]", lang)))
        if child.given_name and child.family_name:
            full = f"{_name(child.given_name)}\\s+{_name(child.family_name)}"
            found.append((full, gettext("[child]", lang)))
        if child.given_name and len(child.given_name.strip()) > 1:
            found.append((_name(child.given_name), gettext("[child]", lang)))
        if child.family_name and len(child.family_name.strip()) > 1:
            found.append((_name(child.family_name), gettext("[family name]", lang)))
        if child.date_of_birth:
            for shown in (child.date_of_birth.isoformat(), show_date(child.date_of_birth)):
                found.append((re.escape(shown), gettext("[date withheld]", lang)))
        # Longest first, so a full name and the address go before their parts.
        found.sort(key=lambda pair: len(pair[0]), reverse=True)
        return cls([(re.compile(p, re.IGNORECASE), r) for p, r in found])

    def __call__(self, text: str) -> str:
        text = _nfc(text)
        for pattern, replacement in self.replacements:
            text = pattern.sub(replacement, text)
        return text


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _name(name: str) -> str:
    """A pattern for a name and its case endings: the name less its last letter (when it
    is long enough) followed by up to three letters, as a whole word."""
    name = _nfc(name.strip())
    stem = name[:-1] if len(name) >= 5 else name
    return rf"(?<!\w){re.escape(stem)}\w{{0,3}}(?!\w)"


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
    redactor: Redactor = field(default_factory=Redactor)

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
        """A value from the case as safe HTML: redacted when asked, then escaped."""
        if value is None or value == "":
            return "–"
        if isinstance(value, dt.date):
            return html.escape(show_date(value))
        if isinstance(value, bool):
            return self.t("Yes") if value else self.t("No")
        text = str(value)
        if self.redact:
            text = self.redactor(text)
        return html.escape(text)

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
              store=None) -> ReportContext:
    """Check the parameters, load the case through cpkit and pick the meeting.

    ``case_id`` ``""`` means the bundled fictional example case (nothing read from the
    store), so the notebook runs as it is; otherwise the case comes from ``store``
    (default: :class:`cpkit.store.Store` at ``CPKIT_DB`` / ``CPKIT_HOME``).  ``as_of``
    ``""`` means today for a stored case and 22 November 2026 for the example.
    """
    params = parameters.check({"case_id": case_id, "report": report,
                               "meeting_date": meeting_date, "lang": lang,
                               "redact": redact, "as_of": as_of})
    if params["case_id"] == "":
        case, version, default_day = example_case(), None, EXAMPLE_AS_OF
    else:
        if store is None:
            from cpkit.store import Store

            store = Store(migrate=False)  # whoever pointed us at it has migrated it
        record = store.get(params["case_id"])
        case, version, default_day = record.case, record.version, dt.date.today()
        if params["report"] == "minutes":  # the case as it stood at the meeting
            wanted = select_meeting(case, "minutes", _day(params["meeting_date"]))
            history = [r.case for r, _at, _by in store.history(params["case_id"])]
            case = as_at_meeting(case, history, wanted.date)
    day = dt.date.fromisoformat(params["as_of"]) if params["as_of"] else default_day
    wanted = dt.date.fromisoformat(params["meeting_date"]) if params["meeting_date"] else None
    meeting = select_meeting(case, params["report"], wanted)
    return ReportContext(case=case, version=version, report=params["report"],
                         lang=params["lang"], redact=params["redact"], as_of=day,
                         meeting=meeting, redactor=Redactor.for_case(case, params["lang"]))
