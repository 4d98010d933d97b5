"""Case commands: init, import, export, list, show, void, deadlines, demo."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cpkit import protocol
from cpkit.cli import output
from cpkit.cli.base import DATE, main, open_guarded_store, open_lists, open_store, today
from cpkit.errors import BadInput, CpkitError
from cpkit.i18n import _

# Heavy modules (the store, pydantic, SQLAlchemy) are imported inside the commands:
# `cpkit --help` imports this module.
FORMAT = click.option("--format", "fmt", type=click.Choice(output.FORMATS), default="table",
                      show_default=True,
                      help="A table for people; JSON or CSV (untranslated keys) for programs.")


@main.command()
def init() -> None:
    """Create the case store, or bring it to the newest schema (and every stored case's
    deadlines to the rules of this version)."""
    store = open_store()
    key = store.ensure_key()  # a new key only for an empty store
    refreshed = store.refresh_derived()
    if refreshed:
        click.echo(_("Deadlines of {count} case(s) recomputed").format(count=refreshed),
                   err=True)
    click.echo(_("Case store ready: {url}").format(url=store.engine.url.render_as_string()),
               err=True)
    click.echo(_("Identity key: {source}").format(source=key.source), err=True)


WARNINGS_SHOWN = 20  # per file on stderr; --format json carries every one


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Update cases whose code is already stored.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json: a summary per file on stdout (imported codes, warnings, error).")
def import_(files: tuple[Path, ...], replace: bool, fmt: str) -> None:
    """Import cases from FILES (a JSON object, a JSON array or JSON Lines).

    Each file is all-or-nothing: one bad case and nothing of that file is stored.
    Prints one line per file: how many cases, the first and last codes, how many
    replaced (a progress bar for large files when stderr is a terminal).  The
    protocol's warnings (what it says should happen) are reported, never refused.
    """
    import json

    from cpkit.collector import frozen_at_exit

    # Every imported case is still held at exit: the collector's walks over them as the
    # interpreter shuts down cost about 0.3 s on 10,000.  The store is closed first (its
    # connections, SQLite's write-ahead log folded in), so nothing waits on the heap.
    frozen_at_exit()  # first: its exit hook runs after every other one
    store = open_guarded_store()
    try:
        summary, failed = _import_files(store, files, replace)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps({"files": summary}, ensure_ascii=False, indent=2))
    if failed is not None:
        sys.exit(failed.exit_code)


def _import_files(store, files: tuple[Path, ...], replace: bool) -> tuple[list, CpkitError | None]:
    """Import each file (all or nothing each); the summary per file and the failure
    that sets the exit status (a refusal, status 2, before any other)."""
    from cpkit.cli.importing import import_file
    from cpkit.cli.importing import summary as file_summary
    from cpkit.rules.acknowledgements import pending

    failed = None
    summary = []
    for path in files:
        entry: dict = {"file": str(path), "imported": [], "warnings": [], "error": None}
        summary.append(entry)
        try:
            done = import_file(store, path, replace=replace,
                                   extra=lambda case: pending(case, today()))
        except CpkitError as err:
            entry["error"] = str(err)
            click.echo(f"cpkit: {path}: {_('nothing imported')}\n{err}", err=True)
            failed = err if failed is None or err.exit_code == 2 else failed
            continue
        entry["imported"] = [d.case_id for d in done]
        warnings = [w for d in done for w in d.extra]
        entry["warnings"] = [{"case": w.case, "rule": w.rule, "field": w.path,
                              "message": w.message} for w in warnings]
        for warning in warnings[:WARNINGS_SHOWN]:
            click.echo(f"cpkit: {path}: {_('warning')}: {warning}", err=True)
        if len(warnings) > WARNINGS_SHOWN:
            click.echo(_("cpkit: {path}: {count} more warning(s); --format json lists them all"
                         ).format(path=path, count=len(warnings) - WARNINGS_SHOWN), err=True)
        click.echo(file_summary(path, entry["imported"], sum(1 for d in done if d.version > 1)),
                   err=True)
    return summary, failed


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
    from cpkit import exchange
    from cpkit.paths import write_private
    from cpkit.store import dumps

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


def _deadline_status(value: object) -> str:
    return _("overdue") if value == "overdue" else ""


def _deadline_name(name: object) -> str:
    """A stored deadline name as a reader reads it: its kind's label in the user's
    language, with the meeting's date for one that comes with each meeting
    (``minutes@2026-10-01``); the JSON and CSV keep the name itself."""
    if not name:
        return "-"
    from cpkit.dashboard.table import kind_of, meeting_of
    from cpkit.rules.timescales import deadline_text

    return deadline_text(kind_of(str(name)), meeting_of(str(name)))


def _risk(level: object) -> str:
    from cpkit.dashboard.labels import risk_label

    return risk_label(level)


def _stage(stage: object) -> str:
    from cpkit.rules.stages import stage_label

    return stage_label(stage) or "-"


def list_columns() -> list[output.Column]:
    """The caseload's columns (headers in the language in use when called; the table's
    values too: labels, never the keys the JSON and CSV carry)."""
    col = output.Column
    return [col("case_id", _("code")), col("overall_risk", _("overall risk"), _risk),
            col("stage", _("stage"), _stage), col("case_manager", _("case manager")),
            col("next_kind", _("next deadline"), _deadline_name), col("next_due", _("due")),
            col("status", "", _deadline_status)]


@main.command("list")
@click.option("--risk", type=click.Choice(protocol.LEVELS),
              help="Only the open cases at this overall risk.")
@click.option("--manager", help="Only this case manager's open cases (their caseload).")
@click.option("--with-closed", is_flag=True,
              help="With --risk or --manager: the closed cases too.")
@click.option("--overdue", is_flag=True, help="Only cases with an overdue deadline.")
@click.option("--training", is_flag=True, help="The training cases instead of live ones.")
@click.option("--as-of", type=DATE, help="Day to judge 'overdue' (default: today).")
@FORMAT
def list_(risk: str | None, manager: str | None, with_closed: bool, overdue: bool,
          training: bool, as_of: dt.datetime | None, fmt: str) -> None:
    """The caseload: code, overall risk, stage, case manager, next deadline.

    Without a filter every case is listed, closed ones too.  --risk and --manager list
    the cases open now (a closed case's risk is history; a manager's caseload is their
    open cases), unless --with-closed is given.
    """
    day = as_of.date() if as_of else today()
    rows = open_lists().summaries(training=training, risk=risk, manager=manager,
                                  overdue_on=day if overdue else None,
                                  open_only=bool(risk or manager) and not with_closed)
    output.write(({**r, "status": _status(r["next_due"], day)} for r in rows),
                 list_columns(), fmt)


def _status(due: dt.date | None, day: dt.date) -> str | None:
    """``overdue``, ``due`` (open, not late yet) or nothing (no open deadline)."""
    if due is None:
        return None
    return "overdue" if due < day else "due"


@main.command()
@click.argument("case_id")
@click.option("--as-of", type=DATE, help="Day for ages and deadlines (default: today).")
@click.option("--redact", is_flag=True, help="Case code only: no name, birth date, address.")
def show(case_id: str, as_of: dt.datetime | None, redact: bool) -> None:
    """A readable summary of one case."""
    from cpkit.access.lean_read import read_case
    from cpkit.access.voiding import void_of, void_text

    # On an SQLite store without SQLAlchemy (the Guard's decision, view and audit row);
    # elsewhere through the Guard itself.
    read = people = read_case(case_id, "show", redact=redact)
    if read is None:
        people = open_guarded_store()
        read = people.get(case_id, "show", redact=redact)
        void = void_of(people, case_id)
    else:
        void = read.void
    from cpkit.summary_text import case_summary

    if void is not None:
        click.echo(void_text(people, void))
    click.echo(case_summary(read.case, as_of.date() if as_of else today(),
                            redact=read.redacted))


@main.command()
@click.argument("case_id")
@click.option("--reason", required=True,
              help="Why the case is void (created twice, created by mistake).")
def void(case_id: str, reason: str) -> None:
    """Void a case created by mistake: it is kept, marked void with the reason, audited,
    and left out of every list.  Its creator on the day it was created, or a supervisor."""
    from cpkit.access.voiding import void_case

    guard = open_guarded_store()
    void_case(guard, case_id, reason, today())
    click.echo(_("{code} is void: kept, and left out of every list.").format(code=case_id),
               err=True)


def deadline_columns(fmt: str) -> list[output.Column]:
    """The deadline list's columns; JSON and CSV also carry the kind, risk, done date."""
    col = output.Column
    shown = [col("case_id", _("code")), col("name", _("deadline"), _deadline_name),
             col("due", _("due")), col("status", _("status"), _deadline_status),
             col("days_late", _("days late"), lambda days: str(days) if days else ""),
             col("case_manager", _("case manager"))]
    return shown if fmt == "table" else shown + [
        col(key, key) for key in ("kind", "done_on", "current_risk")]


