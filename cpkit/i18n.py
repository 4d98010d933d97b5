"""One translatable place for every user-facing string.

Code marks text with ``_()`` (translated when called) or ``N_()`` (marked for the
catalog, translated later where it is shown, as in the protocol data).  Catalogs are
gettext ``.po`` files under ``cpkit/locale``; English is the source language.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "sq", "sr", "sr-Cyrl")
DEFAULT_LANG = "en"


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now."""
    return message


def current_lang() -> str:
    """The language asked for by ``CPKIT_LANG``, else English."""
    lang = os.environ.get("CPKIT_LANG", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


@cache
def _catalog(lang: str) -> dict[str, str]:
    """Load the catalog of ``lang`` (an empty one when none is installed)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "cpkit.po"
    if not po.exists():
        return {}
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    return {m.id: m.string for m in catalog if m.id and m.string}


def gettext(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (default: :func:`current_lang`)."""
    lang = lang or current_lang()
    if lang == DEFAULT_LANG:
        return message
    return _catalog(lang).get(message, message)


_ = gettext
