"""The form controller every protocol form builds on.

A :class:`CaseForm` holds a case read from the store (and the version it was read
at) and the widgets that edit part of it.  It is plain Python around the widgets, so
tests drive it exactly as a browser would: set widget values, call :meth:`save`,
read the store back.

On every change it builds the candidate case, validates it with
:func:`cpkit.exchange.load_case` (the format and the protocol's rules) and shows each
problem next to the widget whose path it names; it writes a draft; :meth:`save`
refuses while problems exist.  A save is made against the version the form was
opened at: what someone else saved since is merged field by field
(:mod:`cpkit.merge`); a field both changed is shown side by side
(:mod:`cpkit.forms.conflicts`) for the user to decide, and a restored draft goes
through the same merge.  Nothing is ever overwritten unseen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import cache

import ipywidgets as w

from cpkit import identity
from cpkit.errors import Conflict, CpkitError, FieldProblem, InvalidCase, MergeConflict, NotFound
from cpkit.exchange import load_case
from cpkit.forms import drafts
from cpkit.forms.conflicts import ConflictPanel
from cpkit.forms.docpath import set_in
from cpkit.forms.fields import Field, button, esc, link, note, path_words, section
from cpkit.forms.page import first_paint, page_meta, page_title, static_html
from cpkit.forms.rows import RowList
from cpkit.forms.shared import layout, plain
from cpkit.forms.style import stylesheet
from cpkit.forms.warnings import WarningPanel
from cpkit.i18n import N_, _
from cpkit.merge import UNKNOWN, MergeResult, merge, resolve
from cpkit.model import Case, copy_document
from cpkit.paths import database_url
from cpkit.protocol import municipalities
from cpkit.store import Record, Store

# The forms of a case, in the order of the protocol's steps: (notebook, title).
FORMS = [
    ("referral", N_("Referral and consent")),
    ("risk", N_("Risk framework")),
    ("wellbeing", N_("Wellbeing")),
    ("care_plan", N_("Care plan")),
    ("cmr", N_("CMR meeting")),
    ("closure", N_("Closure")),
]


@cache
def _store_for(url: str, user: str):
    from cpkit.access import open_guarded_store

    return open_guarded_store(url, user, announce=False)


def default_store():
    """The store as the current user may use it (:class:`cpkit.access.guard.Guard`,
    same methods as :class:`~cpkit.store.Store`), opened once per kernel and user: in a
    form's kernel, the guard its server serves (:mod:`cpkit.access.remote`), since the
    kernel has neither the store's address nor the key."""
    from cpkit.access.remote import kernel_guard

    return kernel_guard() or _store_for(database_url(), identity.current_user())


def preheat() -> None:
    """What a form's first request would otherwise wait for, done while Voila preheats
    the kernel (a notebook's first cell, before ``wait_for_request``): the user's store
    opened and :func:`warm_up`.  About a second of CPU the visitor no longer waits for
    (none of it in a kernel forked from :mod:`cpkit.serve_zygote`, which warmed up)."""
    default_store()
    warm_up()


def warm_up() -> None:
    """What every form's kernel builds, whoever the user: the working-day calendar's
    holiday tables (for this year and the next: deadlines run into it), every
    language's catalog and date formats, the cipher, the case model's validators.
    Cached per process, so free the second time."""
    from cpkit.i18n import LANGUAGES, load_catalogs
    from cpkit.i18n.formatting import format_date
    from cpkit.rules.calendar import calendar

    today = dt.date.today()
    working = calendar()
    for day in (today, today.replace(month=12, day=31) + dt.timedelta(days=1)):
        working.is_working_day(day)
    load_catalogs()
    for lang in LANGUAGES:
        format_date(today, lang, format="medium")
    # the cipher that opens a case and seals its drafts (cpkit.crypto imports it only
    # when first used, so that short commands do not pay for it)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401

    # the case model's validators (built when first needed since cpkit show reads
    # without them: built here once, not in every kernel)
    from cpkit.model import build_validators

    build_validators()


def form_url(form: str, case_id: str | None = None, **params: object) -> str:
    """A link to a form, relative to the page (works under any Voila base URL)."""
    query = "&".join(f"{k}={v}" for k, v in {"case": case_id, **params}.items() if v is not None)
    return f"{form}.ipynb" + (f"?{query}" if query else "")


