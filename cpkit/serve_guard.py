"""The guard a server gives its form kernels (:mod:`cpkit.access.remote`), and what a
form's kernel is started with: no store address, no key, no data folder.

One :class:`~cpkit.access.remote.GuardServer` per server process (``cpkit serve``, or a
hub user's Voila), for the user the server runs as, on a socket in a private folder;
each kernel gets the socket's path and the token, in place of ``CPKIT_DB``,
``CPKIT_KEY``, ``CPKIT_KEY_FILE`` and ``CPKIT_HOME``.
"""

from __future__ import annotations

import atexit
import tempfile
from pathlib import Path

from cpkit.access.remote import GuardServer

_server: GuardServer | None = None


def _open_guard():
    from cpkit import identity
    from cpkit.access import open_guarded_store
    from cpkit.paths import database_url

    return open_guarded_store(database_url(), identity.current_user(), announce=False)


def guard_server() -> GuardServer:
    """This process's guard server, started on first use."""
    global _server
    if _server is None:
        folder = Path(tempfile.mkdtemp(prefix="cpkit-guard-"))  # 0700
        _server = GuardServer(folder / "guard.sock", _open_guard).start()
        atexit.register(_server.stop)
    return _server


def form_kernel_env(env: dict[str, str]) -> dict[str, str]:
    """``env`` as a form's kernel gets it: without the way to the store or the key (as
    a report's kernel, :data:`cpkit.access.withheld.KERNEL_WITHHELD`), with the guard's
    socket and token instead."""
    from cpkit.access.withheld import without_secrets

    return {**without_secrets(env), **guard_server().env()}
