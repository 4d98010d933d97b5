"""The Risk Analysis Framework: eleven factors chosen by the protocol's descriptors.

Each factor offers low / medium / high (and "not known" for the history of abuse)
with the protocol's own descriptor as the option's text, so the assessor chooses by
description.  A banner above the form shows the overall risk live.  Also the
checklists of factors influencing the level of risk and the abuse categories with
their manifestations and signs (Appendices 2-3).
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.banner import RiskBanner, assessed_risk, banner_html, banner_lines
from cpkit.forms.base import CaseForm
from cpkit.forms.checklists import LazyChecklist, checklist, items_of, title_html
from cpkit.forms.docpath import get_in
from cpkit.forms.fields import ChoiceField, esc, note, section
from cpkit.forms.shared import layout, plain, style
from cpkit.i18n import N_, _, gettext
from cpkit.model import Assessment, Case, Child, RiskFactors
from cpkit.rules.risk import age_capacity_suggestion, age_capacity_warning, age_years

FACTOR_PATH = "assessment.risk_factors.{}"


def factor_options(key: str) -> list[tuple[str, str]]:
    """The options of a factor: "Low — <the protocol's descriptor>" etc."""
    f = protocol.factor(key)
    levels = [*f["descriptors"], *(["not_known"] if f["allows_not_known"] else [])]
    out = []
    for level in levels:
        name = protocol.label("level", level)
        text = protocol.descriptor(key, level)
        out.append((name if level == "not_known" else f"{name} — {text}", level))
    return out


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class RiskForm(CaseForm):
    form = "risk"
    title = N_("Risk Analysis Framework")

    def top_widgets(self) -> list[w.Widget]:
        return [self.banner.widget]

    def static_top_html(self) -> str:
        factors = {key: get_in(self.document, FACTOR_PATH.format(key))
                   for key in protocol.factor_keys()}
        unaccompanied = bool(get_in(self.document, "child.unaccompanied"))
        level, lines = banner_lines(assessed_risk(factors, unaccompanied))
        return f"<div class='cpkit-risk-banner'>{banner_html(level, lines)}</div>"

    def build(self) -> list[w.Widget]:
        self.banner = RiskBanner()
        self.factors: dict[str, ChoiceField] = {}
        factor_boxes = []
        for number, key in enumerate(protocol.factor_keys(), 1):
            label = protocol.label("factor", key)
            field = fields.choice(FACTOR_PATH.format(key), label, factor_options(key),
                                  none=_("Not assessed yet"), radio=True)
            field.widget.description = ""  # the title above is the label
            field.widget.add_class(f"cpkit-factor-{key}")
            field.widget.tooltip = label
            self.add(field)
            self.factors[key] = field
            parts = [plain(w.HTML, f"<div class='cpkit-factor-title' id='factor-{key}'>{number}. "
                            f"{esc(label)}</div>")]
            if key == "child_age_capacity":
                self.suggestion = plain(w.HTML)
                self.suggestion.add_class("cpkit-suggestion")
                self.age_warning = w.HTML(style=style(w.HTML))  # own Layout: hidden alone
                self.age_warning.add_class("cpkit-warning")
                self.age_warning.add_class("cpkit-age-warning")
                parts += [self.suggestion]
            parts.append(field.box)
            if key == "child_age_capacity":
                parts.append(self.age_warning)
            box = w.VBox(parts, layout=layout(width="100%"))
            box.add_class("cpkit-factor")
            factor_boxes.append(box)

        started = self.add(fields.date("assessment.started_on", _("Assessment started")))
        completed = self.add(fields.date("assessment.completed_on", _("Assessment completed")))
        self.unaccompanied = self.add(fields.flag(
            "child.unaccompanied", _("Unaccompanied child (always high risk until safe "
                                     "accommodation is secured)")))
        framework = section(_("Risk Analysis Framework"), [
            *(note(gettext(text)) for text in protocol.RISK_FRAMEWORK_NOTES[:2]),
            self.unaccompanied.box, *factor_boxes])

        influence_fields = [self.add(checklist(f"assessment.{kind}", gettext(column["label"]),
                                               column["items"]))
                            for kind, column in protocol.RISK_INFLUENCES.items()]
        influences = section(_("Factors influencing the level of risk"),
                             [f.box for f in influence_fields])
        return [section(_("Assessment"), [started.box, completed.box]), framework, influences,
                self._abuse_section()]

    def _abuse_section(self) -> w.Widget:
        categories = [(key, protocol.label("abuse_category", key))
                      for key in protocol.ABUSE_CATEGORIES]
        self.categories = self.add(fields.ChecklistField(
            "referral.abuse_categories", _("Abuse categories"), categories, other=False,
            columns=4))
        m_items = [item for c in protocol.ABUSE_CATEGORIES.values()
                   for item in c["manifestations"]]
        s_items = [item for c in protocol.ABUSE_CATEGORIES.values()
                   for kind in c["signs"].values() for item in kind]
        self.manifestations = self.add(LazyChecklist("referral.manifestations",
                                                     items_of(m_items)[1]))
        self.signs = self.add(LazyChecklist("referral.signs", items_of(s_items)[1]))
        self.accordion = w.Accordion(children=[plain(w.VBox) for _c in protocol.ABUSE_CATEGORIES],
                                     selected_index=None, layout=w.Layout(width="100%"))
        for i, key in enumerate(protocol.ABUSE_CATEGORIES):
            self.accordion.set_title(i, protocol.label("abuse_category", key))
        self.accordion.observe(self._open_category, names="selected_index")
        return section(_("Abuse categories, manifestations and signs (Appendices 2-3)"), [
            self.categories.box,
            note(_("Open a category to tick the manifestations and signs observed.")),
            self.accordion, self.manifestations.box, self.signs.box,
            note(gettext(protocol.OTHER_ABUSE_NOTE))])

    def _open_category(self, change) -> None:
        index = change["new"]
        if index is None:
            return
        panel = self.accordion.children[index]
        if panel.children:
            return
        key = list(protocol.ABUSE_CATEGORIES)[index]
        self.open_category(key)

    def open_category(self, key: str) -> w.VBox:
        """Build (once) the checkboxes of a category's manifestations and signs."""
        index = list(protocol.ABUSE_CATEGORIES).index(key)
        panel = self.accordion.children[index]
        if panel.children:
            return panel
        category = protocol.ABUSE_CATEGORIES[key]
        parts = [note(gettext(category["definition"])),
                 title_html(_("Manifestations")),
                 self.manifestations.make_boxes(items_of(category["manifestations"])[0])]
        for kind, items in category["signs"].items():
            parts += [title_html(gettext(protocol.SIGN_KINDS[kind])),
                      self.signs.make_boxes(items_of(items)[0])]
        panel.children = parts
        return panel

    # -- live reactions ------------------------------------------------------------

    def current_factors(self) -> dict[str, str | None]:
        return {key: f.get() for key, f in self.factors.items()}

    def on_change(self) -> None:
        self.banner.update(self.current_factors(), self.unaccompanied.get())
        self._age_hint()

    def _age_hint(self) -> None:
        dob = _date(get_in(self.document, "child.date_of_birth"))
        age = age_years(dob, self.today)
        suggested = age_capacity_suggestion(age)
        if suggested is None:
            text = _("Record the child's date of birth (Referral form) to get the protocol's "
                     "age-based suggestion.")
        else:
            text = _("Age {age}: by age alone the protocol suggests {level}. Dependence, "
                     "illness or disability can raise the level at any age.").format(
                age=age, level=protocol.label("level", suggested))
        self.suggestion.value = esc(text)
        probe = Case.model_construct(
            child=Child.model_construct(date_of_birth=dob),
            assessment=Assessment.model_construct(risk_factors=RiskFactors.model_construct(
                child_age_capacity=self.factors["child_age_capacity"].get())))
        warning = age_capacity_warning(probe, self.today)
        self.age_warning.layout.display = "none" if warning is None else None
        self.age_warning.value = "" if warning is None else esc(_(
            "Rated lower than the child's age suggests ({level}): check that the child can "
            "protect themselves as well as this rating says.").format(
            level=protocol.label("level", warning)))

    @property
    def banner_text(self) -> str:
        return self.banner.text