class CaseForm:
    """Base of the protocol forms: load, validate as the user types, draft, save."""

    form = "case"
    title = N_("Case")

    def __init__(self, case_id: str | None = None, *, store: Store | None = None,
                 user: str | None = None, today: dt.date | None = None,
                 lazy: bool = False):
        self.store = store or default_store()
        self.user = user or identity.current_user()
        self.today = today or dt.date.today()
        self.case_id = case_id
        self.fields: list[Field] = []
        self.row_lists: list[RowList] = []
        self.message_fields: list[Field] = []  # show problems only, write nothing
        self.problems: list[FieldProblem] = []
        self.document: dict = {}
        self.version: int | None = None
        self._filling = False
        self._touched = False
        self.conflict: Conflict | None = None
        # A merge waiting for the user's choices: (result, stored document, its version,
        # "save" or "restore"); and the fields the user decided, for the audit.
        self.pending: tuple[MergeResult, dict, int, str] | None = None
        self.decided: list[str] = []
        self.tab_id = uuid.uuid4().hex[:12]  # this page's own draft, apart from other tabs'
        self.offered: drafts.Draft | None = None
        self.merge_panel = ConflictPanel(self._apply_choices, _("Save with these choices"))

        self.status = plain(w.HTML, layout=layout(flex="1 1 20em"))
        self.status.add_class("cpkit-status")
        self.save_button = button(_("Save"), style="primary", icon="check", cls="cpkit-save")
        self.save_button.on_click(lambda _b: self.save())
        self.reload_button = button(_("Reload"), style="warning", icon="refresh",
                                    cls="cpkit-reload")
        self.reload_button.on_click(lambda _b: self.reload())
        self.reload_button.layout.display = "none"
        self.summary = plain(w.HTML, layout=layout(width="100%"))
        self.summary.add_class("cpkit-problems")
        self.warning_panel = WarningPanel(self.form)
        self.draft_note = plain(w.HTML)
        self.restore_button = button(_("Restore draft"), style="info", cls="cpkit-restore")
        self.discard_button = button(_("Discard draft"), cls="cpkit-discard")
        self.restore_button.on_click(lambda _b: self.restore_draft())
        self.discard_button.on_click(lambda _b: self.discard_draft())
        self.draft_bar = w.HBox([self.draft_note, self.restore_button, self.discard_button],
                                layout=w.Layout(display="none", width="100%"))
        self.draft_bar.add_class("cpkit-draft-bar")
        self.header = plain(w.HTML)
        self.widget = w.VBox(layout=layout(width="100%"))
        self.widget.add_class("cpkit-form")
        self.widget.add_class(f"cpkit-form-{self.form}")
        self.error = plain(w.HTML)
        self.error.add_class("cpkit-load-error")

        self.built = False
        self._opening(self._load)
        if not lazy:
            self._opening(self._build)

    # -- building ------------------------------------------------------------------

    def _opening(self, step: Callable[[], None]) -> None:
        """Run a step of opening the form; a missing case or a broken store is said on
        the page, never a traceback."""
        if self.error.value:
            return
        try:
            step()
        except NotFound:
            self._fail(_("No case {code} in the store.").format(code=self.case_id)
                       if self.case_id else
                       _("No case chosen: open a case from the case list."))
        except CpkitError as err:  # a broken store: say so, never a traceback
            self._fail(str(err))

    def _load(self) -> None:
        """The case's document (one guarded read) and what the page says before any
        widget: enough for the first paint (:meth:`paint_first`)."""
        self.document, self.version = self.load_document()
        self.void_text = self.void_html()

    def _build(self) -> None:
        """The widgets (the form's hundreds of them: most of a page's kernel time)."""
        self.built = True
        body = self.build()
        self.fill(self.document)
        self.header.value = self.header_html()
        top = self.top_widgets()
        actions = w.HBox([self.save_button, self.reload_button, self.status],
                         layout=layout(width="100%", flex_flow="row wrap",
                                       align_items="center"))
        sticky = w.VBox([*top, actions, self.summary, self.warning_panel.widget],
                        layout=w.Layout(width="100%"))
        sticky.add_class("cpkit-sticky")
        self.meta = page_meta(page_title(self.tab_title(), self.document.get("case_id")))
        self.void_note = w.HTML(self.void_text)
        self.documents = None
        returned: list[w.Widget] = []
        if self.document_kinds():  # Render and Print, and the returned-report notice
            from cpkit.forms.documents import DocumentPanel

            self.documents = DocumentPanel(self.guard, lambda: self.case_id,
                                           self.document_kinds(), self.meeting_date,
                                           self.today)
            returned = [self.documents.returned]
            body = [*body, section(_("Documents"), [
                note(_("Rendered from the saved case (save first), for distribution: the "
                       "case code only, no child's name. It opens here; print it from the "
                       "PDF viewer.")), self.documents.widget], cls="cpkit-documents-section")]
        self.widget.children = [stylesheet(), self.meta, self.header, self.void_note,
                                *returned, self.draft_bar, self.merge_panel.widget, sticky,
                                *body]
        if self.void_note.value:  # kept as it was: nothing to save
            self.save_button.disabled = True
        self.warning_panel.update(self.validate(self.document)[0], self.today)
        self.offer_draft()

    def _fail(self, message: str) -> None:
        self.error.value = (f"<div class='cpkit-conflict'>{esc(message)} "
                            f"{link('index.ipynb', _('Back to the case list'))}</div>")
        self.widget.children = [stylesheet(), page_meta(page_title(self.tab_title(), self.case_id)),
                                self.error]

    def guard(self):
        """The guarded store (a plain store, as in some tests, is wrapped for this user)."""
        if hasattr(self.store, "principal"):
            return self.store
        from cpkit.access import Guard

        return Guard.for_user(self.store, self.user)

    def void_html(self) -> str:
        """Says so when the case is void (created by mistake): kept, out of every list."""
        if not self.case_id:
            return ""
        from cpkit.access.voiding import void_of, void_text

        guard = self.guard()
        void = void_of(guard, self.case_id)
        if void is None:
            return ""
        return (f"<div class='cpkit-conflict cpkit-void' role='status'>"
                f"{esc(void_text(guard, void))}</div>")

    def load_document(self) -> tuple[dict, int | None]:
        record = self.store.get(self.case_id)
        return record.case.to_document(), record.version

    def build(self) -> list[w.Widget]:
        """The form's sections; subclasses create their fields with :meth:`add`."""
        raise NotImplementedError

    def document_kinds(self) -> list[tuple[str, str]]:
        """The documents rendered from this form: (report kind, its name)."""
        return []

    def meeting_date(self) -> dt.date | None:
        """The meeting whose minutes this form renders (``None``: the latest)."""
        return None

    def first_paint_html(self) -> str:
        """What the page shows before the widgets are drawn (:func:`first_paint`),
        from the document alone: the header with the case's forms, a void case's note,
        the risk banner (:meth:`static_top_html`); or why the form could not open."""
        if self.error.value:
            return static_html([self.error])
        return self.header_html() + self.void_text + self.static_top_html()

    def static_top_html(self) -> str:
        """:meth:`top_widgets` as markup from the document, before they are built."""
        return ""

    def top_widgets(self) -> list[w.Widget]:
        """Widgets kept in view above the save bar (the risk banner)."""
        return []

    def header_html(self) -> str:
        code = self.document.get("case_id") or _("new case")
        nav = []
        for form, title in FORMS if self.case_id else []:
            cls = "cpkit-link current" if form == self.form else "cpkit-link"
            nav.append(link(form_url(form, self.case_id), _(title), cls))
        place = municipalities.name(self.document.get("municipality"))
        where = f" · <span class='cpkit-municipality'>{esc(place)}</span>" if place else ""
        return (f"<div class='cpkit-header'><h2>{esc(_(self.title))} · "
                f"<span class='cpkit-code'>{esc(code)}</span>{where}</h2>"
                f"<nav class='cpkit-nav' aria-label='{esc(_('Forms of this case'))}'>"
                f"{link('index.ipynb', _('All cases'))}{''.join(nav)}</nav></div>")

    def add(self, field: Field) -> Field:
        self.fields.append(field)
        field.observe(self._changed)
        return field

    def rows(self, prefix: str, build: Callable, **kwargs) -> RowList:
        rows = RowList(prefix, build, on_change=self._changed, **kwargs)
        rows.observer = self._changed
        self.row_lists.append(rows)
        return rows

    # -- document <-> widgets ---------------------------------------------------------

    def fill(self, document: dict) -> None:
        """Put ``document``'s values in the widgets (no change events, no draft)."""
        self._filling = True
        try:
            for f in self.fields:
                f.load(document)
            self.fill_extra(document)
        finally:
            self._filling = False
        self.on_change()

    def fill_extra(self, document: dict) -> None:
        """Subclasses fill what is not a plain field (row lists)."""

    def collect(self) -> dict:
        """The candidate document: the stored one with the widgets' values written in."""
        document = copy_document(self.document)
        for f in self.fields:
            set_in(document, f.rel, f.get())
        self.collect_extra(document)
        return document

    def collect_extra(self, document: dict) -> None:
        """Subclasses write what is not a plain field (row lists)."""

    def all_fields(self) -> list[Field]:
        return [*self.fields, *self.message_fields,
                *(f for rows in self.row_lists for f in rows.fields)]

    # -- validation -------------------------------------------------------------------

    def validate(self, document: dict | None = None) -> tuple[Case | None, list[FieldProblem]]:
        document = self.collect() if document is None else document
        try:
            case = load_case(document)
        except InvalidCase as err:
            return None, [*err.problems, *self._entry_problems_of(document, err.problems)]
        implausible = self.entry_problems(case)
        return (None, implausible) if implausible else (case, [])

    def _entry_problems_of(self, document: dict, known: list[FieldProblem]):
        """The implausible entries of a document the rules refused too (a referral dated
        tomorrow also puts the assessment "before the referral"): both are shown."""
        try:
            case = Case.model_validate({k: v for k, v in document.items() if k != "derived"})
        except ValueError:  # not even the format: its own problems say so
            return []
        said = {p.path for p in known}  # one message a field is enough
        return [p for p in self.entry_problems(case) if p.path not in said]

    def entry_problems(self, case: Case) -> list[FieldProblem]:
        """What cannot be true on the day the form is filled (a referral next year, an
        action with no agency), for the fields this form edits
        (:mod:`cpkit.rules.plausibility`)."""
        from cpkit.rules.plausibility import entry_problems

        fields = self.all_fields()
        return [p for p in entry_problems(case, self.today)
                if self._field_for(p.path, fields) is not None]

    def show_problems(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        by_field: dict[int, list[str]] = {}
        fields = self.all_fields()
        unplaced = []
        for p in problems:
            target = self._field_for(p.path, fields)
            if target is None:
                unplaced.append(p)
            else:
                by_field.setdefault(id(target), []).append(_(p.message))
        for f in fields:
            f.show(by_field.get(id(f), []))
        items = "".join(f"<li>{esc(self._where(p))}{esc(_(p.message))}</li>" for p in unplaced)
        count = len(problems)
        head = (_("{n} problem(s) to fix before saving").format(n=count) if count else "")
        self.summary.value = (f"<div><b>{esc(head)}</b><ul>{items}</ul></div>" if count else "")

    def _where(self, p: FieldProblem) -> str:
        return f"{self.label_for(p.path)}: " if p.path else ""

    @staticmethod
    def _field_for(path: str, fields: list[Field]) -> Field | None:
        """The field editing ``path``, else the one editing its nearest parent."""
        best = None
        for f in fields:
            if path == f.path:
                return f
            if path.startswith(f.path + ".") or path.startswith(f.path + "["):
                if best is None or len(f.path) > len(best.path):
                    best = f
        return best

    # -- change, drafts ----------------------------------------------------------------

    def on_change(self) -> None:
        """Cheap, immediate reactions to a change (the risk banner); no validation."""

    def _changed(self) -> None:
        if self._filling:
            return
        self._touched = True
        self.on_change()
        document = self.collect()
        case, problems = self.validate(document)
        self.show_problems(problems)
        self.warning_panel.update(case, self.today)
        try:
            drafts.keep(self.guard(), self.case_id, self.draft_key, document, self.version,
                        base=self.document, tab=self.tab_id)
        except CpkitError as err:  # a full disk: said, the form keeps what was typed
            self._set_status(_("Unsaved changes, not kept as a draft: {reason}").format(
                reason=err), "bad cpkit-draft-failed")
            return
        self._set_status(_("Unsaved changes (kept as a draft)"), "")

    @property
    def draft_key(self) -> str:
        return self.form

    def offer_draft(self) -> None:
        """Offer the newest draft of this form (from any tab), unless everything in it
        is in the store already."""
        draft = drafts.newest(self.guard(), self.case_id, self.draft_key)
        self.offered = draft
        if draft is None:
            return
        if draft.document == self.document or self._contained(draft):
            drafts.forget(self.guard(), self.case_id, self.draft_key, draft.tab)
            self.offered = None
            return
        when = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        text = _("You have unsaved changes from {when}.").format(when=when)
        if self.version is not None and draft.base_version not in (None, self.version):
            text += " " + _("The case was saved by someone else since (version {old} -> "
                            "{new}): restoring merges your changes with theirs, and asks you "
                            "where you both changed the same field.").format(
                old=draft.base_version, new=self.version)
        self.draft_note.value = f"<span>{esc(text)}</span>"
        self.draft_bar.layout.display = "flex"

    def _contained(self, draft: drafts.Draft) -> bool:
        """Whether everything the draft changed is in the stored case already."""
        if draft.base is None:
            return False
        result = merge(draft.base, self.document, draft.document)
        return result.clean and result.document == self.document

    def restore_draft(self) -> bool:
        """Put the draft back, merged with what is stored now: a field someone saved
        since the draft was taken is never put back to its old value; a field both
        changed is shown side by side to decide."""
        draft = self.offered or drafts.newest(self.guard(), self.case_id, self.draft_key)
        self.draft_bar.layout.display = "none"
        if draft is None:
            return False
        if draft.tab != self.tab_id:  # it becomes this tab's draft
            drafts.forget(self.guard(), self.case_id, self.draft_key, draft.tab)
            drafts.keep(self.guard(), self.case_id, self.draft_key, draft.document,
                        draft.base_version, base=draft.base, tab=self.tab_id)
        self.offered = None
        base = draft.base
        if base is None:  # an older draft: merge only when it was taken from this version
            base = self.document if draft.base_version == self.version else UNKNOWN
        result = merge(base, self.document, draft.document)
        if not result.clean:
            by, at = self.store.last_saved(self.case_id, self.version) if self.case_id \
                else (None, None)
            self._offer_merge(result, self.document, self.version, by, at, "restore")
            return True
        self.fill(result.document)
        self._changed()
        return True

    def discard_draft(self) -> None:
        draft = self.offered
        drafts.forget(self.guard(), self.case_id, self.draft_key, draft.tab if draft else None)
        self.offered = None
        self.draft_bar.layout.display = "none"

    # -- saving -----------------------------------------------------------------------

    def _set_status(self, text: str, kind: str) -> None:
        self.status.value = f"<span class='{kind}'>{esc(text)}</span>" if text else ""

    def tab_title(self) -> str:
        """The form's name in the browser tab (the case list's name for it)."""
        return _(dict(FORMS).get(self.form, self.title))

    def author(self) -> str:
        """The user as other people read their name (notes, minutes): never a login."""
        from cpkit.access.users import shown_name

        return shown_name(self.guard(), self.user)

    def write(self, case: Case) -> Record:
        return self.store.save(case, self.version, actor=self.user, action=f"form:{self.form}",
                               base=self.document, decided=self.decided or None)

    def save(self) -> bool:
        """Validate and save; ``False`` (nothing written) on problems or on fields that
        someone else changed too (shown to decide)."""
        document = self.collect()
        case, problems = self.validate(document)
        self.show_problems(problems)
        if problems:
            self._set_status(_("Not saved: fix the problems shown first."), "bad")
            return False
        self.warning_panel.update(case, self.today)
        if self.warning_panel.unacknowledged:
            self._set_status(_("Not saved: acknowledge the protocol's warnings shown first."),
                             "bad")
            return False
        if self.warning_panel.warnings:
            document = self.warning_panel.record(document, self.user,
                                                 dt.datetime.now(dt.UTC))
            case, problems = self.validate(document)
            if problems:  # cannot happen: an acknowledgement adds no refusal
                self.show_problems(problems)
                return False
        return self._write(case)

    def _write(self, case: Case) -> bool:
        try:
            record = self.write(case)
        except MergeConflict as err:
            self._offer_merge(err.result, err.theirs, err.current, err.saved_by, err.saved_at,
                              "save")
            return False
        except Conflict as err:
            self.conflict = err
            self._set_status(_("Not saved: someone else saved this case after you opened it "
                               "(your version {mine}, now {theirs}). Your changes are kept "
                               "as a draft. Reload to see theirs, then restore your draft "
                               "and check before saving.").format(
                mine=err.expected, theirs=err.current), "bad cpkit-conflict")
            self.reload_button.layout.display = "inline-flex"
            return False
        except InvalidCase as err:
            self.show_problems(err.problems)
            self._set_status(_("Not saved: fix the problems shown first."), "bad")
            return False
        except CpkitError as err:  # refused (not theirs to change): said, nothing written
            self._set_status(_("Not saved: {reason}").format(reason=err), "bad cpkit-refused")
            return False
        drafts.forget(self.guard(), self.case_id, self.draft_key, self.tab_id)
        self.after_save(record)
        return True

    # -- fields both sides changed -------------------------------------------------------

    def _offer_merge(self, result: MergeResult, theirs: dict, version: int,
                     by: str | None, at: dt.datetime | None, mode: str) -> None:
        self.pending = (result, theirs, version, mode)
        self.merge_panel.apply_button.description = (
            _("Save with these choices") if mode == "save" else _("Restore with these choices"))
        self.merge_panel.show(result.conflicts, by, at, self.label_for)
        self._set_status(_("Not saved yet: {n} field(s) were also changed by someone else; "
                           "choose what to keep in the box above.").format(
            n=len(result.conflicts)), "bad cpkit-conflict")

    def label_for(self, path: str) -> str:
        """The label of the field editing ``path`` (words for it when no field shows it)."""
        found = self._field_for(path, self.all_fields())
        label = (getattr(found, "label", "") or getattr(found.widget, "description", "")
                 if found else "")
        return label or path_words(path)

    def _apply_choices(self, choices: dict) -> None:
        """Every field is decided: merge the choices in, then save (or fill the form)."""
        if self.pending is None:
            return
        result, theirs, version, mode = self.pending
        self.pending = None
        self.merge_panel.close()
        document = resolve(result, choices)
        self.decided = sorted({*self.decided, *choices})
        self.document, self.version = theirs, version
        self.fill(document)
        if mode == "restore":
            self._changed()
            self._set_status(_("Draft restored with your choices: check and save."), "")
            return
        case, problems = self.validate(document)
        self.show_problems(problems)
        if problems:
            self._set_status(_("Not saved: fix the problems shown first."), "bad")
            return
        self._write(case)

    def after_save(self, record: Record) -> None:
        self.conflict, self.pending, self.decided = None, None, []
        self.merge_panel.close()
        self.case_id = record.case.case_id
        self.document, self.version = record.as_document(), record.version
        self.reload_button.layout.display = "none"
        self.draft_bar.layout.display = "none"
        self.meta.value = page_meta(page_title(self.tab_title(), self.case_id)).value
        if self.documents is not None:
            self.documents.refresh()
        self.fill(self.document)
        self.show_problems([])
        self.warning_panel.update(record.case, self.today)
        text = _("Saved: {code}, version {version}, at {time}").format(
            code=self.case_id, version=self.version, time=dt.datetime.now().strftime("%H:%M"))
        merged = getattr(record, "merged", None)
        if merged:
            text += " " + _("(merged with the changes saved since you opened it: {n} "
                            "field(s) of theirs kept)").format(n=len(merged.get("kept", [])))
        self._set_status(text, "ok")

    def reload(self) -> None:
        """Read the case again from the store; the draft stays, to restore on top."""
        self.document, self.version = self.load_document()
        self.conflict, self.pending = None, None
        self.merge_panel.close()
        self.reload_button.layout.display = "none"
        self.fill(self.document)
        self.show_problems([])
        self._set_status(_("Reloaded version {version}.").format(version=self.version), "ok")
        self.offer_draft()

    # -- showing ----------------------------------------------------------------------

    def show(self) -> CaseForm:
        from IPython.display import display

        if not self.built:
            self._opening(self._build)
        else:
            first_paint(self.first_paint_html())
        display(self.widget)
        return self

    @classmethod
    def from_query(cls, query: str | None = None, **kwargs) -> CaseForm:
        """The form for the case named in the page's query string (``?case=CODE``)."""
        from cpkit.forms.query import apply_language, query_params

        params = query_params(query)
        apply_language(params, kwargs.get("user"))
        return cls(params.get("case") or None, **cls.query_kwargs(params), **kwargs)

    @classmethod
    def paint_first(cls, query: str | None = None, **kwargs) -> CaseForm:
        """The page's form, read but not built, its static part already in the page
        (:func:`first_paint`): a form notebook's cell, so that Voila sends it to the
        browser before the next cell builds the widgets (:meth:`show`)."""
        form = cls.from_query(query, lazy=True, **kwargs)
        first_paint(form.first_paint_html())
        return form

    @classmethod
    def query_kwargs(cls, params: dict[str, str]) -> dict:
        return {}
