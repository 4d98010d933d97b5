"""``cpkit i18n-status``: how complete, and how reviewed, each language's catalog is."""

from __future__ import annotations

import click

from cpkit import i18n
from cpkit.cli.base import main
from cpkit.errors import BadInput
from cpkit.i18n import _


@main.command("i18n-status")
@click.option("--lang", "langs", multiple=True, metavar="LANG",
              help="Only this language (en, sq, sr, sr-Cyrl); repeat for more.")
@click.option("--missing", "show_missing", is_flag=True,
              help="Also list the messages each language lacks.")
@click.option("--check", is_flag=True,
              help="Exit with status 1 when any language misses a message.")
def i18n_status(langs: tuple[str, ...], show_missing: bool, check: bool) -> None:
    """Per language: messages, translated, missing, unreviewed, coverage."""
    try:
        chosen = [i18n.normalise_lang(lang) for lang in langs] or list(i18n.LANGUAGES)
    except ValueError as err:
        raise BadInput(str(err)) from None
    if not i18n.template_messages():
        raise BadInput(_("no message template; run scripts/update-catalogs first"))
    rows = []
    missing_total = 0
    for lang in chosen:
        status = i18n.catalog_status(lang)
        missing_total += status.missing
        rows.append([lang, i18n.LANGUAGE_NAMES[lang], status.total, status.translated,
                     status.missing, status.unreviewed, f"{status.coverage:.1f}%"])
    headers = [_("language"), _("name"), _("messages"), _("translated"), _("missing"),
               _("unreviewed"), _("coverage")]
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=headers, disable_numparse=True,
                        colalign=("left", "left", "right", "right", "right", "right", "right")))
    click.echo(_("unreviewed: translated but not yet reviewed by a native-speaking "
                 "practitioner (still used)"))
    if "sr-Cyrl" in chosen:
        click.echo(_("sr-Cyrl is the Serbian catalog transliterated to Cyrillic"))
    if show_missing:
        for lang in chosen:
            for msgid in i18n.missing_messages(lang):
                click.echo(f"{lang}\t{msgid}")
    if check and missing_total:
        raise SystemExit(1)
