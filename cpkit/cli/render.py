"""``cpkit render``: a protocol document for one case, as HTML or PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cpkit.cli.base import DATE, main, today
from cpkit.cli.render_batch import batch_options, run_batch
from cpkit.errors import BadInput
from cpkit.i18n import LANGUAGES, _, current_lang
from cpkit.reports import parameters
from cpkit.reports.parameters import KINDS

FORMATS = ("html", "pdf")


@main.command()
@click.argument("case_id", required=False)
@click.option("--report", "kind", type=click.Choice(KINDS), required=True,
              help="Which document: CMR minutes, closure form, care plan, invitation or the "
                   "case chronology.")
@click.option("--meeting", type=DATE,
              help="Date of the CMR (minutes: default the latest; invitation: the planned one).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--redact/--no-redact", default=True, show_default=True,
              help="Redacted copies (for distribution) name the child by the case code only; "
                   "--no-redact makes the Task Force's internal copy.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the report (default: CPKIT_LANG, else English).")
@click.option("--as-of", type=DATE, help="Date the report is prepared on (default: today).")
@click.option("-o", "--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the report (default: CPKIT_HOME/reports/CASE_ID).")
@click.option("--distributed", type=DATE,
              help="Mark the minutes or the care plan distributed on this date.")
@batch_options
@click.pass_context
def render(ctx: click.Context, case_id: str | None, kind: str, meeting: dt.datetime | None,
           fmt: str, redact: bool, lang: str | None, as_of: dt.datetime | None,
           output_dir: Path | None, distributed: dt.datetime | None, all_cases: bool,
           cases_file: Path | None, overdue: bool, workers: int | None,
           scheduler: str | None) -> None:
    """Render a report of CASE_ID through the case notebook (papermill + nbconvert).

    The executed notebook is kept beside the report for audit; every render is recorded
    in the store.  Prints the report's path.  With --all, --cases FILE or --overdue
    instead of CASE_ID: the report of many cases, in a warm kernel (or worker processes, or a
    Dask cluster), with a progress bar and a summary; one sub-folder per case in -o.
    """
    from cpkit.collector import frozen_at_exit

    frozen_at_exit()  # first: its exit hook runs after every other one
    lang = lang or current_lang()
    if all_cases or cases_file is not None or overdue:
        if case_id or meeting or distributed:
            raise BadInput("give CASE_ID, or one of --all / --cases / --overdue (without "
                           "--meeting or --distributed)")
        ctx.exit(run_batch(kinds=(kind,), all_cases=all_cases, cases_file=cases_file,
                           overdue=overdue, fmt=fmt, lang=lang, redact=redact,
                           as_of=as_of.date() if as_of else today(), output_dir=output_dir,
                           workers=workers, scheduler=scheduler))
    if not case_id or workers or scheduler:
        raise BadInput("give CASE_ID, or one of --all / --cases / --overdue for many cases")
    parameters.check({"case_id": case_id})  # a malformed code never reaches the store
    found = False
    if distributed is None:  # no such case, not allowed: said before anything is imported
        from cpkit.access.refusals import refuse_case

        refuse_case("render", case_id)
        from cpkit.reports.missing import refuse_missing_document

        # no such document: before SQLAlchemy, the pipeline, a kernel
        found = refuse_missing_document(case_id, kind, redact=redact, lang=lang, fmt=fmt,
                                        meeting_date=meeting.date() if meeting else None,
                                        as_of=as_of.date() if as_of else today())
    from cpkit.reports.pool import default_pool, kernel_env

    pool = default_pool()
    if found:  # the lean road found the document: the kernel starts now, on its own
        # thread, while this process reads the case through the Guard, imports papermill
        # and nbconvert and builds the exporter (two cores, half the wait)
        pool.prestart("python3", kernel_env())
        if fmt == "pdf":  # WeasyPrint imported meanwhile, not after the page's conversion
            from cpkit.reports.pdf import start_engine

            start_engine()
    from cpkit.access import open_guarded_store
    from cpkit.reports.context import read_for_render

    guard = open_guarded_store()
    try:  # the guard decides redaction (need-to-know) and checks --distributed as an edit
        day = meeting.date() if meeting else None
        # read and refused (no such document, not allowed) before the pipeline is imported
        ready = read_for_render(guard, case_id, kind, redact=redact, meeting_date=day,
                                as_of=as_of.date() if as_of else today(), lang=lang, fmt=fmt,
                                distributed_on=distributed.date() if distributed else None)
        # Accepted (on the Guard's road: --meeting, --distributed, PostgreSQL): the
        # kernel starts now if it has not yet.
        pool.prestart("python3", kernel_env())
        if fmt == "pdf" and not found:
            from cpkit.reports.pdf import start_engine

            start_engine()
        from cpkit.reports import render as pipeline  # nbformat, papermill: only now

        pipeline.exporter(kind)
        result = pipeline.render_report(
            guard, case_id, kind, fmt=fmt, lang=lang, redact=redact, meeting_date=day,
            as_of=as_of.date() if as_of else today(), out_dir=output_dir,
            distributed_on=distributed.date() if distributed else None, ready=ready,
            engine="cpkit-warm", engine_kwargs={"pool": pool})
    finally:
        guard.close()
    copy = _("redacted copy") if result.redacted else _("Task Force copy (not redacted)")
    click.echo(_("{case}: {kind} rendered ({copy}), report #{id}; executed notebook: "
                 "{notebook}").format(case=case_id, kind=kind, copy=copy, id=result.report_id,
                                      notebook=result.notebook_path), err=True)
    if result.distributed_on:
        click.echo(_("{case}: {kind} marked distributed on {day}").format(
            case=case_id, kind=kind, day=result.distributed_on), err=True)
    click.echo(str(result.path))

