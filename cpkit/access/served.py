"""Access functions a form's kernel asks the host to run (:mod:`cpkit.access.remote`).

Why a module of its own: the functions marked here (voiding, intake, ...) work on the
store behind a guard, which a kernel does not have; the mark must cost nothing to the
short commands that import them (no socket, pickle or thread here).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

_SERVED: dict[str, Callable] = {}
# The modules whose marked functions a kernel may ask for (imported on first use).
SERVED_MODULES = ("cpkit.access.intake", "cpkit.access.users", "cpkit.access.voiding",
                  "cpkit.dashboard.host", "cpkit.forms.agency", "cpkit.forms.documents",
                  "cpkit.forms.drafts", "cpkit.forms.inbox", "cpkit.preferences",
                  "cpkit.training.session")


def served(function: Callable) -> Callable:
    """Mark ``function(guard, ...)`` as one the host runs when a kernel calls it with
    its remote guard (which has ``call_served``); called with a guard, it just runs."""
    name = f"{function.__module__}.{function.__qualname__}"
    _SERVED[name] = function

    @functools.wraps(function)
    def call(guard, *args, **kwargs):
        remote = getattr(type(guard), "call_served", None)
        if remote is not None:
            return remote(guard, name, args, kwargs)
        return function(guard, *args, **kwargs)

    return call


def served_function(name: str) -> Callable | None:
    """The marked function called ``name``, if a kernel may ask for it."""
    module = name.rsplit(".", 1)[0]
    if module not in SERVED_MODULES:
        return None
    importlib.import_module(module)
    return _SERVED.get(name)
