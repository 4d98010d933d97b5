"""Documents from where the work is done: Render and Print on the CMR, care-plan and
closure forms (and the agency page), and the reports a supervisor returned.

"Render (HTML)" and "Print (PDF)" render the form's protocol document from the stored
case through :func:`cpkit.reports.render.render_report` (recorded, audited, redacted as
the guard decides) and open it in the page: the HTML in a sandboxed frame, the PDF in
the browser's own viewer from a ``data:application/pdf`` address, with a download link;
never the path of a file on the server.  The file is read back through
:meth:`cpkit.access.guard.Guard.read_report` (its checksum checked, the view audited).

A report returned at sign-off shows, with the supervisor's name and comment, on the
form it concerns and on the assessor's landing page (:func:`returned_reports`), until
that document is rendered again (the new rendering awaits sign-off instead).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import ipywidgets as w

from cpkit.access.served import served
from cpkit.forms.fields import button, esc, link
from cpkit.i18n import _, current_lang

# The form each kind of document is made from (the landing page links to it).
FORM_OF_KIND = {"minutes": "cmr", "invitation": "cmr", "care-plan": "care_plan",
                "closure": "closure", "chronology": "index"}


def pdf_inline(raw: bytes, name: str) -> str:
    """A PDF in the page (the browser's viewer, inline) with a download link."""
    import base64

    data = "data:application/pdf;base64," + base64.b64encode(raw).decode("ascii")
    download = (f"<a class='cpkit-link' download='{esc(name)}' href='{data}'>"
                f"{esc(_('Download the PDF'))}</a>")
    return (f"<object class='cpkit-pdf' type='application/pdf' data='{data}' "
            f"title='{esc(name)}'><p>{download}</p></object><p>{download}</p>")


def html_inline(raw: bytes, title: str) -> str:
    """An HTML report in a sandboxed frame (no script runs), with a print hint."""
    page = html.escape(raw.decode("utf-8"), quote=True)
    return (f"<iframe class='cpkit-report-frame' sandbox='allow-modals' title='{esc(title)}' "
            f"srcdoc=\"{page}\"></iframe>")


def report_title(case_id: str, kind: str, meeting: dt.date | None) -> str:
    from cpkit.i18n.formatting import format_date
    from cpkit.reports.parameters import kind_label

    parts = [case_id, kind_label(kind), format_date(meeting, format="medium") if meeting else ""]
    return " · ".join(p for p in parts if p)


@served
def returned_reports(guard, case_ids: list[str] | None = None,
                     kinds: tuple[str, ...] | None = None) -> list:
    """The returned reports still to put right: for each case, document kind and
    meeting, the latest rendering when a supervisor returned it (a newer rendering
    replaces it).  Comments withheld from those who see the case without identity."""
    from cpkit.dashboard.signoff import report_statuses, withhold_comments

    wanted = case_ids if case_ids is not None else guard.visible_ids("edit", training=None)
    if not wanted:
        return []
    latest: dict[tuple, object] = {}
    for status in report_statuses(guard.store, wanted):
        r = status.report
        if kinds is None or r["kind"] in kinds:
            latest[(r["case_id"], r["kind"], r["meeting_date"])] = status
    returned = [s for s in latest.values() if s.state == "returned"]
    return withhold_comments(guard, returned)


def returned_html(statuses: list, with_links: bool = False) -> str:
    """The returned reports as a notice: document, by whom, when, the comment."""
    if not statuses:
        return ""
    from cpkit.forms.base import form_url

    items = []
    for s in statuses:
        r = s.report
        title = report_title(r["case_id"], r["kind"], r["meeting_date"])
        where = (link(form_url(FORM_OF_KIND.get(r["kind"], "index"), r["case_id"]), title)
                 if with_links else esc(title))
        items.append(f"<li class='cpkit-returned-report' data-report='{r['id']}'>{where}: "
                     f"{esc(s.text())}</li>")
    return (f"<div class='cpkit-conflict cpkit-returned' role='status'><b>"
            f"{esc(_('Returned at sign-off: put right, then render again'))}</b>"
            f"<ul>{''.join(items)}</ul></div>")


class DocumentPanel:
    """Render (HTML) and Print (PDF) buttons for the documents of one form, the viewer,
    and the notice of a returned report of those documents."""

    def __init__(self, guard_of: Callable[[], object], case_id: Callable[[], str | None],
                 kinds: list[tuple[str, str]], meeting: Callable[[], dt.date | None] = None,
                 today: dt.date | None = None):
        self.guard_of, self.case_id, self.meeting = guard_of, case_id, meeting
        self.kinds = [k for k, _label in kinds]
        self.today = today
        rows = []
        self.buttons: dict[tuple[str, str], w.Button] = {}
        for kind, label in kinds:
            for fmt, words, icon in (("html", _("Render {document} (HTML)"), "eye"),
                                     ("pdf", _("Print {document} (PDF)"), "print")):
                b = button(words.format(document=label), icon=icon,
                           cls=f"cpkit-render-{kind}-{fmt}")
                b.add_class("cpkit-render")  # one class a call: the DOM refuses spaces
                b.on_click(lambda _b, k=kind, f=fmt: self.render(k, f))
                self.buttons[(kind, fmt)] = b
                rows.append(b)
        self.status = w.HTML()
        self.status.add_class("cpkit-render-status")
        self.returned = w.HTML()
        self.viewer = w.HTML(layout=w.Layout(width="100%"))
        self.viewer.add_class("cpkit-viewer")
        bar = w.HBox(rows, layout=w.Layout(flex_flow="row wrap", width="100%"))
        self.widget = w.VBox([bar, self.status, self.viewer],
                             layout=w.Layout(width="100%"))
        self.widget.add_class("cpkit-documents")
        self.refresh()

    def refresh(self) -> None:
        """Show (or clear) the returned-report notice of this form's documents."""
        code = self.case_id()
        if not code:
            self.returned.value = ""
            return
        try:
            statuses = returned_reports(self.guard_of(), [code], tuple(self.kinds))
        except Exception:  # noqa: BLE001  (a notice never stops the form)
            statuses = []
        self.returned.value = returned_html(statuses)

    def render(self, kind: str, fmt: str) -> bool:
        """Render ``kind`` as ``fmt`` from the stored case and open it in the page."""
        from cpkit.errors import CpkitError

        code = self.case_id()
        if not code:
            self.status.value = f"<span class='bad'>{esc(_('Save the case first.'))}</span>"
            return False
        guard = self.guard_of()
        for b in self.buttons.values():
            b.disabled = True
        self.status.value = f"<span role='status'>{esc(_('Rendering…'))}</span>"
        meeting = self.meeting() if self.meeting and kind == "minutes" else None
        try:
            done, raw = render_and_read(guard, code, kind, fmt, current_lang(), meeting,
                                        self.today)
        except CpkitError as err:
            self.status.value = (f"<span class='bad' role='alert'>"
                                 f"{esc(_('Not rendered: {reason}').format(reason=err))}</span>")
            return False
        finally:
            for b in self.buttons.values():
                b.disabled = False
        title = report_title(code, kind, done.meeting_date)
        body = (pdf_inline(raw, f"{code}-{kind}.pdf") if fmt == "pdf"
                else html_inline(raw, title))
        self.viewer.value = (f"<div class='cpkit-section cpkit-report' data-format='{fmt}' "
                             f"data-report='{done.report_id}'><h3 class='cpkit-heading'>"
                             f"{esc(title)}</h3>{body}</div>")
        self.status.value = (f"<span class='ok' role='status'>"
                             f"{esc(_('Rendered: {title}').format(title=title))}</span>")
        self.refresh()  # a returned report rendered again is no longer returned
        return True


@served
def render_and_read(guard, code: str, kind: str, fmt: str, lang: str,
                    meeting: dt.date | None, as_of: dt.date) -> tuple:
    """Render ``kind`` of case ``code`` (redacted) and read the file back through the
    guard (by the host, for a form's kernel: the pipeline records, the kernel shows)."""
    from cpkit.reports.render import render_report
    from cpkit.store.reports import get_report

    done = render_report(guard, code, kind, fmt=fmt, lang=lang, redact=True,
                         meeting_date=meeting, as_of=as_of)
    return done, guard.read_report(get_report(guard.store, done.report_id))
