"""Render reports for a whole caseload: a warm kernel, worker processes, or a Dask cluster.

Before each month's CMRs a Center for Social Work renders minutes, invitations and care
plans for all its cases.  One papermill call and one nbconvert call per case spend
almost all their time starting processes and kernels; here each worker process keeps
one warm kernel (:mod:`cpkit.reports.pool`, through the ``cpkit-warm`` papermill engine)
and one exporter per report kind, and renders case after case with them.

* :func:`select_cases` chooses the cases (all live cases, a file of codes, the overdue);
* :func:`render_one` renders one report of one case, exactly as ``cpkit render`` does
  (same checks, files, records, audit) but in a warm kernel;
* :func:`render_cases` renders several cases so, their notebooks run in one request
  to a warm kernel (:mod:`cpkit.reports.runner`: a dozen round trips per case, each
  with its messages, cost both sides more CPU than the cells themselves);
* :func:`render_batch` runs every (case, report) pair in this process, in ``workers``
  processes, or on a Dask cluster, with a progress bar; each pair ends as an
  :class:`Outcome`: rendered, skipped (the protocol has no such document for the case:
  no meeting for minutes, an open case for a closure form) or failed with a reason.
  A failure never stops the other cases.

Messages name case codes only, never a child; an unexpected error is reported by its
type, since its text could quote the case.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cpkit.errors import BadInput, CpkitError, NotFound
from cpkit.model import CASE_ID_PATTERN
from cpkit.reports import parameters, render
from cpkit.reports.context import NoDocument, read_for_render

RENDERED, SKIPPED, FAILED = "rendered", "skipped", "failed"
# By default another worker process is started only for this many more cases (a worker
# costs a process and a kernel start, a few seconds; a warm case a fraction of one).
# Cases whose notebooks one request runs in a warm kernel (cpkit.reports.runner): the
# per-request cost is shared, and the host's part of the next few cases overlaps them.
CASES_PER_CALL = 8
# Host threads beyond one per kernel: they read and check the next cases while the
# kernel starts and while it runs a call.
THREADS_AHEAD = 3


@dataclass(frozen=True)
class Options:
    """What to render for every chosen case (picklable: it travels to the workers)."""

    kinds: tuple[str, ...]
    store_url: str
    fmt: str = "html"
    lang: str = "en"
    redact: bool = True
    as_of: dt.date = field(default_factory=dt.date.today)
    out_dir: Path | None = None
    actor: str = ""
    # When the batch began (set by render_batch): a report of the same case version
    # recorded since then by this batch's user is not rendered again (a retried task).
    started_at: dt.datetime | None = None

    def __post_init__(self):
        unknown = [k for k in self.kinds if k not in parameters.KINDS]
        if not self.kinds or unknown:
            raise BadInput(f"report must be one of {', '.join(parameters.KINDS)}")
        if self.fmt not in render.FORMATS:
            raise BadInput(f"format must be one of {', '.join(render.FORMATS)}")


@dataclass(frozen=True)
class Outcome:
    """How one report of one case ended."""

    case_id: str
    kind: str
    status: str
    reason: str = ""
    path: str | None = None
    sha256: str | None = None


@dataclass
class Summary:
    """Every outcome of a batch, with counts by status."""

    outcomes: list[Outcome]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def rendered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == RENDERED]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == SKIPPED]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]


# --- choosing cases ---------------------------------------------------------------------

def read_case_file(path: Path) -> list[str]:
    """Case codes from a text file: one a line; blank lines and ``#`` comments ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"cannot read the list of cases ({type(err).__name__})") from None
    codes: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0].strip()
        if not code:
            continue
        if not re.fullmatch(CASE_ID_PATTERN, code):
            raise BadInput(f"{Path(path).name}, line {number}: not a case code")
        if code not in codes:
            codes.append(code)
    return codes


