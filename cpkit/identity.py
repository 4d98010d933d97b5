"""Who is acting: the JupyterHub user, else ``CPKIT_USER``, else the OS user."""

from __future__ import annotations

import getpass
import os
import socket


def current_user() -> str:
    return (os.environ.get("JUPYTERHUB_USER") or os.environ.get("CPKIT_USER")
            or getpass.getuser())


def origin() -> str:
    """Where an action came from, for the audit trail: the entry point and host."""
    return f"{os.environ.get('CPKIT_ORIGIN', 'cli')}@{socket.gethostname()}"
