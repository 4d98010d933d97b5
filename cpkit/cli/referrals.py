"""Referral commands: ``cpkit known`` (is this child already known?)."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from cpkit.cli.base import main, open_guarded_store
from cpkit.dashboard.labels import risk_label, stage_label
from cpkit.errors import BadInput
from cpkit.i18n import _

_BORN = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def _born(value: str | None) -> tuple[dt.date | None, int | None]:
    """``--born`` takes a date (YYYY-MM-DD) or a year (YYYY)."""
    if not value:
        return None, None
    if not _BORN.match(value):
        raise BadInput(_("--born: {value!r} is not a date (YYYY-MM-DD) or a year (YYYY)")
                       .format(value=value[:20]))
    if len(value) == 4:
        return None, int(value)
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        raise BadInput(_("--born: {value} is not a date that exists").format(value=value)) from None


@main.command()
@click.argument("case_id", required=False)
@click.option("--name", help="The child's names as written (given and family, any order).")
@click.option("--born", help="Date of birth (YYYY-MM-DD) or year of birth (YYYY).")
@click.option("--sex", type=click.Choice(["female", "male", "other", "unknown"]))
@click.option("--municipality", help="Only this municipality's cases (default: the case's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def known(case_id: str | None, name: str | None, born: str | None, sex: str | None,
          municipality: str | None, fmt: str) -> None:
    """Is this child already known?  The cases that may hold the same child.

    Give CASE_ID (that case's child, in its municipality) or --name and --born.  Names
    match across Albanian and Serbian spellings, Latin and Cyrillic, diacritics, order
    and one typing error; the names stay encrypted (keyed blind index).  Shows case
    codes, stage and risk only.
    """
    guard = open_guarded_store()
    if case_id:
        child = guard.get(case_id, "show", need_identity=True).case
        found = guard.find_child(child.child.given_name, child.child.family_name,
                                 born=child.child.date_of_birth, sex=child.child.sex,
                                 municipality=municipality or child.municipality,
                                 exclude=case_id)
    elif name:
        date, year = _born(born)
        found = guard.find_child(name, None, born=date, year=year, sex=sex,
                                 municipality=municipality)
    else:
        raise BadInput(_("give a CASE_ID, or --name (and --born) of the child to look for"))
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        click.echo(_("No case found for this child."))
        return

    levels = {"same": _("same child"), "possible": _("possibly the same child")}
    for row in found:
        click.echo(_("known: {code} ({stage}, {risk}) — {match}").format(
            code=row["case_id"], stage=stage_label(row["stage"]), risk=risk_label(row["risk"]),
            match=levels[row["match"]]))
