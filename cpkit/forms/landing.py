"""The landing page: find a case, start a new referral, open a case's forms and
see its deadlines, reach the supervisor dashboard.

Finding by name is allowed only to users who may see the child's identity: the hook
:func:`can_see_identity` decides (single-user mode: yes); the access-control work
replaces it with the real rule.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as w

from cpkit import identity, preferences
from cpkit.access.intake import INTAKE_ROLES
from cpkit.dashboard import coming as coming_cmrs
from cpkit.dashboard.labels import risk_label
from cpkit.dashboard.table import kind_of
from cpkit.errors import CpkitError, NotFound
from cpkit.forms.base import FORMS, default_store, form_url
from cpkit.forms.fields import button, esc, label_style, link
from cpkit.forms.inbox import InboxPanel
from cpkit.forms.page import first_paint, page_meta, static_html
from cpkit.forms.shared import layout, plain, style
from cpkit.forms.style import stylesheet
from cpkit.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, current_lang, set_lang
from cpkit.i18n.formatting import format_date
from cpkit.model import Case
from cpkit.rules.deadlines import case_deadlines
from cpkit.rules.deadlines import label as deadline_label
from cpkit.rules.summary import stage, stage_label
from cpkit.store import Store
from cpkit.summary_text import risk_reason

# A deadline's status in words (the protocol's timescale met, missed, or still open).
STATUS_LABELS = {"done": N_("done"), "overdue": N_("overdue"), "due": N_("open")}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def can_see_identity(user: str, case: Case | None = None) -> bool:
    """Whether ``user`` may see children's names (and find cases by name).

    Hook for the access-control work: single-user mode lets the one user see them; with
    the guarded store (the default) a case whose identity the user may not see comes
    back redacted, so its name is empty and never matches.
    """
    from cpkit.access.guard import is_redacted

    return case is None or not is_redacted(case)


def _name(case: Case) -> str:
    return " ".join(p for p in (case.child.given_name, case.child.family_name) if p)


class Landing:
    """The case list, the finder, and the selected case's forms and deadlines."""

    def __init__(self, case_id: str | None = None, *, store: Store | None = None,
                 user: str | None = None, today: dt.date | None = None,
                 dashboard: Path | None = None, page: w.Box | None = None):
        self.case_id = case_id
        self.store = store or default_store()
        self.user = user or identity.current_user()
        self.today = today or dt.date.today()
        self.dashboard = dashboard if dashboard is not None else Path("dashboard.ipynb")
        names = can_see_identity(self.user)
        self.query = w.Text(description=_("Case code or name") if names else _("Case code"),
                            placeholder="PR-2026-0001",
                            style=label_style(w.Text),
                            continuous_update=False,
                            layout=layout(width="100%", max_width="34em"))
        self.query.add_class("cpkit-find-input")
        self.find_button = button(_("Find"), style="primary", icon="search", cls="cpkit-find")
        self.find_button.on_click(lambda _b: self.find(self.query.value))
        self.query.observe(lambda ch: self.find(ch["new"]), names="value")
        self.result = plain(w.HTML)
        self.result.add_class("cpkit-result")
        self.caseload = plain(w.HTML)
        self.caseload.add_class("cpkit-caseload")
        self.header = plain(w.HTML, f"<div class='cpkit-header'><h2>"
                            f"{esc(_('Child protection cases'))}</h2><nav class='cpkit-nav'>"
                            f"{self._role_links()}</nav></div>")
        self.inbox = InboxPanel(self.store, self.user)
        finder = w.HBox([self.query, self.find_button],
                        layout=layout(flex_flow="row wrap", align_items="center"))
        self.language = w.Dropdown(
            description=_("Language"), value=current_lang(),
            options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
            style=style(w.Dropdown, description_width="initial"), layout=layout(width="auto"))
        self.language.add_class("cpkit-language")
        self.language.observe(lambda ch: self.choose_language(ch["new"]), names="value")
        self.returned = plain(w.HTML, self._returned())
        self.returned.add_class("cpkit-returned-box")
        content = w.VBox([stylesheet(), page_meta(_("Child protection cases")), self.header,
                          self.language, self.inbox.widget, self.returned, finder, self.result,
                          self.caseload], layout=layout(width="100%"))
        # The page keeps one box; choosing a language rebuilds what is in it.
        self.widget = page if page is not None else w.VBox(layout=layout(width="100%"))
        self.widget.children = [content]
        self.widget.add_class("cpkit-form")
        self.widget.add_class("cpkit-landing")
        self.refresh_caseload()
        if case_id:
            self.find(case_id)

    def choose_language(self, lang: str) -> Landing:
        """Remember the user's language and show the page in it (the forms follow)."""
        preferences.set_language(lang, self.user)
        set_lang(lang)
        return Landing(self.case_id, store=self.store, user=self.user, today=self.today,
                       dashboard=self.dashboard, page=self.widget)

    def _role_links(self) -> str:
        """The pages of the user's roles, and only those: a new referral for who may
        create a case; Refer a child and their agency's page for agency members; Intake
        for the Center for Social Work; the supervisor dashboard for all but an agency
        member alone (an agency member has no caseload to watch, and a link that leads
        to a refusal or an empty page is a wrong turn).  Single-user mode: every page."""
        principal = getattr(self.store, "principal", None)
        single = principal is None or getattr(self.store, "single_user", False)
        roles = frozenset() if single else principal.roles
        agency_only = not single and roles <= {"agency_member"}
        links = []
        if single or self.store.allowed("create"):
            links.append(link(form_url("referral"), _("New referral (create a case)"),
                              "cpkit-new-referral"))
        if single or "agency_member" in roles:
            links.append(link(form_url("refer"), _("Refer a child"), "cpkit-refer-link"))
            links.append(link(form_url("agency"), _("Your agency's tasks"), "cpkit-agency-link"))
        if single or roles & INTAKE_ROLES:
            links.append(link(form_url("intake"), _("Intake"), "cpkit-intake-link"))
        if self.dashboard.exists() and not agency_only:
            links.append(link("dashboard.ipynb", _("Supervisor dashboard"), "cpkit-dashboard"))
        return "".join(links)

    # -- finding -----------------------------------------------------------------------

    def find(self, text: str) -> list[str]:
        """Show the case with code ``text``, or the cases whose child's name matches."""
        text = (text or "").strip()
        if not text:
            self.result.value = ""
            return []
        record = None
        for code in dict.fromkeys((text, text.upper())):
            try:
                record = self.store.get(code)
                break
            except NotFound:
                continue
        if record is not None:
            self.result.value = self.case_html(record.case)
            return [record.case.case_id]
        if not can_see_identity(self.user):
            self.result.value = self._message(_("No case with code {code}.").format(code=text))
            return []
        if hasattr(self.store, "search"):  # the guard: one `search` audit row
            found = [r.case for r in self.store.search(text)]
        else:
            wanted = text.casefold()
            found = [r.case for r in self.store.records(training=False)
                     if wanted in _name(r.case).casefold()]
        if not found:
            self.result.value = self._message(
                _("No case with that code or name: check the code (e.g. PR-2026-0001)."))
            return []
        if len(found) == 1:  # opened: a read of the child's identity, audited as such
            if hasattr(self.store, "principal"):
                self.store.record_event("read_identity", found[0].case_id,
                                        {"purpose": "show", "via": "search"})
            self.result.value = self.case_html(found[0])
        else:
            rows = "".join(f"<tr><td>{link(form_url('index', c.case_id), c.case_id)}</td>"
                           f"<td>{esc(_name(c))}</td><td>{esc(stage_label(stage(c)))}</td></tr>"
                           for c in found)
            self.result.value = (f"<table class='cpkit-table'><tr><th>{esc(_('code'))}</th>"
                                 f"<th>{esc(_('child'))}</th><th>{esc(_('stage'))}</th></tr>"
                                 f"{rows}</table>")
        return [c.case_id for c in found]

    @staticmethod
    def _message(text: str) -> str:
        return f"<div class='cpkit-conflict'>{esc(text)}</div>"

    # -- one case ----------------------------------------------------------------------

    def case_html(self, case: Case) -> str:
        code = case.case_id
        links = "".join(link(form_url(form, code), _(title)) for form, title in FORMS)
        name = ""
        if can_see_identity(self.user, case):
            name = f" · {esc(_name(case))}" if _name(case) else ""
            if not hasattr(self.store, "principal"):  # a guarded store audits its reads
                self.store.record_event("read_identity", code, actor=self.user)
        rows = []
        for d in sorted(case_deadlines(case), key=lambda d: d.due):
            status = d.status(self.today)
            label = deadline_label(d.kind)
            when = (" (" + _("CMR of {day}").format(day=format_date(d.meeting, format="medium"))
                    + ")" if d.meeting and not d.latest else "")
            done = format_date(d.done_on, format="medium") if d.done_on else ""
            rows.append(f"<tr class='{status}'><td>{esc(label)}{esc(when)}</td>"
                        f"<td>{esc(format_date(d.due, format='medium'))}</td><td>{esc(done)}</td>"
                        f"<td>{esc(status_label(status))}</td></tr>")
        table = (f"<table class='cpkit-table cpkit-deadlines'><tr><th>{esc(_('deadline'))}</th>"
                 f"<th>{esc(_('due'))}</th><th>{esc(_('done on'))}</th>"
                 f"<th>{esc(_('status'))}</th></tr>{''.join(rows)}</table>"
                 if rows else f"<p>{esc(_('No deadlines yet.'))}</p>")
        return (f"<div class='cpkit-section cpkit-case' data-code='{esc(code)}'>"
                f"<h3 class='cpkit-heading'>{esc(code)}{name}</h3>{self._void(code)}"
                f"<p>{esc(_('Stage'))}: {esc(stage_label(stage(case)))} · "
                f"{esc(_('Overall risk'))}: "
                f"{esc(risk_reason(case))}</p>"
                f"<nav class='cpkit-nav cpkit-case-forms'>{links}</nav>"
                f"<h4>{esc(_('Deadlines'))}</h4>{table}</div>")

    def _guard(self):
        from cpkit.access import Guard

        return self.store if hasattr(self.store, "principal") else Guard.for_user(
            self.store, self.user)

    def _returned(self) -> str:
        """The reports a supervisor returned on this user's cases, with the comment and
        a link to the form to put them right (until rendered again)."""
        from cpkit.forms.documents import returned_html, returned_reports

        try:
            return returned_html(returned_reports(self._guard()), with_links=True)
        except CpkitError:  # e.g. an admin, who edits no case
            return ""

    def _void(self, code: str) -> str:
        """A void case (created by mistake) says so when opened by its code."""
        from cpkit.access.voiding import void_of, void_text

        guard = self._guard()
        void = void_of(guard, code)
        return (f"<div class='cpkit-conflict cpkit-void' role='status'>"
                f"{esc(void_text(guard, void))}</div>" if void else "")

    def refresh_caseload(self) -> None:
        rows = []
        for r in self.store.summaries(training=False):
            overdue = r["next_due"] is not None and r["next_due"] < self.today
            rows.append(
                f"<tr><td>{link(form_url('index', r['case_id']), r['case_id'])}</td>"
                f"<td>{esc(risk_label(r['overall_risk']))}</td>"
                f"<td>{esc(stage_label(r['stage']))}</td><td>{esc(r['case_manager'] or '-')}</td>"
                f"<td class='{'overdue' if overdue else ''}'>{self._next(r, overdue)}</td></tr>")
        coming = coming_cmrs.coming_html(coming_cmrs.load(self.store, self.today))
        self.caseload.value = (
            f"<div class='cpkit-section'><h3 class='cpkit-heading'>{esc(_('Caseload'))}</h3>"
            f"<table class='cpkit-table'><tr><th>{esc(_('code'))}</th>"
            f"<th>{esc(_('overall risk'))}</th><th>{esc(_('stage'))}</th>"
            f"<th>{esc(_('case manager'))}</th><th>{esc(_('next deadline'))}</th></tr>"
            f"{''.join(rows)}</table>"
            f"<h4 class='cpkit-caseload-coming'>{esc(_('Coming CMRs'))}</h4>{coming}</div>")

    @staticmethod
    def _next(row: dict, overdue: bool) -> str:
        """The next deadline in words: its name, its day, "overdue" in words too."""
        if not row["next_kind"]:
            return ""
        text = f"{deadline_label(kind_of(row['next_kind']))}: "
        text += format_date(row["next_due"], format="medium") if row["next_due"] else ""
        return esc(text) + (f" <b>({esc(_('overdue'))})</b>" if overdue else "")

    def show(self) -> Landing:
        from IPython.display import display

        first_paint(static_html([self.header, self.result, self.caseload]))
        display(self.widget)
        return self

    @classmethod
    def from_query(cls, query: str | None = None, **kwargs) -> Landing:
        from cpkit.forms.query import apply_language, query_params

        params = query_params(query)
        apply_language(params, kwargs.get("user"))
        return cls(params.get("case") or None, **kwargs)
