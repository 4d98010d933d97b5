"""Referral and consent: who the child is, who referred and why, what may be shared.

Opened without a case code it takes a new referral and creates the case (the store
assigns the code from the municipality and the referral year).
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.base import CaseForm, form_url
from cpkit.forms.fields import ChecklistField, TextField, esc, link, note, section
from cpkit.i18n import N_, _, gettext
from cpkit.model import FORMAT
from cpkit.rules.risk import UNACCOMPANIED_WORDS
from cpkit.store import Record


class ListTextField(TextField):
    """A comma-separated list typed on one line (languages)."""

    def get(self) -> list[str]:
        return [part.strip() for part in self.widget.value.split(",") if part.strip()]

    def set(self, value) -> None:
        self.widget.value = ", ".join(value or [])


def options(kind: str, keys) -> list[tuple[str, str]]:
    return [(protocol.label(kind, key), key) for key in keys]


class ReferralForm(CaseForm):
    form = "referral"
    title = N_("Referral and consent")

    def load_document(self) -> tuple[dict, int | None]:
        if self.case_id is None:  # a new referral
            return {"format": FORMAT, "referral": {"date": self.today.isoformat()}}, None
        return super().load_document()

    def build(self) -> list[w.Widget]:
        a = self.add
        if self.case_id is None:
            self.save_button.description = _("Create case")
        agencies = options("agency", protocol.agency_keys())
        languages = w.Text(description=_("Languages"), placeholder=_("e.g. sq, sr"),
                           layout=w.Layout(**fields.INPUT_LAYOUT),
                           style={"description_width": fields.LABEL_WIDTH})
        child = section(_("The child"), [
            note(_("Identifying data stays inside the Task Force: documents that leave it "
                   "use the case code only.")),
            a(fields.text("child.given_name", _("Given name"))).box,
            a(fields.text("child.family_name", _("Family name"))).box,
            a(fields.date("child.date_of_birth", _("Date of birth"))).box,
            a(fields.choice("child.sex", _("Sex"), options("sex", protocol.SEX))).box,
            a(fields.text("child.address", _("Address"), multiline=True, rows=2)).box,
            a(ListTextField("child.languages", languages)).box,
            a(fields.choice("child.disability", _("Disability"),
                            options("disability", protocol.DISABILITY))).box,
            a(fields.flag("child.unaccompanied", _("Unaccompanied child"))).box,
            note(gettext(UNACCOMPANIED_WORDS)),
            a(fields.date("child.safe_accommodation_on", _("Safe accommodation secured on"))).box,
            a(fields.date("child.support_in_place_on",
                          _("Appropriate ongoing support made available on"))).box,
            a(fields.flag("child.in_conflict_with_law", _("Child in conflict with the law"))).box,
        ])
        case = section(_("Case"), [
            a(fields.text("municipality", _("Municipality"))).box,
            note(_("The case code is made from the municipality and the referral year.")),
            a(fields.text("case_manager", _("Case manager"))).box,
            a(ChecklistField("agencies_involved", _("Agencies involved with the family"),
                             [(k, t) for t, k in agencies], other=False)).box,
        ])
        categories = [(protocol.label("abuse_category", k), k) for k in protocol.ABUSE_CATEGORIES]
        referral = section(_("Referral"), [
            a(fields.date("referral.date", _("Referral date"))).box,
            a(fields.choice("referral.referring_agency", _("Referring agency"), agencies)).box,
            a(fields.text("referral.referrer", _("Referred by"))).box,
            a(fields.text("referral.concern", _("Concern"), multiline=True, rows=4)).box,
            a(ChecklistField("referral.abuse_categories", _("Abuse categories"),
                             [(k, t) for t, k in categories], other=False, columns=4)).box,
        ])
        consent_values = options("consent", protocol.CONSENT_VALUES)
        self.not_to_disclose = self.rows(
            "consent.do_not_disclose", self._disclose_row,
            title=lambda i, _item: _("Not to disclose {n}").format(n=i + 1),
            add_label=_("Add information not to disclose"))
        consent = section(_("Consent and assent"), [
            a(fields.choice("consent.parent_consent", _("Parents' consent"), consent_values)).box,
            a(fields.choice("consent.child_assent", _("Child's assent"), consent_values)).box,
            a(fields.yes_no("consent.written", _("Consent in writing"))).box,
            a(fields.date("consent.date", _("Consent date"))).box,
            w.HTML(f"<div class='cpkit-checklist-title'>{esc(_('Do not disclose'))}</div>"),
            self.not_to_disclose.box,
            note(gettext("In exceptional circumstances, information can be shared against "
                         "parents and children's wishes; the reasons must be explained.")),
            a(fields.text("consent.shared_without_consent_reason",
                          _("Reason information is shared without consent"),
                          multiline=True, rows=2)).box,
            a(fields.text("consent.disclosure_agreed_by",
                          _("Member of management who agreed to share"))).box,
            a(fields.date("consent.disclosure_agreed_on", _("Agreed on"))).box,
        ])
        return [child, case, referral, consent]

    def _disclose_row(self, prefix: str, _index: int, _item: dict):
        agencies = options("agency", protocol.agency_keys())
        what = fields.text(f"{prefix}.what", _("What must not be disclosed"), rel="what")
        who = fields.choice(f"{prefix}.from", _("Not to (agency)"), agencies, rel="from",
                            none=_("Any agency"))
        return [what, who], []

    def fill_extra(self, document: dict) -> None:
        self.not_to_disclose.set((document.get("consent") or {}).get("do_not_disclose"))

    def collect_extra(self, document: dict) -> None:
        rows = self.not_to_disclose.get()
        if rows or (document.get("consent") or {}).get("do_not_disclose") is not None:
            document.setdefault("consent", {})["do_not_disclose"] = rows

    def write(self, case) -> Record:
        if self.case_id is None:
            return self.store.create(case, actor=self.user)
        return super().write(case)

    def after_save(self, record: Record) -> None:
        created = self.case_id is None
        super().after_save(record)
        self.save_button.description = _("Save")
        self.header.value = self.header_html()
        if created:
            code = record.case.case_id
            self.status.value = (
                f"<span class='ok cpkit-created' data-code='{esc(code)}'>"
                f"{esc(_('Created case {code}.').format(code=code))}</span> "
                + link(form_url("risk", code), _("Next: Risk framework"), "cpkit-next"))