def select_cases(store, *, all_cases: bool = False, cases_file: Path | None = None,
                 overdue: bool = False, as_of: dt.date | None = None) -> list[str]:
    """The case codes to render, in code order (a file's own order for ``cases_file``).

    ``all_cases``: every live case (training cases are not part of the caseload);
    ``overdue``: live cases with a deadline overdue on ``as_of``; ``cases_file``: the
    codes listed, unknown ones included (they end as failed, not silently dropped).
    """
    chosen = [bool(all_cases), cases_file is not None, bool(overdue)]
    if sum(chosen) != 1:
        raise BadInput("choose the cases with exactly one of --all, --cases FILE, --overdue")
    if cases_file is not None:
        return read_case_file(cases_file)
    if overdue:
        return [row["case_id"] for row in store.summaries(overdue_on=as_of or dt.date.today())]
    return [row["case_id"] for row in store.summaries()]


def authorise(guard, case_ids: Sequence[str], kinds: Sequence[str]
              ) -> tuple[list[str], list[Outcome]]:
    """What ``guard``'s user may render: (codes to render, refused outcomes).  Whether a
    copy is redacted is decided per report by the guard (see ``render_report``).

    Unknown codes are kept: they end as failed ("no such case") like any other failure.
    The cases' facts are read together (:meth:`Guard.decisions`), not one by one.
    """
    allowed, refused = [], []
    decisions = guard.decisions("render", case_ids)
    for code in case_ids:
        decision = decisions.get(code)
        if decision is None:
            allowed.append(code)
            continue
        if not decision.allowed:
            refused += [Outcome(code, k, FAILED, f"{code}: not allowed to render this case")
                        for k in kinds]
            continue
        allowed.append(code)
    return allowed, refused


# --- one report -------------------------------------------------------------------------

def render_one(guard, case_id: str, kind: str, options: Options, *, pool=None) -> Outcome:
    """Render report ``kind`` of ``case_id`` as ``cpkit render`` does, in a warm kernel.

    :func:`cpkit.reports.render.render_report` itself (the same guarded read, checks,
    files, modes, records, audit), with the ``cpkit-warm`` engine and ``pool``; the files
    go to ``options.out_dir/<case code>/`` when an output folder is given.  A report the
    protocol does not have for this case is skipped; a failure raises.
    """
    from cpkit.reports.engine import ENGINE_NAME, register

    register()  # also when cpkit runs from a checkout without its entry points
    guard = render.as_guard(guard, options.actor or None)
    facts, version = guard.checked_version(case_id)
    redact = guard.redaction_needed(facts, options.redact)
    done = already_rendered(guard, version, facts, kind, redact, options)
    if done is not None:
        return done
    try:
        result = render.render_report(
            guard, case_id, kind, fmt=options.fmt, lang=options.lang,
            redact=redact, as_of=options.as_of,
            out_dir=Path(options.out_dir) / case_id if options.out_dir else None,
            engine=ENGINE_NAME, engine_kwargs={"pool": pool})
    except NoDocument as err:  # the protocol has no such document for this case
        return Outcome(case_id, kind, SKIPPED, str(err))
    return Outcome(case_id, kind, RENDERED, path=str(result.path), sha256=result.sha256)


def already_rendered(guard, version: int, case, kind: str, redact: bool,
                     options: Options) -> Outcome | None:
    """The outcome of this batch's earlier render of the report, if it was recorded.

    A Dask worker that dies mid-task has its task run again on another worker; the
    cases it finished before dying are then found here (same case version, kind,
    format, language and redaction, recorded by this batch's user since the batch
    began, the file there with its checksum, or put there from the files it staged if
    it died between its row and its renames) instead of being rendered and recorded
    twice.  ``case``: the case's code, or its facts as this render read them
    (:meth:`Guard.checked_version`).
    """
    if options.started_at is None:
        return None
    case_id = getattr(case, "case_id", case)
    for row in reversed(guard.report_rows(case)):
        at = row["at"] if row["at"].tzinfo else row["at"].replace(tzinfo=dt.UTC)
        if (row["kind"], row["format"], row["lang"], bool(row["redacted"]),
                row["case_version"], row["actor"]) != (
                kind, options.fmt, options.lang, redact, version,
                options.actor or row["actor"]) \
                or at < options.started_at:
            continue
        path = Path(row["path"])
        if options.out_dir and not path.is_relative_to(Path(options.out_dir).resolve()):
            continue
        if guard.report_in_place(case, path, row["sha256"]):
            return Outcome(case_id, kind, RENDERED, path=str(path), sha256=row["sha256"])
    return None


