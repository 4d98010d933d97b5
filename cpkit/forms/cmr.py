"""A Case Management Roundtable (CMR) meeting: planned or held, who came, what was
agreed, when next.

The invitees are chosen by the protocol's rule ("for the initial CMR and when it is
proposed to close a case all agencies should be invited; in follow up CMRs only those
agencies who are involved"), shown ticked and editable, and kept apart from the
attendance: the participants are pre-filled from the agencies' answers (attending, or
the substitute they named), never from the invitation, and stay editable.  The next
meeting defaults to one month later; another date needs a reason in the minutes.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.base import CaseForm, form_url
from cpkit.forms.dates import WorkingDayCheck
from cpkit.forms.docpath import get_in
from cpkit.forms.fields import ChecklistField, esc, link, note, section
from cpkit.forms.risk import _date
from cpkit.i18n import N_, _, gettext
from cpkit.model import Case
from cpkit.rules.calendar import add_months, calendar
from cpkit.rules.meetings import invited_agencies
from cpkit.summary_text import risk_reason


def _options(kind: str, keys) -> list[tuple[str, str]]:
    return [(protocol.label(kind, key), key) for key in keys]


def expected_participants(meeting: dict) -> list[dict]:
    """Attendance as the answers announce it: each agency that answered "attending"
    (by the name it gave), and the substitute each "substitute" answer named."""
    out = []
    for invitee in meeting.get("invited") or []:
        agency, answer = invitee.get("agency"), invitee.get("answer")
        role = gettext(protocol.AGENCIES[agency]["representative"]) if agency else ""
        if answer == "attending":
            out.append({"agency": agency, "name": invitee.get("name") or "", "role": role})
        elif answer == "substitute":
            out.append({"agency": agency, "name": invitee.get("substitute") or "",
                        "role": _("substitute")})
    return out


class MeetingForm(CaseForm):
    form = "cmr"
    title = N_("CMR meeting")

    def __init__(self, case_id: str | None = None, meeting: int | None = None, **kwargs):
        self.meeting_index = meeting
        super().__init__(case_id, **kwargs)

    @classmethod
    def query_kwargs(cls, params: dict[str, str]) -> dict:
        value = params.get("meeting", "")
        return {"meeting": int(value)} if value.isdigit() else {}

    @property
    def is_new(self) -> bool:
        return self.meeting_index is None or self.meeting_index >= len(self._meetings())

    def _meetings(self) -> list[dict]:
        return self.document.get("meetings") or []

    @property
    def draft_key(self) -> str:
        return "cmr-new" if self.is_new else f"cmr-{self.meeting_index}"

    def build(self) -> list[w.Widget]:
        if self.meeting_index is None or self.meeting_index > len(self._meetings()):
            self.meeting_index = len(self._meetings())
        self.base_case = Case.model_validate(self.document)
        p = f"meetings[{self.meeting_index}]"
        a = self.add
        self.kind = a(fields.choice(f"{p}.kind", _("Kind of meeting"),
                                    _options("meeting_kind", protocol.MEETING_KINDS),
                                    default="initial", radio=False))
        self.date = a(fields.date(f"{p}.date", _("Meeting date")))
        self.meeting_status = a(fields.choice(f"{p}.status", _("Status"),
                                      _options("meeting_status", protocol.MEETING_STATUSES),
                                      default="held", radio=True))
        self.next_meeting = a(fields.date(f"{p}.next_meeting", _("Next meeting")))
        self.date_check = WorkingDayCheck(self.date)  # weekends and holidays flagged
        self.next_check = WorkingDayCheck(self.next_meeting)
        self.participants = self.rows(
            f"{p}.participants", self._person_row,
            title=lambda i, _item: _("Participant {n}").format(n=i + 1),
            add_label=_("Add participant"), cls="cpkit-participants")
        self.apologies = self.rows(
            f"{p}.apologies", self._apology_row,
            title=lambda i, _item: _("Apology {n}").format(n=i + 1),
            add_label=_("Add apology"), cls="cpkit-apologies")
        self.invitees = ChecklistField(
            f"{p}.invited", _("Invited agencies"),
            [(key, protocol.label("agency", key)) for key in protocol.agency_keys()],
            other=False)
        self.invitees.widget.add_class("cpkit-invitees")
        self.risk_hint = note("")
        self.meeting_nav = self._meeting_list()
        meeting = section(_("Meeting"), [
            self.meeting_nav, self.kind.box, self.meeting_status.box, self.date.box,
            a(fields.text(f"{p}.time", _("Time (HH:MM)"))).box,
            a(fields.text(f"{p}.venue", _("Venue"))).box,
            a(fields.text(f"{p}.cancelled_reason", _("Reason for cancelling"))).box,
            a(fields.text(f"{p}.chair", _("Chair"))).box,
            a(fields.text(f"{p}.minute_taker", _("Minute taker"))).box])
        people = section(_("Participants"), [
            note(_("Who attended. Pre-filled from the agencies' answers to the invitation "
                   "(attending, or the substitute they named); the invitation itself goes to "
                   "all agencies for initial and closure meetings, the agencies involved for "
                   "reviews. Edit as needed.")),
            self.invitees.widget,
            self.participants.box,
            w.HTML(f"<div class='cpkit-checklist-title'>{esc(_('Apologies'))}</div>"),
            self.apologies.box])
        before = section(_("Before the meeting"), [
            note(_("Each is a protocol deadline: the invitation and agenda 3 days before, "
                   "the assessment and the draft plan 2 working days before the initial CMR, "
                   "the family notified and their views sought.")),
            a(fields.date(f"{p}.invitation_sent_on", _("Invitation and agenda sent on"))).box,
            a(fields.date(f"{p}.assessment_sent_on", _("Assessment sent on"))).box,
            a(fields.date(f"{p}.draft_plan_sent_on", _("Draft care plan sent on"))).box,
            a(fields.date(f"{p}.family_notified_on", _("Family and child notified on"))).box,
            a(fields.date(f"{p}.views_sought_on", _("Their views sought on"))).box,
            a(fields.yes_no(f"{p}.family_will_attend", _("Family will attend"))).box,
            a(fields.text(f"{p}.attendance_support", _("Support to attend"))).box])
        family = section(_("Family and child"), [
            a(fields.yes_no(f"{p}.family_attended", _("Family attended"))).box,
            a(fields.yes_no(f"{p}.child_attended", _("Child attended"))).box,
            a(fields.text(f"{p}.family_views", _("Family's views"), multiline=True)).box,
            a(fields.text(f"{p}.child_views", _("Child's views"), multiline=True)).box,
            a(fields.date(f"{p}.outcome_told_on",
                          _("Outcome told to the absent family and child on"))).box])
        outcome = section(_("Discussion and decisions"), [
            a(fields.text(f"{p}.discussion", _("Discussion"), multiline=True, rows=4)).box,
            self.risk_hint,
            a(fields.choice(f"{p}.agreed_risk_level", _("Agreed risk level"),
                            _options("level", ["none", *protocol.LEVELS]))).box,
            a(fields.lines(f"{p}.decisions", _("Decisions"), rows=4)).box,
            self.next_meeting.box,
            note(_("One month after the meeting unless agreed otherwise; give the reason when "
                   "another date is chosen.")),
            a(fields.text(f"{p}.next_meeting_reason", _("Reason for another date"),
                          multiline=True, rows=2)).box,
            a(fields.date(f"{p}.minutes_distributed_on", _("Minutes distributed on"))).box])
        return [meeting, before, people, family, outcome]

    def document_kinds(self) -> list[tuple[str, str]]:
        return [("minutes", _("the minutes")), ("invitation", _("the invitation"))]

    def meeting_date(self):
        """The minutes of this meeting once it is saved as held (else the latest)."""
        from cpkit.rules.meetings import is_held

        meetings = self._meetings()
        if self.meeting_index is not None and self.meeting_index < len(meetings):
            meeting = meetings[self.meeting_index]
            if is_held(meeting) and meeting.get("date"):
                return _date(str(meeting["date"]))
        return None

    def _meeting_list(self) -> w.HTML:
        items = []
        for i, m in enumerate(self._meetings()):
            text = f"{m.get('date')} {protocol.label('meeting_kind', m.get('kind', 'review'))}"
            cls = "cpkit-link current" if i == self.meeting_index else "cpkit-link"
            items.append(link(form_url("cmr", self.case_id, meeting=i), text, cls))
        cls = "cpkit-link current" if self.is_new else "cpkit-link"
        items.append(link(form_url("cmr", self.case_id), _("New meeting"), cls))
        return w.HTML(f"<nav class='cpkit-nav'>{' '.join(items)}</nav>")

    def _person_row(self, prefix: str, _index: int, _item: dict):
        return [fields.choice(f"{prefix}.agency", _("Agency"),
                              _options("agency", protocol.agency_keys()), rel="agency"),
                fields.text(f"{prefix}.name", _("Name"), rel="name"),
                fields.text(f"{prefix}.role", _("Role"), rel="role")], []

    def _apology_row(self, prefix: str, index: int, item: dict):
        row, _extra = self._person_row(prefix, index, item)
        return [*row, fields.date(f"{prefix}.notified_on", _("Notified on"),
                                  rel="notified_on")], []

    # -- filling, defaults ------------------------------------------------------------

    def fill_extra(self, document: dict) -> None:
        p = f"meetings[{self.meeting_index}]"
        meeting = get_in(document, p)
        if meeting is None:  # a new meeting: the protocol's defaults
            kind = "review" if self._meetings() else "initial"
            day = self.today
            self.kind.set(kind)
            self.kind.present = True  # a new meeting always records its kind
            self.meeting_status.present = True  # and whether it is planned or held
            self.date.set(day.isoformat())
            self.next_meeting.set(add_months(day, 1).isoformat())
            self.participants.set([])
            self.apologies.set([])
            meeting = {"kind": kind}
            self.invitees.set(invited_agencies(self.base_case, kind))
        else:
            attended = meeting.get("participants")
            if not attended and meeting.get("status") == "planned":
                attended = expected_participants(meeting)
            self.participants.set(attended)
            self.apologies.set(meeting.get("apologies"))
            invited = meeting.get("invited")
            self.invitees.set([i.get("agency") for i in invited] if invited else
                              invited_agencies(self.base_case, meeting.get("kind") or "review"))
        self._invitees_by_rule = self.invitees.get()
        self._shown_kind = self.kind.get()
        self._shown_date = _date(self.date.get())
        self._prefilled = self.participants.get()

    def collect_extra(self, document: dict) -> None:
        meeting = document.setdefault("meetings", [])[self.meeting_index]
        if meeting.get("kind"):  # the invitees as ticked, kept apart from attendance
            meeting["invited"] = self._invited(meeting.get("invited") or [])
        for key, rows in (("participants", self.participants), ("apologies", self.apologies)):
            value = rows.get()
            if value or key in meeting:
                meeting[key] = value

    def _invited(self, stored: list[dict]) -> list[dict]:
        """The ticked agencies, each keeping what it has answered or reported."""
        by_agency = {i.get("agency"): i for i in stored}
        return [by_agency.get(key) or {"agency": key} for key in self.invitees.get()]

    def on_change(self) -> None:
        if not hasattr(self, "_shown_kind"):
            return
        kind = self.kind.get()
        if kind != self._shown_kind:
            self._shown_kind = kind
            if self.invitees.get() == self._invitees_by_rule:  # untouched: follow the rule
                self._invitees_by_rule = invited_agencies(self.base_case, kind)
                self.invitees.set(self._invitees_by_rule)
        day = _date(self.date.get())
        if day and day != self._shown_date:
            old = self._shown_date
            self._shown_date = day
            month = add_months(old, 1) if old else None
            if month and _date(self.next_meeting.get()) in (
                    month, calendar().next_working_day(month)):
                self.next_meeting.set(add_months(day, 1).isoformat())
        self.risk_hint.value = "<div class='cpkit-note'>" + esc(
            _("Assessed risk: {reason}").format(reason=risk_reason(self.base_case))) + "</div>"

    def after_save(self, record) -> None:
        super().after_save(record)
        self.base_case = record.case
        self.meeting_nav.value = self._meeting_list().value
