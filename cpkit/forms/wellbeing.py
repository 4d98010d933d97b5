"""Wellbeing indicators (Safety, Health, Achievement, Nurture, Inclusion), the
developmental milestones of the child's age band (Appendix 4) and the child's needs.

Needs are what the child needs, not services: the services come in the care plan.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.base import CaseForm
from cpkit.forms.checklists import checklist
from cpkit.forms.docpath import get_in
from cpkit.forms.fields import esc, note, section
from cpkit.forms.risk import _date
from cpkit.i18n import N_, _, gettext
from cpkit.rules.risk import age_years


class WellbeingForm(CaseForm):
    form = "wellbeing"
    title = N_("Wellbeing indicators")

    def build(self) -> list[w.Widget]:
        statuses = [(protocol.label("status", key), key) for key in protocol.WELLBEING_STATUSES]
        indicators = []
        for key, indicator in protocol.WELLBEING_INDICATORS.items():
            name = protocol.label("indicator", key)
            status = fields.choice(f"assessment.wellbeing.{key}.status", _("Status"), statuses,
                                   default="not_assessed")
            status.widget.description = _("{indicator}: status").format(indicator=name)
            notes = fields.text(f"assessment.wellbeing.{key}.notes",
                                _("{indicator}: notes").format(indicator=name),
                                multiline=True, rows=2)
            box = w.VBox([w.HTML(f"<div class='cpkit-factor-title'>{esc(name)}</div>"),
                          note(gettext(indicator["definition"])),
                          self.add(status).box, self.add(notes).box],
                         layout=w.Layout(width="100%"))
            box.add_class("cpkit-factor")
            indicators.append(box)

        dob = _date(get_in(self.document, "child.date_of_birth"))
        age = age_years(dob, self.today)
        parts = [note(gettext(protocol.MILESTONES_NOTE))]
        if age is None:
            parts.append(note(_("Record the child's date of birth (Referral form) to see the "
                                "milestones of the child's age band."), "cpkit-warning"))
            self.band = None
        else:
            self.band = protocol.milestone_band(max(age, 0))
            parts += [note(_("Age {age}: {band}. Tick each milestone NOT reached (a concern).")
                           .format(age=age, band=gettext(self.band["label"]))),
                      self.add(checklist("assessment.milestones_concerns",
                                         _("Milestones not reached"),
                                         self.band["milestones"])).box]
        needs = section(_("Needs of the child"), [
            note(_("Write needs, not services (e.g. 'to be safe at home', not 'home visits')."
                   )),
            self.add(fields.lines("assessment.needs", _("Needs"), rows=4)).box,
            self.add(fields.text("assessment.summary", _("Assessment summary"), multiline=True,
                                 rows=4)).box])
        return [section(_("Wellbeing indicators"), indicators),
                section(_("Developmental milestones (Appendix 4)"), parts), needs]

    def collect_extra(self, document: dict) -> None:
        """The format takes all five indicators or none: fill the ones not touched."""
        wellbeing = (document.get("assessment") or {}).get("wellbeing")
        if wellbeing:
            for key in protocol.indicator_keys():
                wellbeing.setdefault(key, {"status": "not_assessed"})
