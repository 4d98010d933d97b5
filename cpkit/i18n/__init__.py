"""One translatable place for every user-facing string.

Code marks text with ``_()`` (translated when called) or ``N_()`` (marked for the
catalog, translated later where it is shown, as in the protocol data).  Catalogs are
gettext ``.po`` files under ``cpkit/locale``; English is the source language.

Languages: ``en`` (source), ``sq`` (Albanian), ``sr`` (Serbian, Latin script) and
``sr-Cyrl`` (Serbian, Cyrillic script).  ``sr-Cyrl`` has no catalog of its own: it is the
``sr`` catalog transliterated when it is loaded (:mod:`cpkit.i18n.transliterate`), so the two
scripts can never drift apart and a correction to ``sr.po`` shows in both.

The language of a call is, first to last: the ``lang`` argument; the process-wide choice
made with :func:`set_lang` (a form's language drop-down); ``CPKIT_LANG``; English.

Review status: every translation written without a native-speaking practitioner's review
carries the custom flag ``unreviewed`` (``#, unreviewed``).  Unlike ``fuzzy`` (which
gettext ignores at run time) an unreviewed translation is used; ``cpkit i18n-status``
counts them.  A reviewer removes the flag.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent.parent / "locale"
TEMPLATE = LOCALE_DIR / "cpkit.pot"
LANGUAGES = ("en", "sq", "sr", "sr-Cyrl")
DEFAULT_LANG = "en"
UNREVIEWED = "unreviewed"

# The marking functions ``pybabel extract`` looks for (scripts/update-catalogs, tests);
# ``t`` is the reports' ``ReportContext.t(message)`` (and the templates' ``t`` filter).
EXTRACT_KEYWORDS = ("_", "N_", "gettext", "ngettext:1,2", "t")

# Each language's display name, in itself (for language drop-downs).
LANGUAGE_NAMES = {"en": "English", "sq": "Shqip", "sr": "Srpski", "sr-Cyrl": "Српски"}

# The Babel locale used to format dates and numbers: the Kosovo variants (24-hour clock);
# English as in the UK, like the protocol.
BABEL_LOCALES = {"en": "en_GB", "sq": "sq_XK", "sr": "sr_Latn_XK", "sr-Cyrl": "sr_Cyrl_XK"}

# Languages whose catalog is another's, transliterated at load time.
_DERIVED = {"sr-Cyrl": "sr"}

_ALIASES = {
    "en": "en", "en-gb": "en", "en-us": "en",
    "sq": "sq", "sq-al": "sq", "sq-xk": "sq", "al": "sq",
    "sr": "sr", "sr-latn": "sr", "sr-latn-xk": "sr", "sr-latn-rs": "sr", "sr-xk": "sr",
    "sr-cyrl": "sr-Cyrl", "sr-cyrl-xk": "sr-Cyrl", "sr-cyrl-rs": "sr-Cyrl",
}

_override: str | None = None


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now."""
    return message


def normalise_lang(lang: str) -> str:
    """The cpkit language code for ``lang`` (``sr_Cyrl``, ``sr-cyrl`` -> ``sr-Cyrl``).

    Raises ``ValueError`` naming the known languages for anything else.
    """
    code = _ALIASES.get(str(lang).strip().replace("_", "-").lower())
    if code is None:
        raise ValueError(f"{lang!r} is not a cpkit language; known: {', '.join(LANGUAGES)}")
    return code


def set_lang(lang: str | None) -> str:
    """Choose the language of this process (a form's language setting); ``None`` clears it.

    Wins over ``CPKIT_LANG``; an explicit ``lang`` argument still wins over it.  Returns
    the language now current.  Raises ``ValueError`` for an unknown language.
    """
    global _override
    _override = None if lang is None else normalise_lang(lang)
    return current_lang()


def current_lang() -> str:
    """The language chosen with :func:`set_lang`, else ``CPKIT_LANG``, else English."""
    if _override is not None:
        return _override
    try:
        return normalise_lang(os.environ.get("CPKIT_LANG") or DEFAULT_LANG)
    except ValueError:
        return DEFAULT_LANG


def _resolve(lang: str | None) -> str:
    if lang is None:
        return current_lang()
    try:
        return normalise_lang(lang)
    except ValueError:
        return DEFAULT_LANG


