"""The page's query string (``?case=PR-2026-0001``), as Voila gives it to the kernel.

Voila sets ``QUERY_STRING`` in the kernel's environment.  With preheated kernels the
notebook must first call :func:`wait_for_request` (the thin notebooks in ``forms/`` do),
which blocks until a browser asks for the page and then sets it.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

PREHEAT = "VOILA_PREHEAT"  # "True" in a kernel Voila preheats for its pool


def wait_for_request() -> None:
    """Voila's ``wait_for_request()``, in a preheated kernel only.  Importing Voila's
    own pulls in the whole Voila server (0.7 s of CPU): a kernel started for a page
    already has its query string, and outside Voila there is none to wait for."""
    if os.environ.get(PREHEAT) != "True":
        return
    from voila.utils import wait_for_request as wait

    wait()


def query_params(query: str | None = None) -> dict[str, str]:
    """The first value of each parameter of ``query`` (default: ``QUERY_STRING``)."""
    raw = os.environ.get("QUERY_STRING", "") if query is None else query
    return {key: values[0].strip() for key, values in parse_qs(raw).items() if values}


def apply_language(params: dict[str, str], user: str | None = None) -> str:
    """Switch this kernel to the page's ``?lang=`` or the user's chosen language.

    Called before a form builds its widgets (their text is fixed when built).
    """
    from cpkit import preferences
    from cpkit.i18n import current_lang, set_lang

    for lang in (params.get("lang"), preferences.language(user)):
        if lang:
            try:
                return set_lang(lang)
            except ValueError:
                continue
    return current_lang()
