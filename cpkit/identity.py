"""Who is acting: the JupyterHub user, else ``CPKIT_USER``, else the OS user."""

from __future__ import annotations

import os


def current_user() -> str:
    name = os.environ.get("JUPYTERHUB_USER") or os.environ.get("CPKIT_USER")
    if name:
        return name
    import getpass  # imported only when needed: a short command pays for every import

    return getpass.getuser()


def origin() -> str:
    """Where an action came from, for the audit trail: the entry point and host."""
    return f"{os.environ.get('CPKIT_ORIGIN', 'cli')}@{host_name()}"


def host_name() -> str:
    """The machine's name, as ``socket.gethostname()`` gives it (on POSIX the same
    ``uname`` node name, without importing ``socket``: a read's audit row needs it, and
    ``cpkit show`` pays for every import)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()
