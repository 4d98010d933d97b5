"""Exercise mode: the trainee rates a worked case with widgets like the live forms.

The live forms (:mod:`cpkit.forms`) edit a case held in the store, with drafts, versions
and permissions; a trainee works on an in-memory copy of a fictional case and never
saves it.  So the exercise has its own small widgets, made of the live forms' pieces (the
factor options, fields and stylesheet): one radio group per risk factor whose options
carry the protocol's descriptor, a live overall-risk banner, a
status per wellbeing indicator and care plan action rows.  "Check" runs
:func:`cpkit.training.checker.check` and shows the feedback; "Send to the group
session" adds the answer to the trainer's session file.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import ipywidgets as w

from cpkit import protocol
from cpkit.access.remote import kernel_guard
from cpkit.errors import CpkitError
from cpkit.forms.fields import esc, note, section
from cpkit.forms.page import page_meta, page_title
from cpkit.forms.risk import factor_options
from cpkit.forms.style import stylesheet
from cpkit.i18n import _, gettext
from cpkit.rules.risk import age_years, overall_risk
from cpkit.summary_text import cmr_required_text
from cpkit.training import session
from cpkit.training.cases import TrainingCase
from cpkit.training.checker import CheckResult, TraineeAnswer, check
from cpkit.training.feedback import feedback_html, feedback_sheet

NOT_CHOSEN = ""


def _options(kind: str, keys) -> list[tuple[str, str]]:
    return [("—", NOT_CHOSEN), *((protocol.label(kind, k), k) for k in keys)]


class RiskExercise:
    """The eleven factors of the Risk Analysis Framework, with a live overall banner."""

    def __init__(self, unaccompanied: bool = False):
        self.unaccompanied = unaccompanied
        self.radios: dict[str, w.RadioButtons] = {}
        boxes = []
        for number, key in enumerate(protocol.factor_keys(), 1):
            radio = w.RadioButtons(
                options=[(_("Not assessed yet"), NOT_CHOSEN), *factor_options(key)],
                value=NOT_CHOSEN, layout=w.Layout(width="100%", max_width="1000px"))
            radio.add_class(f"cpkit-factor-{key}")
            radio.observe(lambda _change: self.update(), names="value")
            self.radios[key] = radio
            title = w.HTML(f"<div class='cpkit-factor-title' id='factor-{key}'>{number}. "
                           f"{esc(protocol.label('factor', key))}</div>")
            box = w.VBox([title, radio], layout=w.Layout(width="100%"))
            box.add_class("cpkit-factor")
            boxes.append(box)
        self.banner = w.HTML()
        self.update()
        notes = [note(gettext(text)) for text in protocol.RISK_FRAMEWORK_NOTES[:2]]
        self.widget = section(_("Risk Analysis Framework"), [*notes, *boxes])

    def value(self) -> dict[str, str]:
        return {k: r.value for k, r in self.radios.items() if r.value != NOT_CHOSEN}

    def set(self, levels: dict[str, str]) -> None:
        for key, radio in self.radios.items():
            radio.value = levels.get(key) or NOT_CHOSEN

    def update(self) -> None:
        risk = overall_risk(self.value(), self.unaccompanied)
        level = risk.level or "none"
        head = (_("Overall risk from your ratings: {level}").format(
            level=protocol.label("level", risk.level)) if risk.level
            else _("Overall risk: rate the factors"))
        detail = _("{n} of 11 factors rated").format(n=risk.assessed)
        if risk.level:
            detail += " · " + cmr_required_text(risk)
        self.banner.value = (f"<div class='cpkit-banner level-{level}'>"
                             f"<span class='cpkit-banner-head'>{esc(head)}</span>"
                             f"<span>{esc(detail)}</span></div>")


class WellbeingExercise:
    """A status for each of the five wellbeing indicators."""

    def __init__(self):
        statuses = [(protocol.label("status", k), k) for k in protocol.WELLBEING_STATUSES]
        self.dropdowns: dict[str, w.Dropdown] = {}
        boxes = []
        for key, indicator in protocol.WELLBEING_INDICATORS.items():
            name = protocol.label("indicator", key)
            dropdown = w.Dropdown(options=statuses, value="not_assessed",
                                  description=_("{indicator}: status").format(indicator=name),
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="auto", max_width="36em"))
            dropdown.add_class(f"cpkit-indicator-{key}")
            self.dropdowns[key] = dropdown
            box = w.VBox([w.HTML(f"<div class='cpkit-factor-title'>{esc(name)}</div>"),
                          note(gettext(indicator["definition"])), dropdown])
            box.add_class("cpkit-factor")
            boxes.append(box)
        self.widget = section(_("Wellbeing indicators"), boxes)

    def value(self) -> dict[str, str]:
        return {k: d.value for k, d in self.dropdowns.items() if d.value != "not_assessed"}

    def set(self, statuses: dict[str, str]) -> None:
        for key, dropdown in self.dropdowns.items():
            dropdown.value = statuses.get(key) or "not_assessed"


class ActionRow:
    """One care plan action: need, indicator, risk factor, action, agency, term, contingency."""

    def __init__(self, on_remove):
        wide = w.Layout(width="100%", max_width="720px")
        style = {"description_width": "11em"}
        self.need = w.Text(description=_("Need"), layout=wide, style=style)
        self.indicator = w.Dropdown(options=_options("indicator", protocol.indicator_keys()),
                                    description=_("Wellbeing indicator"), style=style)
        self.risk_factor = w.Dropdown(options=_options("factor", protocol.factor_keys()),
                                      description=_("Risk factor addressed"), style=style,
                                      layout=wide)
        self.action = w.Textarea(description=_("Action"), rows=2, layout=wide, style=style)
        self.agency = w.Dropdown(options=_options("agency", protocol.agency_keys()),
                                 description=_("Responsible agency"), style=style, layout=wide)
        self.term = w.Dropdown(options=_options("term", protocol.CARE_PLAN_TERMS),
                               description=_("Term"), style=style)
        self.contingency = w.Textarea(description=_("Contingency"), rows=2, layout=wide,
                                      style=style)
        remove = w.Button(description=_("Remove action"), icon="trash",
                          layout=w.Layout(width="auto"))
        remove.on_click(lambda _b: on_remove(self))
        self.title = w.HTML()
        self.widget = w.VBox([self.title, self.need, self.indicator, self.risk_factor,
                              self.action, self.agency, self.term, self.contingency, remove])
        self.widget.add_class("cpkit-row")

    FIELDS = {"need": "need", "indicator": "indicator", "risk_factor": "risk_factor",
              "action": "action", "responsible_agency": "agency", "term": "term",
              "contingency": "contingency"}

    def value(self) -> dict[str, Any]:
        out = {}
        for key, attr in self.FIELDS.items():
            value = getattr(self, attr).value
            if isinstance(value, str):
                value = value.strip()
            if value:
                out[key] = value
        return out

    def set(self, item: dict[str, Any]) -> None:
        for key, attr in self.FIELDS.items():
            getattr(self, attr).value = item.get(key) or ""


class CarePlanExercise:
    """Care plan actions the trainee adds, edits and removes."""

    def __init__(self):
        self.rows: list[ActionRow] = []
        self.box = w.VBox()
        add = w.Button(description=_("Add action"), icon="plus", layout=w.Layout(width="auto"))
        add.add_class("cpkit-add-action")
        add.on_click(lambda _b: self.add())
        purposes = "".join(f"<li>{esc(gettext(p))}</li>" for p in protocol.CARE_PLAN_PURPOSES)
        self.widget = section(_("Care plan"), [
            w.HTML(f"<ul class='cpkit-note'>{purposes}</ul>"),
            note(_("One action per need; name who is responsible and what happens if the "
                   "action is not done (the contingency).")),
            self.box, add])
        self.add()

    def add(self, item: dict[str, Any] | None = None) -> ActionRow:
        row = ActionRow(self.remove)
        if item:
            row.set(item)
        self.rows.append(row)
        self._redraw()
        return row

    def remove(self, row: ActionRow) -> None:
        self.rows.remove(row)
        self._redraw()

    def _redraw(self) -> None:
        for i, row in enumerate(self.rows, 1):
            title = _("Action {n}").format(n=i)
            row.title.value = f"<div class='cpkit-row-title'>{esc(title)}</div>"
        self.box.children = [r.widget for r in self.rows]

    def value(self) -> list[dict[str, Any]]:
        return [v for v in (r.value() for r in self.rows) if v]

    def set(self, actions: list[dict[str, Any]]) -> None:
        self.rows = []
        for item in actions:
            self.add(item)
        if not self.rows:
            self.add()


def case_facts_html(tc: TrainingCase) -> str:
    """The facts a trainee needs beside the story (the child is fictional)."""
    case = tc.case
    referral = case.referral
    age = age_years(case.child.date_of_birth, referral.date)
    facts = [
        (_("Case"), case.code),
        (_("Training case"), _("fictional, for training only")),
        (_("Referral date"), referral.date.isoformat()),
        (_("Referred by"), protocol.label("agency", referral.referring_agency)
         if referral.referring_agency else "—"),
        (_("Age at referral"), "—" if age is None else str(age)),
        (_("Abuse categories"), ", ".join(protocol.label("abuse_category", c)
                                          for c in referral.abuse_categories) or "—"),
        (_("Agencies involved"), ", ".join(protocol.label("agency", a)
                                           for a in case.agencies_involved) or "—"),
    ]
    if case.child.unaccompanied:
        facts.append((_("Unaccompanied child"), _("yes")))
    if case.child.in_conflict_with_law:
        facts.append((_("In conflict with the law"), _("yes")))
    # inline styles: Jupyter's output stylesheet would right-align the cells
    cell = "text-align:left;vertical-align:top;padding:3px 10px"
    rows = "".join(f"<tr><th style='{cell}'>{esc(k)}</th><td style='{cell}'>{esc(v)}</td></tr>"
                   for k, v in facts)
    return (f"<table class='cpkit-table cpkit-case-facts' style='max-width:1040px'>{rows}"
            "</table>")


class Exercise:
    """The whole exercise of one worked case: rate, check, send to the group session."""

    def __init__(self, tc: TrainingCase, *, session_name: str | None = None,
                 today: dt.date | None = None):
        self.tc = tc
        self.today = today or dt.date.today()
        self.risk = RiskExercise(tc.case.child.unaccompanied)
        self.wellbeing = WellbeingExercise()
        self.care_plan = CarePlanExercise()
        self.result: CheckResult | None = None

        self.check_button = w.Button(description=_("Check"), button_style="primary",
                                     icon="check", layout=w.Layout(width="auto"))
        self.check_button.add_class("cpkit-check")
        self.check_button.on_click(lambda _b: self.check())
        self.feedback = w.HTML()
        self.feedback.add_class("cpkit-feedback-out")
        self.sheet_link = w.HTML()

        style = {"description_width": "11em"}
        self.trainee = w.Text(description=_("Your name"), style=style,
                              layout=w.Layout(width="100%", max_width="30em"))
        self.trainee.add_class("cpkit-trainee")
        self.session = w.Text(value=session_name or session.default_name(self.today),
                              description=_("Group session"), style=style,
                              layout=w.Layout(width="100%", max_width="30em"))
        self.submit_button = w.Button(description=_("Send to the group session"),
                                      icon="upload", layout=w.Layout(width="auto"))
        self.submit_button.add_class("cpkit-submit")
        self.submit_button.on_click(lambda _b: self.submit())
        self.status = w.HTML()
        self.status.add_class("cpkit-status")

        sticky = w.VBox([self.risk.banner])
        sticky.add_class("cpkit-sticky")
        checking = section(_("Check your answer"), [
            note(_("Press Check to compare your ratings, statuses and care plan with the "
                   "reference answer. You can change your answer and check again.")),
            self.check_button, self.feedback, self.sheet_link])
        group = section(_("Group session"), [
            note(_("Send your answer to the trainer's group session to compare ratings "
                   "across the group.")),
            self.trainee, self.session, self.submit_button, self.status])
        meta = page_meta(page_title(tc.title, tc.code))
        self.widget = w.VBox([stylesheet(), meta, sticky, self.risk.widget, self.wellbeing.widget,
                              self.care_plan.widget, checking, group],
                             layout=w.Layout(width="100%"))
        self.widget.add_class("cpkit-form")
        self.widget.add_class("cpkit-exercise")

    def answer(self) -> TraineeAnswer:
        return TraineeAnswer(self.risk.value(), self.wellbeing.value(), self.care_plan.value())

    def set_answer(self, answer: TraineeAnswer) -> None:
        self.risk.set(answer.factors)
        self.wellbeing.set(answer.wellbeing)
        self.care_plan.set(answer.actions)

    def check(self) -> CheckResult:
        self.result = check(self.tc, self.answer())
        self.feedback.value = reference_html(self.tc) + feedback_html(self.result)
        sheet = feedback_sheet(self.result, self.tc.title, self.trainee.value.strip(),
                               self.today)
        data = base64.b64encode(sheet.encode("utf-8")).decode("ascii")
        self.sheet_link.value = (
            f"<a download='feedback-{esc(self.tc.code)}.html' "
            f"href='data:text/html;charset=utf-8;base64,{data}'>"
            f"{esc(_('Download your feedback sheet (HTML)'))}</a>")
        return self.result

    def submit(self) -> dict | None:
        try:
            entry = session.submit_for(kernel_guard(), self.session.value,
                                       self.trainee.value, self.tc.code,
                                       self.answer().to_dict())
        except CpkitError as err:
            self.status.value = f"<span class='bad'>{esc(err)}</span>"
            return None
        self.status.value = "<span class='ok'>{}</span>".format(esc(_(
            "Sent to {session} at {time}.").format(session=self.session.value.strip(),
                                                   time=entry["submitted_at"][11:16])))
        return entry


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class SessionView:
    """The trainer's view of a group session: ratings, agreement, disagreements, charts."""

    ALL = "*"

    def __init__(self, session_name: str | None = None, today: dt.date | None = None):
        from cpkit.training import agreement, charts

        self._agreement, self._charts = agreement, charts
        style = {"description_width": "9em"}
        self.session = w.Text(value=session_name or session.default_name(today),
                              description=_("Group session"), style=style,
                              layout=w.Layout(width="100%", max_width="30em"))
        self.case = w.Dropdown(options=[(_("All cases"), self.ALL)], value=self.ALL,
                               description=_("Case"), style=style)
        self.refresh_button = w.Button(description=_("Refresh"), icon="refresh",
                                       button_style="primary", layout=w.Layout(width="auto"))
        self.refresh_button.add_class("cpkit-refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.case.observe(lambda _c: self.refresh(keep_cases=True), names="value")
        self.summary = w.HTML()
        self.summary.add_class("cpkit-session-summary")
        self.charts = w.VBox(layout=w.Layout(width="100%"))
        self.widget = w.VBox([stylesheet(), page_meta(_("Group session")),
                              section(_("Group session"), [
            note(_("Trainees send their answers from the exercise notebooks; press Refresh "
                   "to see the latest.")),
            w.HBox([self.session, self.refresh_button]), self.case, self.summary]),
            self.charts])
        self.widget.add_class("cpkit-form")
        self.result = None
        self.refresh()

    def refresh(self, keep_cases: bool = False) -> None:
        try:
            answers = session.answers_for(kernel_guard(), self.session.value)
        except CpkitError as err:
            self.summary.value = f"<div class='cpkit-message'>{esc(err)}</div>"
            self.charts.children = []
            return
        if not keep_cases:
            codes = sorted({a["case"] for a in answers})
            options = [(_("All cases"), self.ALL), *((c, c) for c in codes)]
            if self.case.options != tuple(options):
                current = self.case.value
                self.case.options = options
                self.case.value = current if current in dict(options).values() else self.ALL
        if self.case.value != self.ALL:
            answers = [a for a in answers if a["case"] == self.case.value]
        self.result = self._agreement.session_agreement(answers)
        self.summary.value = self.summary_html(self.result)
        if self.result.answers < 2:
            self.charts.children = []
            return
        self.charts.children = [
            w.Image(value=self._charts.ratings_chart(self.result), format="png",
                    layout=w.Layout(width="100%", max_width="960px")),
            w.Image(value=self._charts.agreement_chart(self.result), format="png",
                    layout=w.Layout(width="100%", max_width="960px"))]

    def summary_html(self, result) -> str:
        if result.answers == 0:
            return f"<p>{esc(_('No answers in this session yet.'))}</p>"
        head = _("{trainees} trainee(s), {answers} answer(s), case(s): {cases}.").format(
            trainees=result.trainees, answers=result.answers, cases=", ".join(result.cases))
        kappa = _("Fleiss' kappa over all factors: {kappa}").format(kappa=_fmt(result.kappa))
        levels = self._agreement.CATEGORIES
        rows = "".join(
            f"<tr><td>{esc(protocol.label('factor', f.factor))}</td>"
            + "".join(f"<td>{f.counts[c]}</td>" for c in levels)
            + f"<td>{_fmt(f.proportion)}</td><td>{_fmt(f.kappa)}</td></tr>"
            for f in result.factors)
        header = "".join(f"<th>{esc(protocol.label('level', c))}</th>" for c in levels)
        worst = result.most_disagreed()
        worst_items = "".join(
            f"<li>{esc(protocol.label('factor', f.factor))} (P = {_fmt(f.proportion)})</li>"
            for f in worst) or f"<li>{esc(_('The group agrees on every factor.'))}</li>"
        explain = _("P: share of pairs of trainees giving the same level. Kappa per factor "
                    "needs two or more cases (the cases are its subjects).")
        return (f"<p>{esc(head)}</p><p class='cpkit-kappa'><b>{esc(kappa)}</b></p>"
                f"<h4>{esc(_('Where the group disagrees most'))}</h4>"
                f"<ol class='cpkit-disagree'>{worst_items}</ol>"
                f"<table class='cpkit-table'><tr><th>{esc(_('Factor'))}</th>{header}"
                f"<th>P</th><th>{esc(_('kappa'))}</th></tr>{rows}</table>"
                f"<div class='cpkit-note'>{esc(explain)}</div>")


def query_lang() -> str:
    """The page's ``?lang=`` (kept on the links between the kit's pages), or ``""``."""
    from cpkit.forms.query import query_params
    from cpkit.i18n import normalise_lang

    try:
        return normalise_lang(query_params().get("lang", "")) if query_params().get("lang") else ""
    except ValueError:
        return ""


def teaches_text(tc: TrainingCase) -> str:
    """What the case teaches, in the page's language."""
    return ", ".join(tc.reference.teaches)  # translated by cases.load


def reference_html(tc: TrainingCase) -> str:
    """Shown to the trainee only after Check: the reference level and what the case
    teaches (the index shows titles only, so as not to give the answers away)."""
    return (f"<p class='cpkit-reference'><b>{esc(_('Reference level'))}:</b> "
            f"{esc(protocol.label('level', tc.overall().level))}<br>"
            f"<b>{esc(_('What this case teaches'))}:</b> {esc(teaches_text(tc))}</p>")


def cases_index_html(trainer: bool = False) -> str:
    """The worked cases with links to the exercises: titles only for trainees (the
    reference level and what a case teaches would give the answers away); the trainer's
    view adds them."""
    from cpkit.training import cases

    rows = []
    lang = query_lang()
    for tc in cases.load_all():
        link = esc(f"{tc.code}.ipynb" + (f"?lang={lang}" if lang else ""))
        cells = [f"<a href='{link}' target='_blank'>{esc(tc.code)}</a>", esc(tc.title)]
        if trainer:
            cells += [esc(teaches_text(tc)),
                      esc(protocol.label("level", tc.overall().level))]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    heads = [_("Case"), _("Title")] + ([_("Teaches"), _("Reference level")] if trainer else [])
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    hint = _("Trainees open a case link in their browser; the answer key is rendered with "
             "'cpkit training answer-key CASE'.")
    return (f"<h3>{esc(_('Worked cases'))}</h3>"
            f"<table class='cpkit-table cpkit-cases-index'><tr>{head}</tr>{''.join(rows)}</table>"
            f"<p class='cpkit-note'>{esc(hint)}</p>")


def page_heading_html(title: str, fictional: bool = False) -> str:
    """A trainer-kit page's heading in the page's language (a notebook's Markdown cell
    would stay English), with the reminder that every person is fictional."""
    out = f"<h1 class='cpkit-heading'>{esc(title)}</h1>"
    if fictional:
        out += f"<p><i>{esc(_('Training case: every person is fictional.'))}</i></p>"
    return out


def exercise_heading_html(tc: TrainingCase) -> str:
    """``TR-2026-0001: Lorik, 4: a fall down the stairs?``, translated."""
    return page_heading_html(f"{tc.code}: {tc.title}", fictional=True)


def training_index_html() -> str:
    """The landing page of the training notebooks: the cases and the trainer's view."""
    steps = [
        _("Pick a worked case; each trainee opens its link in their own browser."),
        _("Trainees read the story, rate the factors, the wellbeing indicators and write a "
          "care plan, then press Check for feedback."),
        _("Trainees send their answers to today's group session; the trainer's view shows "
          "how the group rated each factor and where it disagrees."),
        _("Hand out the answer key: cpkit training answer-key CASE --format pdf."),
    ]
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    lang = query_lang()
    lang_query = f"?lang={lang}" if lang else ""
    trainer = _("Trainer's view: the group session")
    return (page_heading_html(_("cpkit training"))
            + f"<ol class='cpkit-note'>{items}</ol>"
            f"<p><a href='group_session.ipynb{esc(lang_query)}' target='_blank'>"
            f"<b>{esc(trainer)}</b></a></p>"
            + cases_index_html())