@main.command()
@click.option("--overdue", is_flag=True, help="Only the deadlines already missed.")
@click.option("--as-of", type=DATE, help="Day to judge against (default: today).")
@FORMAT
def deadlines(overdue: bool, as_of: dt.datetime | None, fmt: str) -> None:
    """Open protocol deadlines across the caseload, soonest first."""
    day = as_of.date() if as_of else today()
    rows = open_lists().deadline_rows(day, overdue_only=overdue)
    output.write(({**row, "days_late": max(0, (day - row["due"]).days),
                   "status": _status(row["due"], day)} for row in rows),
                 deadline_columns(fmt), fmt)


@main.command()
@click.option("--count", default=12, show_default=True, help="How many demo cases.")
@click.option("--seed", default=7, show_default=True, help="Seed of the fictional data.")
@click.option("--serve", "serve_after", is_flag=True,
              help="Then serve the assessor forms (as `cpkit serve --no-browser`).")
@click.option("--beside-live-cases", "beside_live", is_flag=True,
              help="Seed even though the store holds real cases (their codes are never "
                   "touched: the demo's are DEMO-...).")
def demo(count: int, seed: int, serve_after: bool, beside_live: bool) -> None:
    """Seed fictional demo cases (DEMO-...) and the training cases into the store.

    A store holding real cases is refused unless --beside-live-cases."""
    from cpkit.demo import seed_store

    guard = open_guarded_store()
    codes = seed_store(guard, count=count, seed=seed, today=today(), beside_live=beside_live)
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