def _reason(err: BaseException) -> str:
    """A message safe to show: cpkit's own (case codes only), else the error's type."""
    if isinstance(err, CpkitError):
        return str(err)
    return f"unexpected failure ({type(err).__name__})"


def _accepted(guard, case_id: str, kind: str, options: Options, known: dict,
              names: dict[str, str]):
    """The report accepted for rendering (:func:`cpkit.reports.render.accept`), or the
    outcome of this batch's earlier render of it.  ``known``: the facts and versions of
    this call's cases (:meth:`Guard.facts_and_versions`), read together just before;
    ``names``: the users' display names, likewise."""
    if case_id not in known:
        raise NotFound(f"{case_id}: no such case in the store")
    if isinstance(known[case_id], Exception):  # its row could not be read
        raise known[case_id]
    facts, version = known[case_id]
    redact = guard.redaction_needed(facts, options.redact)
    done = already_rendered(guard, version, facts, kind, redact, options)
    if done is not None:
        return done
    # The guarded read decides (and audits) on the facts it reads with the case.
    ready = read_for_render(guard, case_id, kind, redact=redact, lang=options.lang,
                            fmt=options.fmt, as_of=options.as_of, names=names)
    return render.accept(guard, case_id, kind, fmt=options.fmt, lang=options.lang,
                         redact=redact, as_of=options.as_of, ready=ready,
                         out_dir=Path(options.out_dir) / case_id if options.out_dir else None)


def _page(accepted, executed, printers):
    """The report's page (:func:`cpkit.reports.render.to_page`) and its data: the page,
    or its PDF (printed by ``printers`` when given: a future)."""
    if isinstance(executed, BaseException):
        raise executed
    page = render.to_page(accepted, executed)
    if accepted.fmt != "pdf":
        return page, page.html.encode("utf-8")
    if printers is not None:
        from cpkit.reports.pdf import html_to_pdf

        return page, printers.submit(html_to_pdf, page.html, title=page.title,
                                     lang=accepted.lang)
    from cpkit.reports.pdf import html_to_pdf

    return page, html_to_pdf(page.html, title=page.title, lang=accepted.lang)


def _stored(page, data) -> Outcome:
    result = render.store(page, data if isinstance(data, bytes) else data.result())
    return Outcome(result.case_id, result.kind, RENDERED, path=str(result.path),
                   sha256=result.sha256)


def _outcome(case_id: str, kind: str, step: Callable, *args) -> Outcome | object:
    """``step(*args)``, or the outcome its failure means; nothing raised."""
    try:
        return step(*args)
    except NoDocument as err:  # the protocol has no such document for this case
        return Outcome(case_id, kind, SKIPPED, str(err))
    except NotFound:
        return Outcome(case_id, kind, FAILED, f"{case_id}: no such case in the store")
    except Exception as err:  # one case never stops the batch
        return Outcome(case_id, kind, FAILED, _reason(err))


