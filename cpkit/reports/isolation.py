"""Kernel side of the warm-kernel engine: wipe one case out of a kernel before the next.

This module runs *inside* a pooled kernel (:mod:`cpkit.reports.pool` calls it with
silent, history-free requests).  A warm kernel only keeps what is expensive and holds no
case: imported code (pandas, matplotlib, cpkit) and caches keyed by language, country or
model class.  Everything a case can leave behind is removed by :func:`reset`:

* the user namespace, ``In``/``Out``, ``_``/``__``/``___``, ``_iN``/``_N`` and the
  execution counter (``InteractiveShell.reset(new_session=True)``);
* the traceback of a failed cell (``sys.last_*``, which keeps the failing frame's
  variables alive) and the cell sources IPython keeps in :mod:`linecache`;
* every ``functools`` cache in a ``cpkit`` module except the ones in :data:`KEPT_CACHES`
  (whose keys are languages, countries, model classes, folders, key files: never a
  case), and cpkit's module-level language override;
* names added to :mod:`builtins`, changes to ``os.environ`` and ``sys.path``;
  matplotlib's ``rcParams`` go back to its rc file's, open pyplot figures are closed;
* the working directory: each case runs in a fresh empty folder (also the
  :mod:`tempfile` folder), deleted with everything in it afterwards.

:func:`check` then reports anything still there; the engine refuses to reuse a kernel
whose check is not clean (it is shut down and replaced).  IPython's history is kept in
memory only (the pool starts kernels with ``HistoryManager.hist_file=:memory:``), so
no cell source reaches a history file either.
"""

from __future__ import annotations

import builtins
import functools
import gc
import json
import linecache
import os
import shutil
import sys
import tempfile

# Caches that may stay warm: keyed by language, country, model class, folder or key file.
KEPT_CACHES = frozenset({
    "cpkit.i18n._entries",
    "cpkit.i18n.template_messages",
    "cpkit.rules.calendar.calendar",
    "cpkit.model._defaults",
    "cpkit.paths._home",
    "cpkit.crypto._key_from_file",
    "cpkit.reports.render.exporter",
    "cpkit.protocol.municipalities._index",  # the country's municipalities, no argument
    "cpkit.access.redact._all_month_words",  # the month names of every language
})

# IPython's own names in every fresh namespace (the builtins module, "__main__").
BASE_NAMES = frozenset({"__builtin__", "__builtins__", "__name__"})

_state: dict = {}


def _shell():
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("cpkit.reports.isolation runs inside an IPython kernel only")
    return shell


def _cpkit_caches():
    """(qualified name, cache) of every functools cache in a loaded cpkit module."""
    found = []
    for name, module in list(sys.modules.items()):
        if not (name == "cpkit" or name.startswith("cpkit.")) or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if isinstance(value, functools._lru_cache_wrapper):
                found.append((f"{name}.{attr}", value))
    return found


def _added_builtins() -> set[str]:
    """Names added to :mod:`builtins` since the kernel started (IPython's exit/quit aside)."""
    trap = set(getattr(_shell().builtin_trap, "auto_builtins", {}))
    return set(vars(builtins)) - _state["builtins"] - trap


def _cell_files() -> list[str]:
    """linecache entries that hold cell sources (ipykernel's compiler file names)."""
    shell = _shell()
    prefix = None
    get_name = getattr(getattr(shell, "compile", None), "get_code_name", None)
    if get_name is not None:
        prefix = os.path.dirname(get_name("", "", 0)) or None
    return [key for key in list(linecache.cache)
            if key.startswith("<ipython-input-") or (prefix and key.startswith(prefix))]


def start(root: str) -> None:
    """Remember the clean state of a just-started kernel and open the first case folder."""
    _state["root"] = root
    _state["environ"] = dict(os.environ)
    _state["path"] = list(sys.path)
    _state["builtins"] = set(vars(builtins))
    reset()
    # What is loaded now stays for the kernel's life: keep it out of the collections that
    # every reset runs (IPython's displayhook flush collects), which then only look at
    # what a case made.
    gc.collect()
    gc.freeze()


def _new_folder() -> str:
    folder = tempfile.mkdtemp(prefix="case-", dir=_state["root"])
    os.chdir(folder)
    tempfile.tempdir = folder
    _state["folder"] = folder
    return folder


def reset() -> None:
    """Remove everything the last case left in this kernel; open a fresh case folder."""
    shell = _shell()
    shell.reset(new_session=True)
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            setattr(sys, name, None)
    for key in _cell_files():
        linecache.cache.pop(key, None)
    for qualname, cache in _cpkit_caches():
        if qualname not in KEPT_CACHES:
            cache.cache_clear()
    i18n = sys.modules.get("cpkit.i18n")
    if i18n is not None and hasattr(i18n, "set_lang"):
        i18n.set_lang(None)
    for name in _added_builtins():
        delattr(builtins, name)
    os.environ.clear()
    os.environ.update(_state["environ"])
    sys.path[:] = _state["path"]
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "matplotlib" in sys.modules:  # loaded by the case file's chart, or preloaded
        sys.modules["matplotlib"].rc_file_defaults()
    os.chdir(_state["root"])
    old = _state.pop("folder", None)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    gc.collect()  # cheap: start() froze the warm-up objects
    _new_folder()


def check() -> str:
    """What is left of earlier cases (JSON); every list empty means the kernel is clean."""
    shell = _shell()
    ns = shell.user_ns
    left = sorted(k for k in ns if k not in shell.user_ns_hidden and k not in BASE_NAMES)
    if ns.get("__builtins__") is not builtins or ns.get("__name__") != "__main__":
        left.append("__builtins__")
    history = [k for k in ("_", "__", "___", "_i", "_ii", "_iii") if ns.get(k)]
    if len(ns.get("_ih", [])) > 1 or ns.get("_oh"):
        history.append("In/Out")
    caches = sorted(q for q, c in _cpkit_caches()
                    if q not in KEPT_CACHES and c.cache_info().currsize)
    folder = _state.get("folder", "")
    problems = {
        "names": left,
        "history": history,
        "caches": caches,
        "builtins": sorted(_added_builtins()),
        "cells": _cell_files(),
        "traceback": [n for n in ("last_value", "last_traceback")
                      if getattr(sys, n, None) is not None],
        "folder": [] if (os.getcwd() == folder and not os.listdir(folder)) else [folder],
        "figures": (sys.modules["matplotlib.pyplot"].get_fignums()
                    if "matplotlib.pyplot" in sys.modules else []),
    }
    return json.dumps({"problems": problems, "execution_count": shell.execution_count})
