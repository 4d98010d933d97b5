"""Closing a case: the reason, the views of the child and family, the closure CMR.

The protocol's rules decide whether the case may close now ("cases should be closed
only in agreement with the members of the CMR"); when they refuse, the form shows the
rule's message and nothing is saved.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.base import CaseForm
from cpkit.forms.fields import Field, esc, note, section
from cpkit.i18n import N_, _, gettext


class ClosureForm(CaseForm):
    form = "closure"
    title = N_("Closure")

    def build(self) -> list[w.Widget]:
        self.save_button.description = _("Close the case")
        a = self.add
        reasons = [(protocol.label("closure_reason", key), key) for key in protocol.CLOSURE_REASONS]
        closure_meetings = [(f"{m.get('date')} · {protocol.label('meeting_kind', 'closure')}",
                             m.get("date")) for m in self.document.get("meetings") or []
                            if m.get("kind") == "closure"]
        rule = Field("closure", w.HTML(
            f"<div class='cpkit-note'>{esc(gettext(protocol.CLOSURE_PROCEDURE[0]))}</div>"
            if protocol.CLOSURE_PROCEDURE else ""))
        self.message_fields.append(rule)
        self.date = a(fields.date("closure.date", _("Closure date")))
        parts = [rule.box, self.date.box,
                 a(fields.choice("closure.reason", _("Reason for closing"), reasons,
                                 radio=True, none=_("Not chosen"))).box,
                 a(fields.text("closure.child_views", _("Child's views"), multiline=True)).box,
                 a(fields.text("closure.family_views", _("Family's views"),
                               multiline=True)).box,
                 a(fields.choice("closure.agreed_at_meeting", _("Agreed at the closure CMR of"),
                                 closure_meetings, none=_("No closure CMR"))).box]
        if not closure_meetings:
            parts.append(note(_("No closure CMR is recorded yet: medium and high risk cases "
                                "close only after one (record it in the CMR form).")))
        parts += [a(fields.text("closure.responsible", _("Responsible for the case"))).box,
                  a(fields.text("closure.notes", _("Notes"), multiline=True)).box]
        return [section(_("Closing the case"), parts)]

    def fill_extra(self, document: dict) -> None:
        if not document.get("closure"):
            self.date.set(self.today.isoformat())