def render_cases(guard, case_ids: Sequence[str], options: Options, *, pool=None,
                 printers=None) -> list[Outcome]:
    """Every report of ``options`` for several cases, as :func:`render_one` renders each
    (same read, checks, files, records, audit), their notebooks executed in one request
    to one warm kernel of ``pool`` (:func:`cpkit.reports.render.execute_many`: the
    kernel wiped and checked after each).  ``printers``: an executor (other processes)
    that prints the PDFs with the one printer, all of these cases' at once.  Nothing
    raised: failures are outcomes."""
    from cpkit.access.users import display_names

    guard = render.as_guard(guard, options.actor or None)
    try:  # read once for these cases, not once per step of each report
        known = _known(guard, case_ids)
        names = display_names(guard.store)
    except Exception as err:
        return [Outcome(c, k, FAILED, _reason(err)) for c in case_ids for k in options.kinds]
    steps = [_outcome(case_id, kind, _accepted, guard, case_id, kind, options, known, names)
             for case_id in case_ids for kind in options.kinds]
    accepted = [s for s in steps if isinstance(s, render.Accepted)]
    try:
        ran = render.execute_many([a.notebook for a in accepted], render.kernel_env(),
                                  pool=pool) if accepted else []
    except Exception as err:  # the pool is closed, ...: these cases fail, not the batch
        ran = [err] * len(accepted)
    executed = iter(ran)
    pages = [_outcome(s.case_id, s.kind, _page, s, next(executed), printers)
             if isinstance(s, render.Accepted) else s for s in steps]
    return [_outcome(s.case_id, s.kind, _stored, *page) if isinstance(page, tuple) else page
            for s, page in zip(steps, pages, strict=True)]


def _known(guard, case_ids: Sequence[str]) -> dict:
    """The facts and versions of ``case_ids`` (:meth:`Guard.facts_and_versions`), read
    together; when that fails (a row whose document cannot be read), each case alone,
    so that only that case fails (its error in place of its facts)."""
    try:
        return guard.facts_and_versions(list(case_ids))
    except Exception as err:
        if len(case_ids) == 1:
            return {case_ids[0]: err}
    known: dict = {}
    for code in case_ids:
        try:
            known.update(guard.facts_and_versions([code]))
        except Exception as err:
            known[code] = err
    return known


def render_case(guard, case_id: str, options: Options, *, pool=None) -> list[Outcome]:
    """Every report of ``options`` for one case; nothing raised, failures are outcomes."""
    outcomes = []
    for kind in options.kinds:
        try:
            outcomes.append(render_one(guard, case_id, kind, options, pool=pool))
        except NotFound:
            outcomes.append(Outcome(case_id, kind, FAILED, f"{case_id}: no such case in "
                                                           "the store"))
        except Exception as err:  # one case never stops the batch
            outcomes.append(Outcome(case_id, kind, FAILED, _reason(err)))
    return outcomes


# --- a worker: one store, one warm kernel, one exporter per kind --------------------------

_worker: dict = {}


def _worker_parts(options: Options):
    """This process's guard (the batch's user on the store) and kernel pool, made on
    first use and kept."""
    if _worker.get("url") != options.store_url:
        _close_worker()
        _worker.update(_open(options))
    return _worker["guard"], _worker["pool"]


def _open(options: Options) -> dict:
    from cpkit.access import open_guarded_store
    from cpkit.reports.pool import KernelPool

    pool = KernelPool(size=1)
    pool.prestart(render.KERNEL, render.kernel_env())
    guard = open_guarded_store(options.store_url, options.actor or None, announce=False,
                               migrate=False)
    return {"url": options.store_url, "pool": pool, "guard": guard}


def _warm_up(kinds: Sequence[str]) -> None:
    """Import papermill and build the exporters while the kernel starts."""
    render.warm_up(kinds)


def _close_worker() -> None:
    pool, guard = _worker.pop("pool", None), _worker.pop("guard", None)
    _worker.pop("url", None)
    if pool is not None:
        pool.close()
    if guard is not None:
        guard.close()


def render_chunk(case_ids: Sequence[str], options: Options) -> list[Outcome]:
    """Render a few cases in this worker (multiprocessing or Dask task)."""
    try:
        guard, pool = _worker_parts(options)
    except Exception as err:
        return [Outcome(c, k, FAILED, _reason(err)) for c in case_ids for k in options.kinds]
    return render_cases(guard, case_ids, options, pool=pool)


