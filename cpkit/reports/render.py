"""Render a protocol document for one case: parameterise, execute, convert, record.

The steps are separate functions so that they can be reused and replaced one at a
time (a warm-kernel engine, several cases in parallel):

0. :func:`render_report` reads the case once, through :class:`cpkit.access.Guard`
   (``guard.get(case_id, "render", redact=...)``: need-to-know decided there, redacted
   there by the one redactor, one audited read);
1. :func:`parameterize` checks the parameters (:mod:`cpkit.reports.parameters`), the
   case document among them, and lets papermill inject them into the packaged
   ``notebooks/case.ipynb``, then checks what it wrote;
2. :func:`execute` runs the notebook through a papermill engine, in a kernel that gets
   the document and nothing else: no database URL, no key (:func:`kernel_env`), so it
   only turns the case into sections (nbgrader's split: the host reads, the kernel
   computes, the host records);
3. :func:`scrub` removes what changes from run to run (times, paths), so an unchanged
   case gives the same files;
4. :func:`convert` turns the executed notebook into HTML with the template of the
   report kind in ``reports/`` (exporters are built once per kind by :func:`exporter`),
   and :mod:`cpkit.reports.pdf` prints it;
5. :func:`render_report` writes the files (mode 0600, folders 0700) and records the
   report through the guard (its row and the audit trail) so that the file and its row
   appear together or not at all (:func:`write_and_record`), and marks it distributed
   when asked (a ``guard`` save, so only for a user who may edit the case).

Nothing is executed or written before the case, the meeting and the parameters have
been checked: a refused report leaves no file.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nbformat import NotebookNode

from cpkit import exchange, resources
from cpkit.errors import BadInput, CpkitError
from cpkit.i18n import gettext
from cpkit.model import Case
from cpkit.paths import content_tag, home, place, private_dir, stage_private
from cpkit.protocol import municipalities
from cpkit.reports import parameters
from cpkit.reports.context import ReadyCase, read_for_render

# What a kernel never gets, and its environment: in the light pool module, so that
# `cpkit render` starts the kernel before it imports this pipeline.
from cpkit.reports.pool import kernel_env  # noqa: F401 (re-exported)

NOTEBOOK = resources.CASE_NOTEBOOK
TEMPLATES = resources.TEMPLATES
KERNEL = "python3"
ENGINE = "cpkit"
FORMATS = ("html", "pdf")
CELL_TIMEOUT = 300
# Kinds whose distribution the protocol times (and cpkit records).
DISTRIBUTED_KINDS = ("minutes", "care-plan")


class RenderError(CpkitError):
    """The notebook or the converter failed for a case that passed every check."""


@dataclass(frozen=True)
class RenderedReport:
    """One rendered report: where it is, what it shows, how it was recorded."""

    case_id: str
    case_version: int
    kind: str
    fmt: str
    lang: str
    redacted: bool
    meeting_date: dt.date | None
    path: Path
    notebook_path: Path
    sha256: str
    report_id: int
    distributed_on: dt.date | None = None


# --- 1. parameterise ----------------------------------------------------------------

def load_notebook(path: Path = NOTEBOOK) -> NotebookNode:
    """The case notebook with the metadata papermill expects on every cell."""
    from papermill.iorw import load_notebook_node

    return load_notebook_node(str(path))


@cache
def _case_notebook() -> NotebookNode:
    """The packaged case notebook, read (and validated by nbformat) once per process."""
    return load_notebook()


def parameterize(params: dict, nb: NotebookNode | None = None) -> NotebookNode:
    """A copy of the notebook with ``params`` injected by papermill, after checking both.

    The parameters are checked (names from the fixed list, JSON values matching their
    patterns) before papermill sees them, and the cell papermill wrote is parsed to
    make sure it assigns exactly those values and nothing else.
    """
    from papermill.parameterize import parameterize_notebook

    checked = parameters.check(params)
    nb = copy.deepcopy(nb if nb is not None else _case_notebook())
    nb = parameterize_notebook(nb, checked, kernel_name=KERNEL, language="python")
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            parameters.check_source(cell.source, checked)
            cell.id = "injected-parameters"
    return nb


# --- 2. execute -----------------------------------------------------------------------

@cache
def _register_engine() -> None:
    """A papermill engine that starts the kernel with a given environment (registered
    once; a warm-kernel engine can be registered the same way under another name)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class EnvironmentEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, env=None, **_ignored):
            client = PapermillNotebookClient(
                nb_man, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            # The kernel's own chatter (transport warnings) is not the user's business;
            # errors in cells come back through the notebook.
            quiet = {} if os.environ.get("CPKIT_DEBUG") else {"stderr": subprocess.DEVNULL}
            return client.execute(env=env, **quiet)

    papermill_engines.register(ENGINE, EnvironmentEngine)


def execute(nb: NotebookNode, env: dict[str, str], engine: str = ENGINE,
            **engine_kwargs) -> NotebookNode:
    """Run the parameterised notebook with papermill; a failing cell is a RenderError.

    ``engine``: another registered papermill engine (``cpkit-warm``: a warm kernel of
    :mod:`cpkit.reports.pool`, the cells run in one call:
    :func:`cpkit.reports.engine.execute_nodes`); ``engine_kwargs`` go to it (``pool=``).
    """
    import papermill

    _register_engine()
    try:
        if engine == "cpkit-warm":  # no round trip through JSON text, one kernel call
            from cpkit.reports.engine import execute_nodes

            [ran] = execute_nodes([nb], kernel_name=KERNEL, env=env,
                                  execution_timeout=CELL_TIMEOUT, **engine_kwargs)
            if isinstance(ran, BaseException):
                raise ran
            return ran
        return papermill.execute_notebook(
            nb, None, engine_name=engine, kernel_name=KERNEL, language="python",
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT, env=env, **engine_kwargs)
    except Exception as err:
        raise _execution_failure(err) from None


def execute_many(nbs: list[NotebookNode], env: dict[str, str], pool=None
                 ) -> list[NotebookNode | CpkitError]:
    """:func:`execute` for several parameterised notebooks in one request to one warm
    kernel (:func:`cpkit.reports.engine.execute_nodes`): per notebook, the executed
    notebook or the error :func:`execute` would have raised."""
    from cpkit.reports.engine import execute_nodes

    ran = execute_nodes(nbs, kernel_name=KERNEL, env=env, pool=pool,
                        execution_timeout=CELL_TIMEOUT)
    return [_execution_failure(r) if isinstance(r, BaseException) else r for r in ran]


def _execution_failure(err: BaseException) -> CpkitError:
    """What a failed execution says: a failing cell (the notebook's own refusals keep
    their message; no traceback), or a kernel that did not start or died."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        if err.ename in ("BadInput", "NoDocument", "NotFound", "InvalidCase"):
            return BadInput(str(err.evalue))
        return RenderError(f"the case notebook failed ({err.ename}); run it in JupyterLab "
                           "to see why")
    if os.environ.get("CPKIT_DEBUG"):
        raise err
    return RenderError(f"the notebook kernel failed ({type(err).__name__}); run again "
                       "with CPKIT_DEBUG=1 to see its output")


# --- 3. scrub -------------------------------------------------------------------------

_RUN_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path",
             "environment_variables", "exception")


def scrub(nb: NotebookNode) -> NotebookNode:
    """Drop what differs between two runs of the same case: times, paths, widget state."""
    meta = nb.metadata.get("papermill", {})
    for key in _RUN_KEYS:
        meta.pop(key, None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    return nb


# --- 4. convert -----------------------------------------------------------------------

def _translate():
    from jinja2 import pass_context

    @pass_context
    def t(context, message: str) -> str:
        return gettext(message, context["resources"]["cpkit"]["lang"])

    return t


@cache
def exporter(kind: str):
    """The HTML exporter of a report kind, built once and reused for every case.

    Input cells, markdown and prompts are left out; the template in ``reports/<kind>``
    extends the shared page, which extends nbconvert's ``base``.  The ``t`` filter
    translates template text into the language in ``resources["cpkit"]["lang"]``.
    :class:`~cpkit.reports.lean.LeanHTMLExporter` skips nbconvert's preprocessors and
    its re-parse of the page (ten times faster; see that module).
    """
    from cpkit.reports.lean import LeanHTMLExporter as HTMLExporter

    if kind not in parameters.KINDS:
        raise BadInput(f"no template for report {kind!r}")
    return HTMLExporter(template_name=kind, extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=True, exclude_markdown=True, exclude_raw=True,
                        exclude_input_prompt=True, exclude_output_prompt=True,
                        filters={"t": _translate()})


def warm_up(kinds, pdf: bool = False) -> None:
    """Import what rendering needs on the host (papermill, nbconvert) and build the
    exporters of ``kinds``; with ``pdf`` also start the PDF engine.  For a warm kernel's
    owner (the batch, the dashboard) to call while the kernel starts, so that its first
    report waits for neither."""
    import papermill  # noqa: F401

    for kind in kinds:
        exporter(kind)
    if pdf:
        from cpkit.reports.pdf import engine

        engine()


_converting = threading.Lock()


def convert(nb: NotebookNode, kind: str, info: dict) -> str:
    """The report page of an executed notebook; ``info`` fills the page's header.

    One exporter per kind is shared by the batch's threads, and nbconvert keeps the
    filters of the notebook being converted on the exporter: one conversion at a time
    (a few milliseconds, against the kernel's tenth of a second).
    """
    with _converting:
        body, _resources = exporter(kind).from_notebook_node(nb, resources={"cpkit": info})
    return body


# --- 5. write and record ------------------------------------------------------------------

def free_stem(folder: Path, stem: str, fmt: str, kept: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... when its report file is an approved one."""
    candidate, n = stem, 1
    while str(folder / f"{candidate}.{fmt}") in kept:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def file_stem(case_id: str, kind: str, day: dt.date | None, redact: bool, lang: str) -> str:
    """A file name from the case code, the kind and a meeting date only (never a name)."""
    parts = [case_id, kind]
    if day is not None:
        parts.append(day.isoformat())
    if lang != "en":
        parts.append(lang)
    if not redact:
        parts.append("internal")
    return re.sub(r"[^A-Za-z0-9_.-]", "_", "_".join(parts))


def _name_date(case: Case, kind: str, meeting_date: dt.date | None) -> dt.date | None:
    if meeting_date is not None:
        return meeting_date
    if kind == "care-plan":
        return case.care_plan.agreed_on
    if kind == "closure" and case.closure is not None:
        return case.closure.agreed_at_meeting
    return None


def _distributed_case(case: Case, kind: str, meeting_date: dt.date | None,
                      day: dt.date) -> Case:
    """The case with the minutes or the care plan marked distributed on ``day``, checked."""
    if kind not in DISTRIBUTED_KINDS:
        raise BadInput(f"--distributed applies to minutes and care plans, not to {kind}")
    updated = case.model_copy(deep=True)
    if kind == "minutes":
        for meeting in updated.meetings:
            if meeting.date == meeting_date:
                meeting.minutes_distributed_on = day
    else:
        updated.care_plan.distributed_on = day
    return exchange.load_case(updated.to_document(), case.code)  # InvalidCase if wrong


def _approval_text(guard, case_id: str, kind: str, day: dt.date | None, lang: str) -> str:
    """The supervisor's approval the report carries ("approved by ... on ..."), if any."""
    from cpkit.dashboard.signoff import approval_for

    approval = approval_for(guard.store, case_id, kind, day)
    return approval.text(lang) if approval else ""


def as_guard(source, actor: str | None = None):
    """``source`` if it is a :class:`cpkit.access.Guard`, else the guard of ``actor`` (the
    current user) on that store: every render goes through one."""
    from cpkit.access import Guard

    return source if isinstance(source, Guard) else Guard.for_user(source, actor)


@dataclass(frozen=True)
class Accepted:
    """A report that passed every check, with its parameterised notebook: what is left
    is to execute it (:func:`execute`) and to :func:`finish` it."""

    guard: object  # cpkit.access.Guard
    case_id: str
    kind: str
    fmt: str
    lang: str
    as_of: dt.date
    ready: ReadyCase
    notebook: NotebookNode
    out_dir: Path | None = None
    distributed_on: dt.date | None = None


def accept(guard, case_id: str, kind: str, *, fmt: str = "html", lang: str = "en",
           redact: bool = True, meeting_date: dt.date | None = None,
           as_of: dt.date | None = None, out_dir: Path | None = None,
           actor: str | None = None, distributed_on: dt.date | None = None,
           ready: ReadyCase | None = None) -> Accepted:
    """The checks and the read of :func:`render_report`, and the notebook parameterised:
    nothing executed or written yet.  Same arguments."""
    if kind not in parameters.KINDS:
        raise BadInput(f"report must be one of {', '.join(parameters.KINDS)}")
    if fmt not in FORMATS:
        raise BadInput(f"format must be one of {', '.join(FORMATS)}")
    as_of = as_of or dt.date.today()
    params = parameters.check({"case_id": case_id, "report": kind, "lang": lang,
                               "redact": redact, "as_of": as_of.isoformat(),
                               "meeting_date": meeting_date.isoformat() if meeting_date
                               else ""})
    guard = as_guard(guard, actor)
    ready = ready or read_for_render(guard, case_id, kind, redact=redact, lang=lang, fmt=fmt,
                                     meeting_date=meeting_date, as_of=as_of,
                                     distributed_on=distributed_on)
    record, meeting, redact = ready.record, ready.meeting, ready.redact
    day = meeting.date if meeting is not None else None
    if distributed_on is not None:
        _distributed_case(record.case, kind, day, distributed_on)
    params.update(redact=redact, meeting_date=day.isoformat() if day else "",
                  case_document=parameters.document_text(record.case.to_document()))
    return Accepted(guard=guard, case_id=case_id, kind=kind, fmt=fmt, lang=lang, as_of=as_of,
                    ready=ready, notebook=parameterize(params), out_dir=out_dir,
                    distributed_on=distributed_on)


def render_report(guard, case_id: str, kind: str, *, fmt: str = "html", lang: str = "en",
                  redact: bool = True, meeting_date: dt.date | None = None,
                  as_of: dt.date | None = None, out_dir: Path | None = None,
                  actor: str | None = None,
                  distributed_on: dt.date | None = None, engine: str = ENGINE,
                  engine_kwargs: dict | None = None,
                  ready: ReadyCase | None = None) -> RenderedReport:
    """Render report ``kind`` of case ``case_id`` as ``guard``'s user and record it.

    ``guard``: a :class:`cpkit.access.Guard` (a bare store is wrapped in the guard of
    ``actor``).  The case is read once through it; the copy is redacted when asked or
    when the user may not see the child's identity (:meth:`Guard.redaction_needed`).
    The files go to ``out_dir`` (default ``<CPKIT_HOME>/reports/<case code>/``): the
    report and, beside it, the executed notebook for audit.  Redacted (the default)
    means the case code only: no name, date of birth or address.  ``distributed_on``
    marks minutes or a care plan distributed (closing the protocol's deadline): a
    change of the case, refused before anything runs to a user who may not edit it.
    ``engine`` / ``engine_kwargs``: see :func:`execute` (the batch uses ``cpkit-warm``).
    ``ready``: the case already read for this report (:func:`read_for_render`).
    The steps: :func:`accept`, :func:`execute`, :func:`finish`.
    """
    accepted = accept(guard, case_id, kind, fmt=fmt, lang=lang, redact=redact,
                      meeting_date=meeting_date, as_of=as_of, out_dir=out_dir, actor=actor,
                      distributed_on=distributed_on, ready=ready)
    return finish(accepted, execute(accepted.notebook, kernel_env(), engine,
                                    **(engine_kwargs or {})))


def finish(accepted: Accepted, executed: NotebookNode) -> RenderedReport:
    """Scrub the executed notebook, convert and print it, write the files and record the
    report through the guard; mark it distributed when asked (:func:`to_page`, the one
    PDF printer for a PDF, :func:`store`)."""
    page = to_page(accepted, executed)
    if accepted.fmt == "pdf":
        from cpkit.reports.pdf import html_to_pdf

        return store(page, html_to_pdf(page.html, title=page.title, lang=accepted.lang))
    return store(page, page.html.encode("utf-8"))


@dataclass(frozen=True)
class Page:
    """A report converted to its HTML page, not yet printed or written."""

    accepted: Accepted
    notebook: NotebookNode  # executed and scrubbed
    html: str
    # The case's facts as read by the version check after execution: the steps that
    # write and record the report are authorised on them (not read a fourth time).
    facts: object = None  # cpkit.access.policy.CaseFacts

    @property
    def title(self) -> str:
        return f"{self.accepted.case_id} {self.accepted.kind}"


def to_page(accepted: Accepted, executed: NotebookNode) -> Page:
    """The executed notebook scrubbed and converted (the case unchanged meanwhile)."""
    guard, case_id, kind, lang = accepted.guard, accepted.case_id, accepted.kind, accepted.lang
    record, meeting, redact = accepted.ready.record, accepted.ready.meeting, accepted.ready.redact
    day = meeting.date if meeting is not None else None
    nb = scrub(executed)
    _drop_document(nb)
    facts, version = guard.checked_version(case_id)
    if version != record.version:
        raise RenderError(f"{case_id}: the case was saved while the report was rendered; "
                          "render it again")
    info = {"case_code": case_id, "kind": kind, "lang": lang, "redacted": redact,
            "as_of": accepted.as_of.strftime("%d.%m.%Y"), "case_version": record.version,
            "approval": _approval_text(guard, case_id, kind, day, lang),
            "municipality": municipalities.name(record.case.municipality, lang)}
    return Page(accepted, nb, convert(nb, kind, info), facts)


def store(page: Page, data: bytes) -> RenderedReport:
    """Write the report (``data``: the page, or its PDF) and its notebook, record it
    through the guard, and mark it distributed when asked."""
    accepted, nb = page.accepted, page.notebook
    guard, case_id, kind, fmt, lang = (accepted.guard, accepted.case_id, accepted.kind,
                                       accepted.fmt, accepted.lang)
    record, meeting, redact = accepted.ready.record, accepted.ready.meeting, accepted.ready.redact
    day = meeting.date if meeting is not None else None
    distributed_on = accepted.distributed_on
    out_dir = accepted.out_dir
    folder = private_dir(Path(out_dir) if out_dir else home() / "reports" / case_id)
    folder = folder.resolve()  # rows name absolute paths: `cpkit check` runs anywhere
    case = page.facts or case_id  # the facts the version check read, when it did
    guard.tidy_render_folder(case, folder)
    stem = file_stem(case_id, kind, _name_date(record.case, kind, day), redact, lang)
    stem = free_stem(folder, stem, fmt, guard.signed_off_paths(case))
    path = folder / f"{stem}.{fmt}"
    notebook_path = folder / f"{stem}.ipynb"
    digest = hashlib.sha256(data).hexdigest()
    report_id = write_and_record(guard, path, notebook_path, data,
                                 notebook_text(nb).encode("utf-8"), digest, dict(
                                     case_id=case, case_version=record.version,
                                     kind=kind, fmt=fmt, lang=lang, redacted=redact,
                                     meeting_date=day))
    if distributed_on is not None:
        current = guard.get(case_id, "edit")
        updated = _distributed_case(current.case, kind, day, distributed_on)
        guard.mark_distributed(updated, current.version, report_id, distributed_on,
                               base=current.case.to_document())
    return RenderedReport(case_id=case_id, case_version=record.version, kind=kind, fmt=fmt,
                          lang=lang, redacted=redact, meeting_date=day, path=path,
                          notebook_path=notebook_path, sha256=digest, report_id=report_id,
                          distributed_on=distributed_on)


def write_and_record(guard, path: Path, notebook_path: Path, data: bytes, notebook: bytes,
                     digest: str, row: dict) -> int:
    """The report file and its row appear together or not at all (the design and the
    recovery: :mod:`cpkit.store.report_files`): both files staged as hidden ``.part``
    files on the disk, the row recorded, then the notebook and the report renamed into
    place.  A full disk or a refused row leaves no file; a kill after the row leaves
    staged files that the next render in the folder, or ``cpkit check --repair``, puts
    in place.  The report's id."""
    tag = content_tag(digest)
    staged = [stage_private(notebook_path, notebook, tag)]
    try:
        staged.append(stage_private(path, data, tag))
        report_id = guard.record_render(path=str(path), sha256=digest, **row)
    except BaseException:
        for part in staged:
            part.unlink(missing_ok=True)
        raise
    for part, target in zip(staged, (notebook_path, path), strict=True):
        if part.exists() or not target.exists():
            place(part, target)  # else: a render of the same bytes at once placed it
    return report_id


def notebook_text(nb: NotebookNode) -> str:
    """The executed notebook as nbformat writes it, without ``nbformat.writes``'
    validation, whose only output is a log line: the notebook came from the packaged
    one through papermill and the kernel, which give valid notebooks."""
    from nbformat.v4.nbjson import writes

    return writes(nb)


def _drop_document(nb: NotebookNode) -> None:
    """The executed notebook kept for audit names the case; it does not carry the case
    document a second time (the parameter is blanked in the injected cell)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r'(?m)^case_document = ".*"$', 'case_document = "..."',
                                 cell.source)
    nb.metadata.get("papermill", {}).get("parameters", {}).pop("case_document", None)
