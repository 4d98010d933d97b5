"""The agency member's page: what the Task Force asks of their agency.

For each CMR their agency is invited to: the invitation to answer (attending,
apologies with the information they have, a substitute, Article 8), the written
progress report on the care-plan actions their agency is responsible for (a status
and a note on each, and free text), the minutes to acknowledge.  Every write goes
through :meth:`cpkit.access.guard.Guard.write_agency_part`: their own part and nothing
else, versioned, conflict-checked, audited.  Case codes only; in the user's language.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from cpkit import protocol
from cpkit.access.served import served
from cpkit.errors import BadInput, Conflict, CpkitError, MergeConflict
from cpkit.forms.base import default_store
from cpkit.forms.fields import esc, note, section
from cpkit.forms.page import page_meta
from cpkit.forms.style import stylesheet
from cpkit.i18n import N_, _
from cpkit.i18n.formatting import format_date
from cpkit.rules import meeting_parts
from cpkit.rules.meetings import is_follow_up

TITLE = N_("What the Task Force asks of your agency")
NOT_CHOSEN = ""
CANNOT_COMPLY_LABEL = N_("We cannot carry it out (the case manager is told now)")


# An agency's writes (the audit's action) and the change each makes to its own part.
PARTS = {"answer_invitation": meeting_parts.answer, "progress_report": meeting_parts.report,
         "acknowledge_minutes": meeting_parts.acknowledge}


@served
def write_part(guard, code: str, agency: str, action: str, expected_version: int | None,
               args: list, kwargs: dict):
    """Write the agency's own part of a CMR (:data:`PARTS`) through
    :meth:`~cpkit.access.guard.Guard.write_agency_part`.  Run by the host for a form's
    kernel: the change is made to the stored case there, and the case, the child's
    identity in it, never reaches an agency member's kernel (they see it redacted): the
    new version is returned, and a clash is said without the stored case's merge."""
    change = PARTS.get(action)
    if change is None:
        raise BadInput(_("{action!r}: not a part an agency writes").format(action=action))
    try:
        saved = guard.write_agency_part(code, agency, lambda case: change(case, *args, **kwargs),
                                        action, expected_version=expected_version)
    except MergeConflict as conflict:  # its merge holds the stored case: not for this page
        raise Conflict(conflict.case_id, conflict.expected, conflict.current) from None
    return saved.version


def _options(kind: str, keys) -> list[tuple[str, str]]:
    return [("—", NOT_CHOSEN), *((protocol.label(kind, k), k) for k in keys)]