def _init_process(environ: dict[str, str], options: Options) -> None:
    """multiprocessing worker start: the parent's cpkit settings (home, store, key, user),
    a kernel starting at once; close the kernels when the worker ends."""
    from multiprocessing import util

    os.environ.update(environ)
    util.Finalize(None, _close_worker, exitpriority=10)
    with contextlib.suppress(Exception):  # a failure shows up on the first case instead
        _worker_parts(options)
        _warm_up(options.kinds)


# --- the batch --------------------------------------------------------------------------

def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _in_process(case_ids, options, kernels: int = 1, pool=None) -> Iterator[list[Outcome]]:
    """Render in this process with ``kernels`` warm kernels, a few cases per kernel call.

    No worker process to start (each would import the whole pipeline again, seconds of
    CPU a batch of a day's cases does not have): the kernels start in the background
    while the exporters are built.  Host threads (:data:`THREADS_AHEAD` more than
    kernels, each with its own guard, i.e. its own database connection) each take
    :data:`CASES_PER_CALL` cases: read and check them, have a kernel run their notebooks
    in one call (:func:`render_cases`), convert and record them; while one waits for a
    kernel, the others read the next cases.  Since a kernel runs several cases per
    call, its part of a case (about 30 ms of CPU) is half the host's: one kernel keeps
    up with the host, a second would mostly wait.  ``pool``: a pool whose kernel was
    started earlier (``cpkit render`` starts it before anything else); closed here.
    """
    from concurrent.futures import ThreadPoolExecutor

    from cpkit.access import open_guarded_store
    from cpkit.reports.pool import KernelPool

    kernels = max(1, min(kernels, len(case_ids)))
    pool = pool if pool is not None else KernelPool(size=kernels)
    for _n in range(kernels):
        pool.prestart(render.KERNEL, render.kernel_env())
    guards: list = []
    local = threading.local()

    def guard():
        if getattr(local, "guard", None) is None:
            local.guard = open_guarded_store(options.store_url, options.actor or None,
                                             announce=False, migrate=False)
            guards.append(local.guard)
        return local.guard

    printers = _printers(len(case_ids) * len(options.kinds)) if options.fmt == "pdf" else None

    def some(chunk: list[str]) -> list[Outcome]:
        try:
            current = guard()
        except Exception as err:
            return [Outcome(c, k, FAILED, _reason(err)) for c in chunk for k in options.kinds]
        return render_cases(current, chunk, options, pool=pool, printers=printers)

    try:
        guard()  # this thread's, opened while the kernels start
        _warm_up(options.kinds)
        chunks = _chunks(case_ids, CASES_PER_CALL)
        with ThreadPoolExecutor(min(len(chunks), kernels + THREADS_AHEAD),
                                thread_name_prefix="cpkit-render") as threads:
            yield from threads.map(some, chunks)
    finally:
        pool.close()
        if printers is not None:
            printers.shutdown(cancel_futures=True)
        for opened in guards:
            with contextlib.suppress(Exception):
                opened.close()


def _printers(reports: int):
    """Processes that print PDFs (about a second of CPU a report, in the PDF engine's
    Python: the host's threads would take turns on one core), one per core but no more
    than there are ``reports`` (each imports the engine, a second of CPU), started now so
    that they have imported the engine by the first page.  ``None`` for one report: it
    is printed here, by the engine imported meanwhile in a thread (while the host waits
    for the kernel), not by a new Python that would import cpkit as well."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from cpkit.reports import pdf

    if reports <= 1:
        pdf.start_engine()
        return None
    workers = min(os.cpu_count() or 1, reports)
    printers = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    for _n in range(workers):
        printers.submit(pdf.ready)
    return printers



def _processes(case_ids, options, workers: int) -> Iterator[list[Outcome]]:
    import functools
    import multiprocessing

    # spawn: a forked copy of this process would share its database and kernel sockets.
    ctx = multiprocessing.get_context("spawn")
    environ = {k: v for k, v in os.environ.items() if k.startswith(("CPKIT_", "JUPYTERHUB_"))}
    with ctx.Pool(workers, initializer=_init_process,
                  initargs=(environ, options)) as processes:
        task = functools.partial(render_chunk, options=options)
        yield from processes.imap_unordered(task, [[c] for c in case_ids])
        processes.close()
        processes.join()


class KernelPlugin:
    """Dask worker plugin: close the worker's warm kernels when the worker stops."""

    name = "cpkit-warm-kernels"

    def setup(self, worker):  # noqa: D401 - Dask's hook
        return None

    def teardown(self, worker):
        _close_worker()