def catalog_path(lang: str) -> Path:
    """Where the ``.po`` catalog of ``lang`` lives (a derived language: its source's)."""
    lang = _DERIVED.get(lang, lang)
    return LOCALE_DIR / lang / "LC_MESSAGES" / "cpkit.po"


@dataclass(frozen=True)
class Entry:
    """One catalog entry as used at run time: the translation and its review state."""

    string: str | tuple[str, ...]
    unreviewed: bool


@cache
def _entries(lang: str) -> dict[str, Entry]:
    """Translated, non-fuzzy entries of ``lang`` keyed by msgid (plural: by singular)."""
    po = catalog_path(lang)
    if lang == DEFAULT_LANG or not po.exists():
        return {}
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    convert = _converter(lang)
    entries: dict[str, Entry] = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        key = m.id[0] if isinstance(m.id, (list, tuple)) else m.id
        if isinstance(m.string, (list, tuple)):
            if not all(m.string):
                continue
            string: str | tuple[str, ...] = tuple(convert(s) for s in m.string)
        elif m.string:
            string = convert(m.string)
        else:
            continue
        entries[key] = Entry(string, UNREVIEWED in m.flags)
    return entries


def load_catalogs() -> None:
    """Read every language's catalog now (a form's kernel being preheated) rather than
    at a visitor's first word in that language: a few tenths of a second each."""
    for lang in LANGUAGES:
        _entries(lang)


def _converter(lang: str):
    if lang == "sr-Cyrl":
        from cpkit.i18n.transliterate import latin_to_cyrillic

        return latin_to_cyrillic
    return lambda text: text


def _catalog(lang: str) -> dict[str, str]:
    """msgid -> translation of the singular entries of ``lang`` (empty for English)."""
    return {k: e.string for k, e in _entries(lang).items() if isinstance(e.string, str)}


def reload() -> None:
    """Forget loaded catalogs (after ``scripts/update-catalogs`` rewrote them)."""
    _entries.cache_clear()
    template_messages.cache_clear()