class MeetingTask:
    """One CMR of one case, as the agency sees it, with its answer and report widgets."""

    def __init__(self, page: AgencyPage, code: str, version: int, case, meeting):
        self.page, self.code, self.version, self.day = page, code, version, meeting.date
        agency = page.agency
        invitee = next(i for i in meeting.invited if i.agency == agency)
        when = format_date(meeting.date, format="medium") + (f" {meeting.time}"
                                                             if meeting.time else "")
        head = (f"<div class='cpkit-task-head'><b class='code'>{esc(code)}</b> — "
                f"{esc(protocol.label('meeting_kind', meeting.kind))}, {esc(when)}"
                + (f", {esc(meeting.venue)}" if meeting.venue else "")
                + f" <span class='cpkit-note'>({esc(protocol.label('meeting_status', meeting.status or 'held'))})</span></div>")  # noqa: E501
        parts: list[w.Widget] = [w.HTML(head)]
        self.answer = w.Dropdown(description=_("Answer"), options=_options(
            "invitation_answer", protocol.INVITATION_ANSWERS), value=invitee.answer or "")
        self.answer.add_class("cpkit-answer")
        self.substitute = w.Text(description=_("Substitute"), value=invitee.substitute or "")
        self.substitute.add_class("cpkit-substitute")
        self.information = w.Textarea(description=_("Information for the meeting"),
                                      value=invitee.information or "")
        self.information.add_class("cpkit-information")
        self.send_answer = w.Button(description=_("Send the answer"), button_style="primary")
        self.send_answer.add_class("cpkit-send-answer")
        self.send_answer.on_click(lambda _b: self.answer_invitation())
        if not meeting.held:
            parts += [self.answer, self.substitute, self.information, self.send_answer]
        self.report_text = w.Textarea(description=_("Progress report"), rows=4)
        self.report_text.add_class("cpkit-report-text")
        self.action_rows: dict[str, tuple[w.Dropdown, w.Text]] = {}
        report = meeting.report_of(agency)
        if report:
            self.report_text.value = report.text or ""
        if is_follow_up(case, meeting) and agency in case.agencies_involved:
            parts.append(w.HTML(f"<div class='cpkit-checklist-title'>"
                                f"{esc(_('Written progress report (3 days before the CMR)'))}"
                                "</div>"))
            parts.append(self.report_text)
            for action in case.care_plan.actions:
                if action.responsible_agency == agency and action.id:
                    said = next((a for a in report.actions if a.id == action.id), None) \
                        if report else None
                    status = w.Dropdown(description=action.id, options=[
                        *_options("action_status", protocol.ACTION_STATUSES),
                        (_(CANNOT_COMPLY_LABEL), meeting_parts.CANNOT_COMPLY)],
                        value=meeting_parts.reported_status(said) or NOT_CHOSEN)
                    status.add_class("cpkit-action-status")
                    text = w.Text(description=_("Note"), value=(said.note or "") if said else "")
                    self.action_rows[action.id] = (status, text)
                    parts.append(w.HBox([status, text]))
            self.send_report = w.Button(description=_("Send the report"),
                                        button_style="primary")
            self.send_report.add_class("cpkit-send-report")
            self.send_report.on_click(lambda _b: self.send_progress_report())
            parts.append(self.send_report)
        if meeting.held:
            done = any(a.agency == agency for a in meeting.minutes_acknowledged)
            self.ack = w.Button(description=_("Minutes received") if not done
                                else _("Minutes acknowledged"), disabled=done)
            self.ack.add_class("cpkit-acknowledge-minutes")
            self.ack.on_click(lambda _b: self.acknowledge())
            parts.append(self.ack)
            # The minutes of this meeting, in the page, redacted as the guard decides.
            from cpkit.forms.documents import DocumentPanel

            day = self.day
            self.minutes = DocumentPanel(lambda: page.guard, lambda: code,
                                         [("minutes", _("the minutes"))], lambda: day,
                                         page.today)
            parts.append(self.minutes.widget)
        self.box = w.VBox(parts, layout=w.Layout(width="100%"))
        self.box.add_class("cpkit-task")

    def _write(self, action: str, *args, **kwargs) -> None:
        page = self.page
        try:
            self.version = write_part(page.guard, self.code, page.agency, action,
                                      self.version, list(args), kwargs)
        except CpkitError as err:
            page.say(str(err), bad=True)
            return
        page.say(_("{code}: sent.").format(code=self.code))

    def answer_invitation(self) -> None:
        reply = self.answer.value
        if not reply:
            self.page.say(_("Choose an answer first."), bad=True)
            return
        who = self.page.guard.principal.display_name or self.page.guard.user
        self._write("answer_invitation", self.day, self.page.agency, reply, self.page.today,
                    name=who, substitute=self.substitute.value.strip() or None,
                    information=self.information.value.strip() or None)

    def send_progress_report(self) -> None:
        actions = {i: (s.value, t.value.strip() or None)
                   for i, (s, t) in self.action_rows.items() if s.value}
        who = self.page.guard.principal.display_name or self.page.guard.user
        self._write("progress_report", self.day, self.page.agency, self.page.today, by=who,
                    text=self.report_text.value.strip() or None, actions=actions)

    def acknowledge(self) -> None:
        self._write("acknowledge_minutes", self.day, self.page.agency, self.page.today)
        self.ack.disabled = True


class AgencyPage:
    """The page of one agency member (their agency from their user record)."""

    def __init__(self, *, store=None, today: dt.date | None = None):
        self.guard = store or default_store()
        self.today = today or dt.date.today()
        self.agency = self.guard.principal.agency
        self.message = w.HTML()
        self.message.add_class("cpkit-status")
        self.tasks: list[MeetingTask] = []
        body: list[w.Widget] = []
        if not self.agency:
            body.append(note(_("This page is for the members of an agency of the Task "
                               "Force; your user has no agency.")))
        else:
            for code, version, case in self.guard.agency_tasks(self.agency):
                for meeting in meeting_parts.invited_to(case, self.agency):
                    self.tasks.append(MeetingTask(self, code, version, case, meeting))
            body.append(section(protocol.label("agency", self.agency),
                                [t.box for t in self.tasks] or
                                [note(_("Nothing is asked of your agency now."))]))
        self.widget = w.VBox([stylesheet(), page_meta(_(TITLE)),
                              w.HTML(f"<h1>{esc(_(TITLE))}</h1>"), self.message, *body],
                             layout=w.Layout(width="100%"))
        self.widget.add_class("cpkit-form")
        self.widget.add_class("cpkit-agency-page")

    def say(self, text: str, bad: bool = False) -> None:
        cls = "bad" if bad else "ok"
        self.message.value = f"<span class='{cls}'>{esc(text)}</span>"

    def show(self) -> AgencyPage:
        from IPython.display import display

        display(self.widget)
        return self

    @classmethod
    def from_query(cls, query: str | None = None, **kwargs) -> AgencyPage:
        from cpkit.forms.query import apply_language, query_params

        apply_language(query_params(query), None)
        return cls(**kwargs)