def _dask(case_ids, options, scheduler) -> Iterator[list[Outcome]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise BadInput("--scheduler needs Dask, an optional part of cpkit: install it with "
                       "`pip install 'cpkit[dask]'`") from None

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    try:
        with contextlib.suppress(Exception):  # an older scheduler without plugins
            client.register_plugin(_as_worker_plugin(), name=KernelPlugin.name)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = max(1, min(20, math.ceil(len(case_ids) / (workers * 4))))
        # A task whose worker dies is run again by the scheduler on another worker (up
        # to distributed.scheduler.allowed-failures times); already_rendered keeps the
        # cases it had finished from being rendered twice.
        chunks = {client.submit(render_chunk, chunk, options, pure=False): chunk
                  for chunk in _chunks(case_ids, size)}
        # The loop explicitly: our client is not the process's default client.
        for future in as_completed(list(chunks), loop=client.loop):
            try:
                yield future.result()
            except Exception as err:  # the task's workers kept dying: its cases fail
                yield [Outcome(c, k, FAILED, _reason(err))
                       for c in chunks[future] for k in options.kinds]
    finally:
        if own:
            client.close()


def _as_worker_plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class _Plugin(KernelPlugin, WorkerPlugin):
        pass

    return _Plugin()


def render_batch(case_ids: Iterable[str], options: Options, *, workers: int | None = None,
                 kernels: int | None = None, scheduler=None, progress: bool = False,
                 on_outcomes: Callable[[list[Outcome]], None] | None = None,
                 pool=None) -> Summary:
    """Render ``options.kinds`` for every case; the outcomes in the cases' order.

    ``scheduler``: a Dask scheduler address (or a ``distributed.Client``): the cases go
    to its workers.  Otherwise, by default, this process with one warm kernel
    (:func:`_in_process`; ``kernels``: that many); ``workers``: that many worker
    processes, each with its own kernel (1: this process).  ``progress`` shows a
    progress bar on stderr.  ``pool``: for this process's kernels, a
    :class:`~cpkit.reports.pool.KernelPool` already starting them (closed when done;
    ignored by workers and Dask).
    """
    case_ids = list(dict.fromkeys(case_ids))
    if options.started_at is None:
        options = dataclasses.replace(options, started_at=dt.datetime.now(dt.UTC))
    if workers is not None and workers < 1:
        raise BadInput("--workers must be at least 1")
    if kernels is not None:
        if kernels < 1 or workers is not None:
            raise BadInput("kernels: at least 1, and not with workers")
        workers = kernels
    if scheduler is not None:
        results = _dask(case_ids, options, scheduler)
    elif workers is None or workers == 1 or kernels is not None:
        results = _in_process(case_ids, options, kernels=kernels or 1, pool=pool)
    else:
        results = _processes(case_ids, options, min(workers, len(case_ids)))

    from tqdm import tqdm

    total = len(case_ids) * len(options.kinds)
    done: list[Outcome] = []
    with tqdm(total=total, unit="report", file=sys.stderr, disable=not progress,
              dynamic_ncols=True, desc=", ".join(options.kinds)) as bar:
        for outcomes in results:
            done.extend(outcomes)
            bar.update(len(outcomes))
            if on_outcomes is not None:
                on_outcomes(outcomes)
    order = {c: i for i, c in enumerate(case_ids)}
    kinds = {k: i for i, k in enumerate(options.kinds)}
    done.sort(key=lambda o: (order.get(o.case_id, len(order)), kinds.get(o.kind, 0)))
    return Summary(done)
