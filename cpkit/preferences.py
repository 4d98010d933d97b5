"""Each user's own settings, kept private in the data folder: for now, the language.

The language is chosen per user ("the language is chosen per user: a setting in the
forms"): a form opened by that user starts in it, whichever kernel serves the page.
"""

from __future__ import annotations

import json

from cpkit import identity, paths
from cpkit.access.served import served
from cpkit.i18n import normalise_lang


def _file():
    return paths.home() / "preferences.json"


def _read() -> dict:
    try:
        return json.loads(_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _kernel_guard():
    """In a form's kernel (no data folder), the guard its server serves."""
    from cpkit.access.remote import kernel_guard

    return kernel_guard()


def language(user: str | None = None) -> str | None:
    """The language ``user`` (default: the current user) chose, if any."""
    guard = _kernel_guard()
    if guard is not None:
        return language_of(guard)
    chosen = _read().get(user or identity.current_user(), {}).get("lang")
    try:
        return normalise_lang(chosen) if chosen else None
    except ValueError:
        return None


def set_language(lang: str, user: str | None = None) -> str:
    """Remember ``lang`` for ``user``; refuses a language cpkit does not have."""
    lang = normalise_lang(lang)
    guard = _kernel_guard()
    if guard is not None:
        return choose_language(guard, lang)
    settings = _read()
    settings.setdefault(user or identity.current_user(), {})["lang"] = lang
    paths.write_private(_file(), json.dumps(settings, ensure_ascii=False, indent=1))
    return lang


@served
def language_of(guard) -> str | None:
    """The guard's user's language (by the host, for a form's kernel)."""
    return language(guard.user)


@served
def choose_language(guard, lang: str) -> str:
    """Remember the guard's user's language (by the host, for a form's kernel)."""
    return set_language(lang, guard.user)
