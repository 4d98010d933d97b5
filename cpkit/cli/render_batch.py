"""``cpkit render --all / --cases FILE / --overdue``: reports for many cases at once.

``cpkit render`` (cpkit/cli/render.py) takes these options (:func:`batch_options`) and,
with one of ``--all``, ``--cases`` or ``--overdue`` instead of CASE_ID, calls
:func:`run_batch`.  Which cases: the ones this user may render (cpkit.access); where the
user may not see the child's identity, the report is redacted whatever was asked.

Exit status 0 when nothing failed (skipped reports are normal: a case without a CMR
has no minutes), 1 when some report failed, 2 for bad input.  The summary goes to
stderr, the paths of the rendered reports to stdout, one a line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cpkit.i18n import _

SHOWN = 20  # skipped reports listed one by one, at most


def batch_options(command):
    """The options of a batch render (the ones ``cpkit render`` does not have yet)."""
    options = [
        click.option("--all", "all_cases", is_flag=True,
                     help="Render for every live case in the store."),
        click.option("--cases", "cases_file", type=click.Path(path_type=Path, dir_okay=False,
                                                              exists=True),
                     help="Render for the case codes in this file (one a line)."),
        click.option("--overdue", is_flag=True,
                     help="Render for the cases with an overdue deadline."),
        click.option("--workers", type=click.IntRange(min=1),
                     help="Worker processes, each with a warm kernel (default: this process, "
                          "one warm kernel running several cases per call)."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on a Dask distributed cluster (tcp://host:8786); its workers "
                          "need cpkit and the same store."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_batch(*, kinds: tuple[str, ...], all_cases: bool, cases_file: Path | None,
              overdue: bool, fmt: str, lang: str, redact: bool, as_of: dt.date,
              output_dir: Path | None, workers: int | None, scheduler: str | None,
              progress: bool = True) -> int:
    """Render ``kinds`` for the chosen cases; print the summary; the exit status.

    Rendered in this process (the default), the warm kernel starts first, on its own
    thread: its start (a second or two, mostly the kernel's own imports) then overlaps
    all of this process's imports, the store's opening and the choice of the cases,
    instead of following them.  A batch that turns out to have nothing to render
    closes it at once.
    """
    pool = _early_pool() if scheduler is None and (workers or 1) == 1 else None
    try:
        return _run(pool, kinds=kinds, all_cases=all_cases, cases_file=cases_file,
                    overdue=overdue, fmt=fmt, lang=lang, redact=redact, as_of=as_of,
                    output_dir=output_dir, workers=workers, scheduler=scheduler,
                    progress=progress)
    finally:
        if pool is not None:
            pool.close()


def _early_pool():
    """A pool of one kernel, its kernel starting now (:mod:`cpkit.reports.pool` is light:
    no Jupyter import on this thread)."""
    from cpkit.reports.pool import KernelPool, kernel_env

    pool = KernelPool(size=1)
    pool.prestart("python3", kernel_env())
    return pool


def _run(pool, *, kinds: tuple[str, ...], all_cases: bool, cases_file: Path | None,
         overdue: bool, fmt: str, lang: str, redact: bool, as_of: dt.date,
         output_dir: Path | None, workers: int | None, scheduler: str | None,
         progress: bool) -> int:
    from cpkit.access import open_guarded_store
    from cpkit.paths import database_url
    from cpkit.reports.batch import Options, Summary, authorise, render_batch, select_cases

    guard = open_guarded_store()
    try:
        chosen = select_cases(guard, all_cases=all_cases, cases_file=cases_file,
                              overdue=overdue, as_of=as_of)
        case_ids, refused = authorise(guard, chosen, kinds)
        actor = guard.user
    finally:
        guard.close()
    options = Options(kinds=tuple(kinds), store_url=database_url(), fmt=fmt, lang=lang,
                      redact=redact, as_of=as_of, out_dir=output_dir, actor=actor)
    if not chosen:
        click.echo(_("No case to render."), err=True)
        return 0
    summary = render_batch(case_ids, options, workers=workers, scheduler=scheduler,
                           progress=progress, pool=pool) if case_ids else Summary([])
    summary = Summary(summary.outcomes + refused)
    case_ids = chosen
    for outcome in summary.rendered:
        click.echo(outcome.path)
    click.echo(_("{rendered} rendered, {skipped} skipped, {failed} failed ({cases} cases)")
               .format(rendered=summary.count("rendered"), skipped=summary.count("skipped"),
                       failed=summary.count("failed"), cases=len(case_ids)), err=True)
    for outcome in summary.skipped[:SHOWN]:
        click.echo(_("skipped {case} {kind}: {reason}").format(
            case=outcome.case_id, kind=outcome.kind, reason=outcome.reason), err=True)
    if len(summary.skipped) > SHOWN:
        click.echo(_("... and {n} more skipped").format(n=len(summary.skipped) - SHOWN),
                   err=True)
    for outcome in summary.failed:
        click.echo(_("FAILED {case} {kind}: {reason}").format(
            case=outcome.case_id, kind=outcome.kind, reason=outcome.reason), err=True)
    return 1 if summary.failed else 0
