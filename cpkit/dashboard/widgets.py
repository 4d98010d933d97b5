"""The supervisor dashboard as a Voila page (``notebooks/dashboard.ipynb``).

Plain Python around ipywidgets, so tests drive it as a browser would (set a filter,
press "Approve") and read the store back.  The caseload, counts and overdue list
come from :mod:`cpkit.dashboard.data` (store rows through the access guard; never a
training case); rendered reports and their sign-off from :mod:`cpkit.dashboard.signoff`.
Nothing here shows a child's name: the dashboard works with case codes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import ipywidgets as w

from cpkit import identity
from cpkit.access.users import shown_name
from cpkit.dashboard import charts, data, host
from cpkit.dashboard.coming import coming_html, scroll_region
from cpkit.dashboard.labels import risk_label, stage_label
from cpkit.errors import CpkitError
from cpkit.forms.documents import html_inline, pdf_inline, report_title
from cpkit.forms.page import page_meta
from cpkit.i18n import N_, _
from cpkit.i18n.formatting import format_date
from cpkit.markup import esc
from cpkit.reports.parameters import KINDS, kind_label
from cpkit.rules.deadlines import label as deadline_label
from cpkit.rules.summary import STAGES

CSS = """
.cpkit-dashboard { max-width: 1180px; margin: 0 auto; font-size: 14.5px; color: #1f2933; }
.cpkit-dashboard .cpkit-table { width: 100%; }
.cpkit-dashboard .cpkit-table th { background: #f0f4f8; white-space: nowrap; }
.cpkit-dashboard .cpkit-table td.code, .cpkit-dashboard .cpkit-table td.day,
.cpkit-dashboard .cpkit-table td.flag, .cpkit-dashboard .cpkit-table td.late {
  white-space: nowrap; }
.cpkit-dashboard tr.is-overdue td.flag { color: #b42318; font-weight: 700; }
.cpkit-dashboard .risk-high { color: #b42318; font-weight: 700; }
.cpkit-dashboard .risk-medium { color: #a15c00; font-weight: 600; }
.cpkit-dashboard .risk-low { color: #1e7b34; }
.cpkit-dashboard .late { color: #b42318; font-weight: 700; text-align: right; }
.cpkit-filters { gap: 6px 14px; flex-wrap: wrap !important; }
/* tablet width (768 px): the caseload wraps its words so that no column is cut off */
@media (max-width: 900px) {
  .cpkit-dashboard { max-width: 100%; }
  .cpkit-dashboard .cpkit-table { table-layout: auto; }
  .cpkit-dashboard .cpkit-table th, .cpkit-dashboard .cpkit-table td,
  .cpkit-dashboard .cpkit-table td.day, .cpkit-dashboard .cpkit-table td.flag,
  .cpkit-dashboard .cpkit-table td.late { white-space: normal; overflow-wrap: anywhere;
    padding: 3px 5px; }
}
.cpkit-charts { display: flex; flex-wrap: wrap; gap: 8px; }
.cpkit-charts img { max-width: 380px; width: 100%; border: 1px solid #e1e6ee;
  border-radius: 6px; }
.cpkit-scroll { max-height: 460px; overflow-y: auto; }
.cpkit-scroll:focus-visible { outline: 3px solid #2f6fde; outline-offset: 2px; }
.cpkit-report-row { border-bottom: 1px solid #e1e6ee; padding: 4px 0; align-items: center;
  flex-wrap: wrap; gap: 4px; }
.cpkit-state-awaiting { color: #a15c00; font-weight: 600; }
.cpkit-state-approved { color: #1e7b34; font-weight: 600; }
.cpkit-state-changed, .cpkit-state-returned { color: #b42318; font-weight: 600; }
.cpkit-viewer iframe, .cpkit-viewer object { width: 100%; height: 560px;
  border: 1px solid #d5dbe3; }
"""

ALL = "__all__"
WARM_AFTER = 3.0  # seconds after the dashboard is shown before its report kernel starts
SORT_LABELS = {
    "case_id": N_("code"), "overall_risk": N_("overall risk"), "stage": N_("stage"),
    "case_manager": N_("case manager"), "next_due": N_("next deadline"),
    "days_late": N_("days late"),
}


def _agency_prefix(agency: str | None) -> str:
    """"Municipal Directorate of Education: " before a deadline an agency owes."""
    from cpkit import protocol

    return f"{protocol.label('agency', agency)}: " if agency else ""


def agency_lateness_html(late) -> str:
    """"Municipal Directorate of Education: Progress report sent (...) for the CMR of
    16 Dec 2026, 2 days late", one line per overdue deadline an agency owes."""
    from cpkit import protocol

    if late.empty:
        return f"<p class='cpkit-note'>{esc(_('No agency is late.'))}</p>"
    items = []
    for r in late.itertuples(index=False):
        meeting = dt.date.fromisoformat(r.meeting) if r.meeting else None
        text = _("{agency}: {deadline} for the CMR of {day}, {n} days late").format(
            agency=protocol.label("agency", r.agency), deadline=deadline_label(r.kind),
            day=format_date(meeting, format="medium") if meeting else "–", n=r.days_late)
        items.append(f"<li data-agency='{esc(r.agency)}' data-case='{esc(r.case_id)}'>"
                     f"<span class='code'>{esc(r.case_id)}</span> {esc(text)}</li>")
    return "<ul class='cpkit-agency-late'>" + "".join(items) + "</ul>"


def _button(text: str, cls: str, style: str = "", icon: str = "") -> w.Button:
    b = w.Button(description=text, button_style=style, icon=icon,
                 layout=w.Layout(width="auto"))
    b.add_class(cls)
    return b


def _section(title: str, children: list[w.Widget], cls: str) -> w.VBox:
    box = w.VBox([w.HTML(f"<h3 class='cpkit-heading'>{esc(title)}</h3>"), *children],
                 layout=w.Layout(width="100%"))
    box.add_class("cpkit-section")
    box.add_class(cls)
    return box


class Dashboard:
    """Caseload, counts, overdue list and report sign-off for one supervisor."""

    def __init__(self, *, store=None, guard=None, user: str | None = None,
                 today: dt.date | None = None):
        from cpkit.access import Guard, single_user_notice

        if guard is None and store is None:
            from cpkit.forms.base import default_store

            guard = default_store()
        self.guard = guard or Guard.for_user(store, user or identity.current_user())
        self.today = today or dt.date.today()
        self.board: data.DashboardData | None = None
        self.statuses: list = []
        self._rows: dict[tuple, w.HBox] = {}  # report rows shown, by what they show

        notice = single_user_notice(self.guard)
        self.header = w.HTML(
            f"<div class='cpkit-header'><h2>{esc(_('Supervisor dashboard'))}</h2>"
            f"<p class='cpkit-note'>{esc(_('Caseload as of {day}; user {user}').format(day=format_date(self.today), user=shown_name(self.guard, self.guard.user)))}"  # noqa: E501
            + (f" · {esc(notice)}" if notice else "") + "</p></div>")
        self.message = w.HTML()
        self.message.add_class("cpkit-dashboard-message")

        # filters and sorting
        style = {"description_width": "initial"}
        self.risk = w.Dropdown(description=_("Risk"), style=style,
                               options=[(_("all"), ALL)] + [(risk_label(k), k) for k in
                                                            (*data.RISK_LEVELS, "")])
        self.stage = w.Dropdown(description=_("Stage"), style=style,
                                options=[(_("all"), ALL)] + [(stage_label(s), s)
                                                             for s in STAGES])
        self.manager = w.Dropdown(description=_("Case manager"), style=style,
                                  options=[(_("all"), ALL)])
        self.overdue_only = w.Checkbox(description=_("Overdue only"), indent=False)
        self.sort_by = w.Dropdown(description=_("Sort by"), style=style,
                                  options=[(_(t), k) for k, t in SORT_LABELS.items()])
        self.descending = w.Checkbox(description=_("Descending"), indent=False)
        for name, control in (("risk", self.risk), ("stage", self.stage),
                              ("manager", self.manager), ("overdue", self.overdue_only),
                              ("sort", self.sort_by), ("descending", self.descending)):
            control.add_class(f"cpkit-filter-{name}")
            control.layout.width = "auto"
            control.observe(lambda _change: self.show_table(), names="value")
        self.refresh_button = _button(_("Refresh"), "cpkit-refresh", icon="refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        filters = w.HBox([self.risk, self.stage, self.manager, self.overdue_only,
                          self.sort_by, self.descending, self.refresh_button],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
        filters.add_class("cpkit-filters")
        self.count = w.HTML()
        self.count.add_class("cpkit-caseload-count")
        self.table = w.HTML()
        self.table.add_class("cpkit-caseload")
        self.charts = w.HTML()
        self.charts.add_class("cpkit-dashboard-charts")
        self.overdue = w.HTML()
        self.overdue.add_class("cpkit-overdue")
        self.queue = w.VBox()
        self.queue.add_class("cpkit-signoff-queue")
        self.coming = w.HTML()
        self.coming.add_class("cpkit-coming-cmrs")
        self.agencies = w.HTML()
        self.agencies.add_class("cpkit-agency-lateness")

        # one case's reports
        self.case = w.Dropdown(description=_("Case"), style=style, options=[])
        self.case.add_class("cpkit-report-case")
        self.case.observe(lambda _change: self.show_case_reports(), names="value")
        self.kind = w.Dropdown(description=_("Report"), style=style,
                               options=[(kind_label(k), k) for k in KINDS],
                               value="minutes" if "minutes" in KINDS else KINDS[0])
        self.kind.add_class("cpkit-render-kind")
        self.fmt = w.Dropdown(description=_("Format"), style=style,
                              options=[("HTML", "html"), ("PDF", "pdf")], value="html")
        self.fmt.add_class("cpkit-render-format")
        self.render_button = _button(_("Render latest"), "cpkit-render", "info", "print")
        self.render_button.on_click(lambda _b: self.render_latest())
        self.case_reports = w.VBox()
        self.case_reports.add_class("cpkit-case-reports")
        self.viewer = w.HTML()
        self.viewer.add_class("cpkit-viewer")

        self.widget = w.VBox([
            w.HTML(f"<style>{CSS}</style>"), self._stylesheet(),
            page_meta(_("Supervisor dashboard")), self.header, self.message,
            _section(_("Reports awaiting sign-off"), [self.queue], "cpkit-signoff"),
            _section(_("Caseload"), [filters, self.count, self.table], "cpkit-caseload-box"),
            _section(_("Coming CMRs"), [self.coming], "cpkit-coming-box"),
            _section(_("Late, by agency"), [self.agencies], "cpkit-agencies-box"),
            _section(_("Overdue under the protocol's timescales"), [self.overdue],
                     "cpkit-overdue-box"),
            _section(_("Counts and workload"), [self.charts], "cpkit-charts-box"),
            _section(_("Reports of a case"),
                     [self._toolbar([self.case, self.kind, self.fmt, self.render_button]),
                      self.case_reports], "cpkit-reports-box"),
            self.viewer,
        ], layout=w.Layout(width="100%"))
        self.widget.add_class("cpkit-form")
        self.widget.add_class("cpkit-dashboard")
        self.refresh()
        if self.statuses:  # open on the case of the latest rendered report
            self.case.value = self.statuses[-1].case_id

    @staticmethod
    def _toolbar(children: list[w.Widget]) -> w.HBox:
        box = w.HBox(children, layout=w.Layout(flex_flow="row wrap", align_items="center"))
        box.add_class("cpkit-filters")
        return box

    @staticmethod
    def _stylesheet() -> w.Widget:
        try:
            from cpkit.forms.style import stylesheet

            return stylesheet()
        except ImportError:  # the forms' stylesheet is a nicety, not a need
            return w.HTML()

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the caseload, deadlines and reports again."""
        try:
            self.board = data.load(self.guard, self.today)
        except CpkitError as err:
            self.say(str(err), bad=True)
            return
        managers = self.board.managers
        keep = self.manager.value
        self.manager.options = [(_("all"), ALL)] + [(m, m) for m in managers]
        self.manager.value = keep if keep in managers else ALL
        codes = list(self.board.caseload["case_id"])
        keep = self.case.value
        self.case.options = codes
        self.case.value = keep if keep in codes else (codes[0] if codes else None)
        self.show_table()
        self.show_overdue()
        self.coming.value = coming_html(self.board.coming)
        self.agencies.value = agency_lateness_html(data.lateness_by_agency(self.board.overdue))
        self.show_charts()
        self.refresh_reports()

    def refresh_reports(self) -> None:
        codes = list(self.board.caseload["case_id"]) if self.board is not None else []
        self.statuses = host.statuses(self.guard, codes)
        self.show_queue()
        self.show_case_reports()

    def say(self, text: str, bad: bool = False) -> None:
        cls = "cpkit-conflict" if bad else "cpkit-note"
        self.message.value = f"<div class='{cls}'>{esc(text)}</div>" if text else ""

    # -- the caseload ------------------------------------------------------------------

    def filtered(self):
        """The caseload rows the filters let through, sorted as chosen."""
        value = lambda c: None if c.value == ALL else c.value  # noqa: E731
        rows = data.filter_caseload(self.board.caseload, risk=value(self.risk),
                                    stage=value(self.stage), manager=value(self.manager),
                                    overdue=self.overdue_only.value)
        return data.sort_caseload(rows, self.sort_by.value, not self.descending.value)

    def show_table(self) -> None:
        if self.board is None:
            return
        rows = self.filtered()
        self.count.value = ("<p class='cpkit-note'>" + esc(_("{shown} of {total} cases").format(
            shown=len(rows), total=len(self.board.caseload))) + "</p>")
        body = []
        for r in rows.itertuples(index=False):
            due = r.next_due
            late = esc(_("{n} days late").format(n=r.days_late)) if r.overdue else ""
            kinds = ", ".join(deadline_label(k) for k in r.overdue_kinds.split(", ") if k)
            body.append(
                f"<tr class='cpkit-case-row{' is-overdue' if r.overdue else ''}' "
                f"data-case='{esc(r.case_id)}'><td class='code'>{esc(r.case_id)}</td>"
                f"<td class='risk-{esc(r.overall_risk)}'>{esc(risk_label(r.overall_risk))}</td>"
                f"<td>{esc(stage_label(r.stage))}</td><td>{esc(r.case_manager)}</td>"
                f"<td>{esc(deadline_label(data.kind_of(r.next_kind)) if r.next_kind else '')}"
                f"</td><td class='day'>{esc(format_date(due, format='medium') if due else '')}</td>"
                f"<td class='flag' title='{esc(kinds)}'>{late}</td></tr>")
        heads = [_("code"), _("overall risk"), _("stage"), _("case manager"),
                 _("next deadline"), _("due"), _("overdue")]
        self.table.value = (
            scroll_region(_("Caseload")) + "<table class='cpkit-table cpkit-caseload-table'><tr>"
            + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr>" + "".join(body)
            + "</table></div>" if body else
            f"<p class='cpkit-note'>{esc(_('No case matches these filters.'))}</p>")

    def show_overdue(self) -> None:
        late = self.board.overdue
        if late.empty:
            self.overdue.value = f"<p class='cpkit-note'>{esc(_('Nothing is overdue.'))}</p>"
            return
        rows = "".join(
            f"<tr class='cpkit-overdue-row' data-case='{esc(r.case_id)}' "
            f"data-kind='{esc(r.kind)}'><td class='code'>{esc(r.case_id)}</td>"
            f"<td>{esc(_agency_prefix(r.agency))}{esc(deadline_label(r.kind))}"
            + (f" ({esc(_('CMR of {day}').format(day=format_date(r.meeting, format='medium')))})"
               if r.meeting else "")
            + f"</td><td class='day'>{esc(format_date(r.due, format='medium'))}</td>"
            f"<td class='late'>{esc(_('{n} days late').format(n=r.days_late))}</td>"
            f"<td>{esc(r.case_manager or '')}</td></tr>"
            for r in late.itertuples(index=False))
        heads = [_("code"), _("deadline"), _("due"), _("days late"), _("case manager")]
        self.overdue.value = (
            scroll_region(_("Overdue")) + "<table class='cpkit-table cpkit-overdue-table'><tr>"
            + "".join(f"<th>{esc(h)}</th>" for h in heads) + f"</tr>{rows}</table></div>")

    def show_charts(self) -> None:
        b = self.board
        figures = [(charts.risk_chart(b.by_risk), _("Cases by overall risk")),
                   (charts.stage_chart(b.by_stage), _("Cases by stage"))]
        if len(b.workload):
            figures.append((charts.workload_chart(b.workload), _("Workload per case manager")))
        self.charts.value = ("<div class='cpkit-charts'>"
                             + "".join(charts.img_tag(f, alt) for f, alt in figures) + "</div>")

    # -- reports and sign-off ----------------------------------------------------------

    def _report_row(self, status, with_case: bool) -> w.HBox:
        r = status.report
        when = format_date(r["meeting_date"], format="medium") if r["meeting_date"] else ""
        text = " · ".join(p for p in (
            r["case_id"] if with_case else "", kind_label(r["kind"]), when,
            r["format"].upper()) if p)
        info = w.HTML(f"<span class='cpkit-report-info'>{esc(text)}</span> "
                      f"<span class='cpkit-state-{status.state}'>{esc(status.text())}</span>")
        view = _button(_("View"), "cpkit-view")
        view.on_click(lambda _b, rid=status.report_id: self.view(rid))
        parts: list[w.Widget] = [info, view]
        if status.awaiting and self.guard.allowed("sign_off", status.case_id):
            approve = _button(_("Approve"), "cpkit-approve", "success", "check")
            comment = w.Text(placeholder=_("comment (needed to return)"),
                             layout=w.Layout(width="18em"))
            comment.add_class("cpkit-comment")
            send_back = _button(_("Return"), "cpkit-return", "warning", "undo")
            approve.on_click(lambda _b, rid=status.report_id, c=comment:
                             self.decide(rid, "approve", c.value))
            send_back.on_click(lambda _b, rid=status.report_id, c=comment:
                               self.decide(rid, "return", c.value))
            parts += [approve, comment, send_back]
        row = w.HBox(parts, layout=w.Layout(width="100%"))
        row.add_class("cpkit-report-row")
        row.add_class(f"cpkit-report-{status.report_id}")
        return row

    def _row(self, status, with_case: bool) -> w.HBox:
        """The row of ``status``, reused while what it shows is unchanged: a refresh
        after each render or sign-off would otherwise build (and leave in the kernel)
        half a dozen widgets for every report awaiting sign-off, and lose a comment
        being typed."""
        key = (status.report_id, with_case, status.state, status.text())
        if key not in self._rows:
            self._rows[key] = self._report_row(status, with_case)
        return self._rows[key]

    def _close_rows_not_shown(self) -> None:
        shown = {id(row) for row in (*self.queue.children, *self.case_reports.children)}
        for key, row in list(self._rows.items()):
            if id(row) not in shown:
                for part in row.children:
                    part.close()
                row.close()
                del self._rows[key]

    def show_queue(self) -> None:
        waiting = [s for s in self.statuses if s.awaiting]
        if not waiting:
            self.queue.children = [w.HTML(f"<p class='cpkit-note'>"
                                          f"{esc(_('No report is awaiting sign-off.'))}</p>")]
        else:
            self.queue.children = [self._row(s, True) for s in waiting]
        self._close_rows_not_shown()

    def show_case_reports(self) -> None:
        code = self.case.value
        mine = [s for s in self.statuses if s.case_id == code]
        if not mine:
            self.case_reports.children = [w.HTML(
                f"<p class='cpkit-note'>{esc(_('No report of this case has been rendered.'))}"
                "</p>")]
        else:
            self.case_reports.children = [self._row(s, False) for s in reversed(mine)]
        self._close_rows_not_shown()

    def decide(self, report_id: int, decision: str, comment: str | None = None) -> None:
        """Approve or return a report, as the dashboard's buttons do."""
        try:
            status = host.decide(self.guard, report_id, decision, comment)
        except CpkitError as err:
            self.say(str(err), bad=True)
            return
        self.say(_("Report #{id} ({case}): {status}").format(
            id=report_id, case=status.case_id, status=status.text()))
        self.refresh_reports()

    def view(self, report_id: int) -> None:
        """Show a rendered HTML report below (checked against its recorded checksum)."""
        status = next((s for s in self.statuses if s.report_id == report_id), None)
        if status is None:
            return
        report = status.report
        try:  # through the guard: the identity rule, the checksum, an audit row
            raw = self.guard.read_report(report)
        except CpkitError as err:
            self.viewer.value = f"<p class='cpkit-conflict'>{esc(str(err))}</p>"
            return
        title = report_title(status.case_id, report["kind"], report["meeting_date"])
        head = f"<div class='cpkit-section'><h3 class='cpkit-heading'>{esc(title)}</h3>"
        if report["format"] != "html":
            shown = pdf_inline(raw, f"{status.case_id}-{report['kind']}.pdf")
        else:
            shown = html_inline(raw, title)
        self.viewer.value = head + shown + "</div>"

    def warm_report_kernel(self) -> None:
        """Have the host start the report kernel now, in the background, so that
        "Render latest" finds it warm (about 0.5 s for HTML instead of 3-4 s of a new
        kernel), and make its render pipeline ready (:func:`cpkit.dashboard.host.warm`).
        The dashboard does it a few seconds after it is shown (:data:`WARM_AFTER`), once
        the page has drawn."""
        with contextlib.suppress(CpkitError):  # said on the click instead
            host.warm(self.guard, self.kind.value)

    def render_latest(self) -> None:
        """Render report ``kind`` of the chosen case from its current version, in the
        dashboard's warm report kernel (wiped after each report), by the host."""
        code, kind = self.case.value, self.kind.value
        if not code:
            return
        self.say(_("Rendering {kind} of {case} ...").format(kind=kind_label(kind), case=code))
        try:
            host.render_latest(self.guard, code, kind, self.fmt.value, self.today)
        except CpkitError as err:
            self.say(str(err), bad=True)
            return
        self.say(_("Rendered: {kind} of {case}").format(kind=kind_label(kind), case=code))
        self.refresh_reports()

    def show(self) -> Dashboard:
        from IPython.display import display

        display(self.widget)
        warm = threading.Timer(WARM_AFTER, self.warm_report_kernel)
        warm.daemon = True
        warm.start()
        return self

    @classmethod
    def from_query(cls, query: str | None = None, **kwargs) -> Dashboard:
        """The dashboard in the page's ``?lang=`` or the user's chosen language."""
        from cpkit.forms.query import apply_language, query_params

        apply_language(query_params(query), kwargs.get("user"))
        return cls(**kwargs)
