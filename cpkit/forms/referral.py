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
from cpkit.forms.shared import layout
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
                           layout=layout(**fields.INPUT_LAYOUT),
                           style=fields.label_style(w.Text))
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
        return [child, case, referral, consent, self._void_section()]

    # -- voiding a case created by mistake ------------------------------------------

    def _void_section(self) -> w.Widget:
        """"Void this case": for a case created by mistake, by its creator the same day
        or a supervisor (:mod:`cpkit.access.voiding`); asks for the reason first."""
        from cpkit.access.voiding import void_ground

        self.void_reason = w.Text(description=_("Why it is void"),
                                  placeholder=_("e.g. created twice: see PR-2026-0001"),
                                  layout=layout(**fields.INPUT_LAYOUT),
                                  style=fields.label_style(w.Text))
        self.void_reason.add_class("cpkit-void-reason")
        self.void_button = fields.button(_("Void this case"), style="danger", icon="ban",
                                         cls="cpkit-void-button")
        self.void_confirm = fields.button(_("Confirm: void the case"), style="danger",
                                          cls="cpkit-void-confirm")
        self.void_message = w.HTML()
        self.void_message.add_class("cpkit-message")
        ask = w.VBox([self.void_reason, w.HBox([self.void_confirm]), self.void_message],
                     layout=w.Layout(display="none", width="100%"))
        self.void_ask = ask
        self.void_button.on_click(lambda _b: setattr(ask.layout, "display", "flex"))
        self.void_confirm.on_click(lambda _b: self.void(self.void_reason.value))
        box = section(_("Created by mistake?"), [
            note(_("A case created by mistake (entered twice, an empty referral) can be "
                   "voided by the person who created it, on the same day, or by a "
                   "supervisor: it is kept, marked void with the reason, and left out of "
                   "every list.")),
            self.void_button, ask], cls="cpkit-void-section")
        allowed = (self.case_id is not None and not self.void_html()
                   and void_ground(self.guard(), self.case_id, self.today) is not None)
        box.layout.display = None if allowed else "none"
        self.void_box = box
        return box

    def void(self, reason: str) -> bool:
        """Void the case with ``reason``; the reason is asked for when missing."""
        from cpkit.access.voiding import void_case
        from cpkit.errors import CpkitError

        if not (reason or "").strip():
            self.void_message.value = f"<div>{esc(_('Give the reason the case is void.'))}</div>"
            return False
        try:
            void_case(self.guard(), self.case_id, reason, self.today)
        except CpkitError as err:
            self.void_message.value = f"<div>{esc(str(err))}</div>"
            return False
        self.void_message.value = ""
        self.void_box.layout.display = "none"
        self.void_note.value = self.void_html()
        self.save_button.disabled = True
        self._set_status(_("Case {code} is void: kept, and left out of every list.").format(
            code=self.case_id), "ok cpkit-voided")
        return True

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
        from cpkit.access.voiding import void_ground

        if void_ground(self.guard(), self.case_id, self.today) is not None:
            self.void_box.layout.display = None
        if created:
            code = record.case.case_id
            self.status.value = (
                f"<span class='ok cpkit-created' data-code='{esc(code)}'>"
                f"{esc(_('Created case {code}.').format(code=code))}</span> "
                + link(form_url("risk", code), _("Next: Risk framework"), "cpkit-next"))
