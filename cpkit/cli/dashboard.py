"""Supervisor commands: ``cpkit caseload``, ``cpkit reports``, ``cpkit view``, ``cpkit signoff``,
``cpkit review`` (the dashboard's views from the command line)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cpkit.cli.base import DATE, main, open_store, today
from cpkit.errors import BadInput
from cpkit.i18n import LANGUAGES, _


def open_guard(store=None):
    """The store and the guarded view of it for the current user (single-user mode is
    announced on stderr).  The one place these commands reach the case data."""
    from cpkit.access import Guard, single_user_notice

    store = store or open_store()
    guard = Guard.for_user(store)
    notice = single_user_notice(guard)
    if notice:
        click.echo(notice, err=True)
    return store, guard


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: CSV on standard output).")
@click.option("--as-of", type=DATE, help="Day to judge 'overdue' (default: today).")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of headers and labels.")
def caseload(fmt: str, output: Path | None, as_of: dt.datetime | None,
             lang: str | None) -> None:
    """The live caseload with its overdue flags, as CSV or an Excel workbook.

    Case codes only: no child's name is in it.  Training cases are never included.
    """
    from cpkit.paths import write_private

    day = as_of.date() if as_of else today()
    if fmt == "csv":  # the lean road: no SQLAlchemy, no pandas (cpkit.dashboard.table)
        from cpkit.cli.base import open_lists
        from cpkit.dashboard import export, table

        lists = open_lists()
        rows = table.caseload_rows(
            lists.summaries(training=False),
            table.overdue_rows(lists.deadline_rows(day, overdue_only=True), day))
        payload: str | bytes = export.csv_text(rows, lang)
        count = len(rows)
    else:
        if output is None and sys.stdout.isatty():
            raise BadInput(_("an XLSX workbook needs a file: give -o FILE"))
        from cpkit.dashboard import data, export

        _store, guard = open_guard()
        board = data.load(guard, day)
        payload, count = export.caseload_xlsx(board, lang), len(board.caseload)
    if output is None:
        if isinstance(payload, bytes):
            sys.stdout.buffer.write(payload)
        else:
            click.echo(payload, nl=False)
        return
    write_private(output, payload)
    click.echo(_("wrote {count} case(s) to {path}").format(count=count, path=output),
               err=True)


@main.command()
@click.argument("case_id", required=False)
@click.option("--awaiting", is_flag=True, help="Only the reports awaiting sign-off.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the status.")
def reports(case_id: str | None, awaiting: bool, lang: str | None) -> None:
    """Rendered reports (of CASE_ID, or of every case you may see) and their sign-off."""
    from cpkit.dashboard.signoff import report_statuses, withhold_comments

    store, guard = open_guard()
    if case_id:
        guard.authorise("list", case_id)
        wanted = [case_id]
    else:
        wanted = guard.visible_ids("list")
    found = [s for s in report_statuses(store, wanted) if s.awaiting or not awaiting]
    found = withhold_comments(guard, found)
    table = [[s.report_id, s.case_id, s.report["kind"], s.report["meeting_date"] or "",
              s.report["format"], s.report["case_version"], s.text(lang)] for s in found]
    from tabulate import tabulate

    click.echo(tabulate(table, headers=[_("report"), _("code"), _("kind"), _("meeting"),
                                        _("format"), _("case version"), _("sign-off")]))


@main.command(name="view")
@click.argument("report_id", type=int)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write the report to (default: an HTML report on standard "
                   "output).")
def view_report(report_id: int, output: Path | None) -> None:
    """Open a rendered report (its number in `cpkit reports`) through the same rule as
    the dashboard: an internal report only for those who may see the child's identity,
    the file checked against its checksum, the viewing audited."""
    from cpkit.access.refusals import refuse_report

    refuse_report(report_id, to_file=output is not None)  # before SQLAlchemy is imported
    from cpkit.paths import write_private
    from cpkit.store.reports import get_report

    store, guard = open_guard()
    report = get_report(store, report_id)
    if output is None and report["format"] != "html":
        raise BadInput(_("report {id} is a PDF: give -o FILE to write it").format(
            id=report_id))
    raw = guard.read_report(report)  # the identity rule, the checksum, the audit row
    if output is None:
        click.echo(raw.decode("utf-8"), nl=False)
        return
    write_private(output, raw)
    click.echo(_("wrote report {id} ({case}) to {path}").format(
        id=report_id, case=report["case_id"], path=output), err=True)


@main.command()
@click.argument("report_id", type=int)
@click.option("--approve", "decision", flag_value="approve", help="Approve the report.")
@click.option("--return", "decision", flag_value="return",
              help="Return the report (with --comment saying what to put right).")
@click.option("--comment", help="A comment (required with --return).")
def signoff(report_id: int, decision: str | None, comment: str | None) -> None:
    """Approve a rendered report, or return it with a comment."""
    from cpkit.dashboard.signoff import sign_off

    if decision is None:
        raise BadInput(_("say --approve or --return"))
    store, guard = open_guard()
    status = sign_off(store, report_id, decision, comment, guard=guard)
    click.echo(_("report {id} ({case}): {status}").format(
        id=report_id, case=status.case_id, status=status.text()))


@main.command()
@click.option("--from", "date_from", type=DATE, required=True, help="First day of the period.")
@click.option("--to", "date_to", type=DATE, required=True, help="Last day of the period.")
@click.option("-o", "--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the review (default: CPKIT_HOME/reports/review).")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html",
              show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the review.")
def review(date_from: dt.datetime, date_to: dt.datetime, output_dir: Path | None, fmt: str,
           lang: str | None) -> None:
    """Learning from practice: the six-monthly review of the live cases (counts under 5
    suppressed).  Prints the path of the review."""
    from cpkit.dashboard.review import load_review, write_review

    _store, guard = open_guard()
    found = load_review(guard, date_from.date(), date_to.date())
    path = write_review(found, fmt=fmt, out_dir=output_dir, lang=lang, prepared_on=today())
    click.echo(str(path))
