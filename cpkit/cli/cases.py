"""Case commands: init, import, export, list, show, deadlines, demo."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from tabulate import tabulate

from cpkit import exchange
from cpkit.access import open_guarded_store
from cpkit.cli.base import DATE, main, open_store, today
from cpkit.errors import BadInput, CpkitError
from cpkit.i18n import _
from cpkit.store import dumps


@main.command()
def init() -> None:
    """Create the case store, or bring it to the newest schema."""
    store = open_store()
    key = store.ensure_key()  # a new key only for an empty store
    click.echo(_("Case store ready: {url}").format(url=store.engine.url.render_as_string()),
               err=True)
    click.echo(_("Identity key: {source}").format(source=key.source), err=True)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Update cases whose code is already stored.")
def import_(files: tuple[Path, ...], replace: bool) -> None:
    """Import cases from FILES (a JSON object, a JSON array or JSON Lines).

    Each file is all-or-nothing: one bad case and nothing of that file is stored.
    """
    store = open_guarded_store()
    failed = None
    for path in files:
        try:
            documents, collection = exchange.read_file(path)
            cases = exchange.load_cases(documents, collection)
            records = store.import_cases(cases, replace=replace)
        except CpkitError as err:
            click.echo(f"cpkit: {path}: {_('nothing imported')}\n{err}", err=True)
            failed = err if failed is None or err.exit_code == 2 else failed
            continue
        codes = ", ".join(r.case.case_id for r in records)
        click.echo(_("{path}: imported {count} case(s): {codes}").format(
            path=path, count=len(records), codes=codes), err=True)
    if failed is not None:
        sys.exit(failed.exit_code)


@main.command()
@click.argument("case_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Export every live case.")
@click.option("--training", is_flag=True, help="With --all: the training cases instead.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
@click.option("--as-of", type=DATE, help="Date for the derived block (default: today).")
@click.option("--for-child", is_flag=True,
              help="The child's own file: everything held on ONE case, in words.")
@click.option("--format", "fmt", type=click.Choice(["text", "html"]), default="text",
              help="With --for-child: plain text or a simple HTML page.")
def export(case_ids: tuple[str, ...], all_: bool, training: bool, output: Path | None,
           as_of: dt.datetime | None, for_child: bool, fmt: str) -> None:
    """Export cases in the exchange format, with the derived block.

    One case gives one JSON object; several give an array.  Cases the user may
    only see redacted are exported redacted (marked "redacted": true).
    """
    from cpkit.paths import write_private

    if not case_ids and not all_:
        raise BadInput(_("name case codes or give --all"))
    store = open_guarded_store()
    day = as_of.date() if as_of else today()
    if for_child:
        if len(case_ids) != 1 or all_:
            raise BadInput(_("--for-child exports exactly one case: name its code"))
        from cpkit.access import child_file

        record = store.get(case_ids[0], "export", need_identity=True,
                           detail={"for_child": True, "format": fmt})
        text = (child_file.as_html if fmt == "html" else child_file.as_text)(record.case, day)
        documents = [record]
    else:
        records = store.records(case_ids or None, training=None if case_ids else training,
                                purpose="export")
        documents = [exchange.dump_case(r.case, day) for r in records]
        payload = documents[0] if len(case_ids) == 1 else documents
        text = dumps(payload) + "\n"
    if output:
        write_private(output, text)
        click.echo(_("wrote {count} case(s) to {path}").format(count=len(documents),
                                                               path=output), err=True)
    else:
        click.echo(text, nl=False)


@main.command("list")
@click.option("--risk", type=click.Choice(["low", "medium", "high"]))
@click.option("--manager", help="Only this case manager's cases.")
@click.option("--overdue", is_flag=True, help="Only cases with an overdue deadline.")
@click.option("--training", is_flag=True, help="The training cases instead of live ones.")
@click.option("--as-of", type=DATE, help="Day to judge 'overdue' (default: today).")
def list_(risk: str | None, manager: str | None, overdue: bool, training: bool,
          as_of: dt.datetime | None) -> None:
    """The caseload: code, overall risk, stage, case manager, next deadline."""
    day = as_of.date() if as_of else today()
    rows = open_guarded_store().summaries(training=training, risk=risk, manager=manager,
                              overdue_on=day if overdue else None)
    table = [[r["case_id"], r["overall_risk"] or "-", r["stage"], r["case_manager"] or "-",
              f"{r['next_kind']} {r['next_due']}" if r["next_due"] else "-",
              _("overdue") if r["next_due"] and r["next_due"] < day else ""]
             for r in rows]
    headers = [_("code"), _("overall risk"), _("stage"), _("case manager"),
               _("next deadline"), ""]
    click.echo(tabulate(table, headers=headers))


@main.command()
@click.argument("case_id")
@click.option("--as-of", type=DATE, help="Day for ages and deadlines (default: today).")
@click.option("--redact", is_flag=True, help="Case code only: no name, birth date, address.")
def show(case_id: str, as_of: dt.datetime | None, redact: bool) -> None:
    """A readable summary of one case."""
    from cpkit.summary_text import case_summary

    record = open_guarded_store().get(case_id, "show", redact=redact)
    click.echo(case_summary(record.case, as_of.date() if as_of else today(),
                            redact=record.redacted))


@main.command()
@click.option("--overdue", is_flag=True, help="Only the deadlines already missed.")
@click.option("--as-of", type=DATE, help="Day to judge against (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def deadlines(overdue: bool, as_of: dt.datetime | None, fmt: str) -> None:
    """Open protocol deadlines across the caseload, soonest first."""
    day = as_of.date() if as_of else today()
    rows = open_guarded_store().deadline_rows(day, overdue_only=overdue)
    for row in rows:
        row["days_late"] = max(0, (day - row["due"]).days)
        row["status"] = "overdue" if row["due"] < day else "due"
    if fmt == "json":
        click.echo(json.dumps(rows, default=str, indent=2))
        return
    table = [[r["case_id"], r["name"], r["due"], r["status"], r["days_late"] or "",
              r["case_manager"] or "-"] for r in rows]
    click.echo(tabulate(table, headers=[_("code"), _("deadline"), _("due"), _("status"),
                                        _("days late"), _("case manager")]))


@main.command()
@click.option("--count", default=12, show_default=True, help="How many demo cases.")
@click.option("--seed", default=7, show_default=True, help="Seed of the fictional data.")
@click.option("--serve", "serve_after", is_flag=True,
              help="Then serve the assessor forms (as `cpkit serve --no-browser`).")
def demo(count: int, seed: int, serve_after: bool) -> None:
    """Seed fictional demo cases (and the training cases) into the store."""
    from cpkit.demo import seed_store

    guard = open_guarded_store()
    codes = seed_store(guard, count=count, seed=seed, today=today())
    click.echo(_("{count} fictional demo cases in the store: {codes}").format(
        count=len(codes), codes=", ".join(codes)), err=True)
    from cpkit.dashboard.demo import render_demo_report  # a report awaiting sign-off

    report_id = render_demo_report(guard.store, codes, today())
    if report_id is not None:
        click.echo(_("report #{id} rendered for the supervisor's sign-off").format(id=report_id),
                   err=True)
    if serve_after:
        from cpkit.cli.serve import serve_forms

        serve_forms(None, open_browser=False, training=True)