def gettext(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (default: :func:`current_lang`).

    Untranslated messages come back in English; unreviewed translations are used.
    """
    lang = _resolve(lang)
    if lang == DEFAULT_LANG:
        return message
    entry = _entries(lang).get(message)
    if entry is None or not isinstance(entry.string, str):
        return message
    return entry.string


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The form of ``singular``/``plural`` for the count ``n`` in ``lang``.

    The text is returned unformatted; the caller fills ``{n}`` / ``%(num)s`` itself.
    """
    lang = _resolve(lang)
    entry = _entries(lang).get(singular) if lang != DEFAULT_LANG else None
    if entry is None or not isinstance(entry.string, tuple):
        return singular if n == 1 else plural
    forms = entry.string
    return forms[min(plural_index(n, lang), len(forms) - 1)]


_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def plural_index(n: int, lang: str | None = None) -> int:
    """Which plural form of a catalog entry fits the count ``n`` in ``lang``.

    The forms follow CLDR's categories in their usual order (``one``, ``few``,
    ``other`` for Serbian; ``one``, ``other`` for Albanian), as Babel writes them.
    """
    from babel import Locale

    rule = Locale.parse(babel_locale(lang)).plural_form
    tags = [t for t in _CLDR_ORDER if t in rule.tags or t == "other"]
    return tags.index(rule(n))


def translator(lang: str | None = None):
    """``(gettext, ngettext)`` bound to ``lang``, e.g. for Jinja2's
    ``env.install_gettext_callables(*translator("sr"), newstyle=True)``."""

    def _gettext(message: str, **variables) -> str:
        text = gettext(message, lang)
        return text % variables if variables else text

    def _ngettext(singular: str, plural: str, n: int, **variables) -> str:
        text = ngettext(singular, plural, n, lang)
        variables.setdefault("num", n)
        return text % variables

    return _gettext, _ngettext


def babel_locale(lang: str | None = None) -> str:
    """The Babel locale id used to format dates and numbers in ``lang``."""
    return BABEL_LOCALES[_resolve(lang)]


# --- the catalog as data (status, tests, leftovers) ----------------------------------


@cache
def template_messages() -> tuple[str, ...]:
    """Every msgid of the shipped template ``cpkit/locale/cpkit.pot`` (the last extraction)."""
    if not TEMPLATE.exists():
        return ()
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as fh:
        catalog = read_po(fh)
    ids = (m.id[0] if isinstance(m.id, (list, tuple)) else m.id for m in catalog if m.id)
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class Status:
    """Coverage of one language against the template."""

    lang: str
    total: int
    translated: int
    unreviewed: int

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def coverage(self) -> float:
        return 100.0 if not self.total else 100.0 * self.translated / self.total


def catalog_status(lang: str) -> Status:
    """How many template messages ``lang`` translates, and how many are unreviewed.

    Fuzzy entries count as missing (gettext does not use them).  English, the source,
    is complete and reviewed by definition.
    """
    lang = normalise_lang(lang)
    ids = template_messages()
    if lang == DEFAULT_LANG:
        return Status(lang, len(ids), len(ids), 0)
    entries = _entries(lang)
    present = [entries[i] for i in ids if i in entries]
    return Status(lang, len(ids), len(present), sum(e.unreviewed for e in present))


def missing_messages(lang: str) -> list[str]:
    """Template msgids that ``lang`` does not translate (empty, fuzzy or absent)."""
    lang = normalise_lang(lang)
    if lang == DEFAULT_LANG:
        return []
    entries = _entries(lang)
    return [i for i in template_messages() if i not in entries]


# --- English left in a rendered text ------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|%[sdif%]")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

# A fixed English phrase counts when it has more than this many words.
LEFTOVER_MIN_WORDS = 3


def _plain(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def english_leftovers(text: str, lang: str, data: object = ()) -> list[str]:
    """Catalog English (phrases of more than three words) found verbatim in ``text``.

    For tests of reports and forms rendered in ``lang``: ``text`` may be HTML or plain
    text (tags are dropped, entities decoded, white space collapsed).  A message with
    placeholders is checked piece by piece between them.  Messages whose translation
    in ``lang`` is the English text itself are not counted.  English gives ``[]``.
    ``data`` (the case's exchange document, or any nested strings) is taken out of the
    text first: a worker's own English ("Director of the Center for Social Work") is data.
    """
    lang = normalise_lang(lang)
    if lang == DEFAULT_LANG:
        return []
    plain = _plain(text)
    for value in sorted({_SPACE.sub(" ", v).strip() for v in _strings(data)} - {""},
                        key=len, reverse=True):
        plain = plain.replace(value, " | ")
    found: list[str] = []
    for msgid in template_messages():
        if gettext(msgid, lang) == msgid:
            if msgid in _entries(lang):
                continue  # translated as itself on purpose
        for piece in _PLACEHOLDER.split(msgid):
            piece = _SPACE.sub(" ", piece).strip(" :;,.")
            if len(piece.split()) > LEFTOVER_MIN_WORDS and piece in plain:
                found.append(msgid)
                break
    return found


ENGLISH_LEFTOVERS_CHECK = english_leftovers


def _segments(html_text: str) -> set[str]:
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html_text, flags=re.S | re.I)
    pieces = (_SPACE.sub(" ", html.unescape(p)).strip() for p in _TAG.split(body))
    return {p for p in pieces if len(p.split()) > LEFTOVER_MIN_WORDS}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def untranslated_fixed_text(english_html: str, other_html: str, data: object = ()) -> list[str]:
    """Text pieces (more than three words) that read the same in an English rendering and
    in one in another language, and that are not case data: fixed text nobody translated,
    whether or not it is in the catalog.

    ``data`` is the case (its exchange document, or any nested strings): a piece that
    is part of one of its strings is data shown as entered and does not count.
    """
    values = sorted({_SPACE.sub(" ", s).strip() for s in _strings(data)} - {""}, key=len,
                    reverse=True)

    def is_data(piece: str) -> bool:
        if any(piece in v for v in values):
            return True
        for v in values:  # data with a little fixed text around it: "2026-10-22 (A1): ..."
            piece = piece.replace(v, " ")
        return len(piece.split()) <= LEFTOVER_MIN_WORDS

    same = _segments(english_html) & _segments(other_html)
    return sorted(p for p in same if not is_data(p))

_ = gettext
