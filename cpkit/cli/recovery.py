"""Recovery commands: ``cpkit check``, ``cpkit backup DIR``, ``cpkit restore DIR``
(the last two for admins only, decided by the access policy like ``rotate-key``)."""

from __future__ import annotations

from pathlib import Path

import click

from cpkit.cli.base import main, open_guarded_store, open_store
from cpkit.i18n import _


@main.command("check")
@click.option("--repair", is_flag=True,
              help="Finish an interrupted rotate-key (its new key put in place of the old) "
                   "and what an interrupted render left (admins only; run it when no "
                   "render is under way).")
def check(repair: bool) -> None:
    """Check the store: the key (which one seals it, an interrupted rotate-key), cases
    open and validate, every report file with its row and every row with its file,
    audit intact, deadlines as the rules compute them.  Exit 1 when anything is wrong."""
    from cpkit.store.check import check_store
    from cpkit.store.integrity import check_key

    if repair:
        guard = open_guarded_store()
        try:
            guard.authorise("repair")  # refused before anything is changed
        finally:
            guard.close()
    store = open_store()
    try:
        keys = check_key(store, repair)  # first: the cases open only with the right key
        found = check_store(store, repair)
    finally:
        store.close()
    for finding in keys:
        click.echo(str(finding))
    for repaired in found.repaired:
        click.echo(_("repaired: {what}").format(what=repaired))
    for problem in found.problems:
        click.echo(problem)
    click.echo(_("{cases} case(s), {reports} report(s), {rows} audit row(s) checked; "
                 "audit head {head}").format(cases=found.cases, reports=found.reports,
                                             rows=found.audit_rows,
                                             head=found.audit_head[:16] or "-"))
    problems = len(found.problems) + sum(1 for f in keys if not f.ok and not f.repaired)
    if problems:
        click.echo(_("{n} problem(s) found.").format(n=problems), err=True)
        raise SystemExit(1)
    click.echo(_("The store is sound."))


@main.command("backup")
@click.argument("folder", type=click.Path(path_type=Path))
def backup(folder: Path) -> None:
    """Copy the store into FOLDER (a new folder; admins only).  The key is not
    included: keep it (and its own copy) apart from the backup."""
    guard = open_guarded_store()
    try:
        guard.backup(folder)
    finally:
        guard.close()
    click.echo(_("Backed up to {folder} (without the key).").format(folder=folder))


@main.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the store's content without asking.")
def restore(folder: Path, yes: bool) -> None:
    """Replace the store's content with the backup in FOLDER (admins only)."""
    guard = open_guarded_store()
    try:
        guard.authorise("backup")  # refused before anything is asked
        if not yes:
            click.confirm(_("Replace everything in the store with the backup?"), abort=True)
        guard.restore(folder)
    finally:
        guard.close()
    click.echo(_("Restored from {folder}; run `cpkit check`.").format(folder=folder))
