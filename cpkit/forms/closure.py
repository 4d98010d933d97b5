"""Closing a case: the reason, the views of the child and family, the CMR that agreed,
the agencies consulted, the transfer (Appendix 1, Art. 5).

Before Save the form lists every closing condition of the protocol and whether it
holds ("Cases should be closed only in agreement with the members of the CMR" ...),
updated as the user types.  "Close the case" first asks for confirmation; only then
is the closure saved, and the form says "Case closed".  When a rule refuses, nothing
is saved and the rule's words stand next to the field.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.base import CaseForm
from cpkit.forms.fields import ChecklistField, Field, button, esc, note, section
from cpkit.i18n import N_, _, gettext
from cpkit.model import Case
from cpkit.rules.closure import applicable, closure_conditions
from cpkit.rules.meetings import is_held
from cpkit.store import Record

MARKS = {"holds": "✓", "refused": "✗", "warning": "⚠"}


class ConsultedField(ChecklistField):
    """The agencies consulted before closing: ``[{"agency", "on"}]``, ticked by agency."""

    def __init__(self, path: str, label: str, agencies: list[str], today):
        # ChecklistField takes (key, text): the agency's key is stored, its name shown
        super().__init__(path, label, [(a, protocol.label("agency", a)) for a in agencies],
                         other=False)
        self.today = today
        self._on: dict[str, str | None] = {}

    def set(self, value) -> None:
        entries = [e for e in value or [] if isinstance(e, dict)]
        self._on = {e.get("agency"): e.get("on") for e in entries}
        super().set([e.get("agency") for e in entries])

    def get(self) -> list[dict]:
        return [{"agency": key, "on": self._on.get(key) or self.today.isoformat()}
                for key in super().get()]


class ClosureForm(CaseForm):
    form = "closure"
    title = N_("Closure")

    def document_kinds(self) -> list[tuple[str, str]]:
        return [("closure", _("the closure form"))]

    def build(self) -> list[w.Widget]:
        self.already_closed = bool(self.document.get("closure"))
        self.confirmed = False
        self.save_button.description = _("Close the case")
        a = self.add
        reasons = [(protocol.label("closure_reason", key), key) for key in protocol.CLOSURE_REASONS]
        held = [m for m in self.document.get("meetings") or [] if is_held(m)]
        meetings = [(self._meeting_label(m), m.get("date")) for m in held]
        procedure = Field("closure", w.HTML(
            f"<div class='cpkit-note'>{esc(gettext(protocol.CLOSURE_PROCEDURE[0]))}</div>"
            if protocol.CLOSURE_PROCEDURE else ""))
        self.message_fields.append(procedure)
        self.conditions = w.HTML(layout=w.Layout(width="100%"))
        self.conditions.add_class("cpkit-conditions")
        self.confirm_note = w.HTML()
        self.confirm_button = button(_("Confirm: close the case"), style="danger",
                                     icon="check", cls="cpkit-confirm-close")
        self.cancel_button = button(_("Not yet"), cls="cpkit-cancel-close")
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.cancel_button.on_click(lambda _b: self._hide_confirmation())
        self.confirm_bar = w.HBox([self.confirm_note, self.confirm_button, self.cancel_button],
                                  layout=w.Layout(display="none", width="100%",
                                                  flex_flow="row wrap", align_items="center"))
        self.confirm_bar.add_class("cpkit-confirm-bar")
        self.date = a(fields.date("closure.date", _("Closure date")))
        involved = [k for k in self.document.get("agencies_involved") or [] if k != "csw"]
        agencies = [(protocol.label("agency", k), k) for k in protocol.agency_keys()]
        parts = [
            procedure.box, self.date.box,
            a(fields.choice("closure.reason", _("Reason for closing"), reasons,
                            radio=True, none=_("Not chosen"))).box,
            a(fields.text("closure.moved_to", _("Moved to (municipality)"))).box,
            a(fields.choice("closure.agreed_at_meeting", _("Agreed at the CMR of"),
                            meetings, none=_("No CMR agreed it (low risk case)"))).box,
        ]
        if not meetings:
            parts.append(note(_("No CMR is recorded as held: medium and high risk cases close "
                                "only when a CMR agreed it (record it in the CMR form).")))
        views = [
            a(fields.text("closure.child_views", _("Child's views"), multiline=True)).box,
            a(fields.text("closure.child_views_not_sought_reason",
                          _("Why the child's views could not be sought"))).box,
            a(fields.text("closure.family_views", _("Family's views"), multiline=True)).box,
            a(fields.text("closure.family_views_not_sought_reason",
                          _("Why the family's views could not be sought"))).box,
        ]
        consulted = [a(ConsultedField("closure.agencies_consulted",
                                      _("Agencies consulted before closing"), involved,
                                      self.today)).box] if involved else []
        transfer = [
            note(gettext(N_("The case shall be transferred to the case manager from the "
                            "relevant institution, which will continue to monitor the "
                            "well-being of the child and his/her family."))),
            a(fields.choice("closure.transferred_to.agency", _("Transferred to (institution)"),
                            agencies, none=_("Not transferred"))).box,
            a(fields.text("closure.transferred_to.name", _("Its case manager"))).box,
            a(fields.flag("closure.no_further_coordination",
                          _("No further need for interdisciplinary coordination"))).box,
        ]
        other = [a(fields.text("closure.responsible", _("Responsible for the case"))).box,
                 a(fields.text("closure.notes", _("Notes"), multiline=True)).box]
        check = section(_("Before closing: the protocol's conditions"),
                        [self.conditions, self.confirm_bar], cls="cpkit-closure-check")
        return [check, section(_("Closing the case"), parts),
                section(_("Views of the child and family"), views + consulted),
                section(_("Transfer (Appendix 1, Article 5)"), transfer + other)]

    @staticmethod
    def _meeting_label(meeting: dict) -> str:
        kind = protocol.label("meeting_kind", meeting.get("kind") or "review")
        level = meeting.get("agreed_risk_level")
        agreed = (" · " + _("agreed: {level}").format(level=protocol.label("level", level))
                  if level else "")
        return f"{meeting.get('date')} · {kind}{agreed}"

    def fill_extra(self, document: dict) -> None:
        if not document.get("closure"):
            self.date.set(self.today.isoformat())

    # -- the conditions, shown as the user types ---------------------------------------

    def show_problems(self, problems) -> None:
        super().show_problems(problems)
        self.conditions.value = self.conditions_html()

    def conditions_html(self) -> str:
        """Each applicable closing condition: holds (✓), refused (✗) or a warning (⚠)."""
        try:
            case = Case.model_validate(self.collect())
        except ValueError:
            return f"<p class='cpkit-note'>{esc(_('Fix the fields marked first.'))}</p>"
        if case.closure is None:
            return f"<p class='cpkit-note'>{esc(_('Choose the reason for closing.'))}</p>"
        items = []
        for c in closure_conditions(case, self.today):
            if not applicable(c.rule, case):
                continue
            state = "holds" if c.holds else ("warning" if c.warning else "refused")
            details = "".join(f"<div class='cpkit-condition-detail'>{esc(d)}</div>"
                              for d in c.details(self.label_for))
            items.append(f"<li class='cpkit-condition {state}' data-rule='{esc(c.rule)}' "
                         f"data-state='{state}'><span class='mark' aria-hidden='true'>"
                         f"{MARKS[state]}</span> {esc(gettext(c.words))}{details}</li>")
        return f"<ul class='cpkit-condition-list'>{''.join(items)}</ul>"

    # -- save with confirmation ----------------------------------------------------------

    def save(self) -> bool:
        """Check, then ask for confirmation (a first closing); :meth:`confirm` saves."""
        if self.already_closed or self.confirmed:
            return super().save()
        case, problems = self.validate()
        self.show_problems(problems)
        self.warning_panel.update(case, self.today)
        if problems or self.warning_panel.unacknowledged:
            return super().save()  # refused, with the usual message; nothing written
        reason = protocol.label("closure_reason", case.closure.reason)
        question = _("Close case {code} on {date} ({reason})? The case will no longer be "
                     "managed under the CMR.").format(code=case.code, date=case.closure.date,
                                                      reason=reason)
        self.confirm_note.value = f"<span>{esc(question)}</span>"
        self.confirm_bar.layout.display = "flex"
        self._set_status(_("Every condition holds: confirm to close the case."), "")
        return False

    def confirm(self) -> bool:
        """Save the closure the user confirmed."""
        self.confirmed = True
        try:
            return super().save()
        finally:
            self.confirmed = False

    def _hide_confirmation(self) -> None:
        self.confirm_bar.layout.display = "none"
        self._set_status("", "")

    def after_save(self, record: Record) -> None:
        first = not self.already_closed
        super().after_save(record)
        self.confirm_bar.layout.display = "none"
        self.already_closed = True
        self.save_button.description = _("Save")
        if first:
            self._set_status(_("Case closed: {code}, on {date}.").format(
                code=record.case.code, date=record.case.closure.date), "ok cpkit-closed")

