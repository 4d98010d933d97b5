"""The hub's zygote: one warm process that forks every user's server, their Voila and
their kernels (:mod:`cpkit.serve_zygote` with ``--hub``, asked by
:mod:`cpkit.serve_launch` and :mod:`cpkit.serve_fork`).

Without it a user's first page after logging in waited for two new Pythons importing
Jupyter's server (the hub-authenticated proxy, then Voila) and a third importing the
kernel and cpkit's forms: several seconds of CPU each, twenty users at once on two
cores.  ``cpkit hub`` starts it before the hub, in a session of its own, so it
outlives a hub restart as the users' servers do; a restarted hub finds it by its pid
file.  ``cpkit hub stop`` stops it.  It is started without the store's address or the
key in its environment: each child gets the environment of whoever asked for it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from cpkit import resources
from cpkit.paths import write_private
from cpkit.serve_launch import PID_NAME, read_line
from cpkit.serve_zygote import command

SOCKET_NAME = "zygote.sock"
LOG_NAME = "zygote.log"
# What the zygote keeps of the hub's environment while it warms up (its children get
# their own): never the store's address or the key.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "PYTHONPATH", "CPKIT_HOME",
        "CPKIT_LANG", "CPKIT_COUNTRY", "JUPYTER_PATH")


def socket_path(folder: Path) -> Path:
    """The zygote's socket in the hub's folder (mode 0700: the service account only)."""
    return folder / SOCKET_NAME


def running(folder: Path) -> int | None:
    """The pid of the hub's zygote if it is running."""
    try:
        pid = int((folder / PID_NAME).read_text().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            if b"cpkit.serve_zygote" in cmdline.read():
                return pid
    except (OSError, ValueError):
        pass
    return None


def start(folder: Path) -> int:
    """Start the hub's zygote unless it is running; its pid."""
    pid = running(folder)
    if pid is not None:
        return pid
    with contextlib.suppress(FileNotFoundError):
        socket_path(folder).unlink()  # a dead zygote's: the launchers run alone meanwhile
    env = {k: v for k, v in os.environ.items() if k in KEPT}
    with open(folder / LOG_NAME, "ab") as log:
        process = subprocess.Popen(
            command(socket_path(folder), [resources.FORMS, resources.TRAINING], hub=True),
            env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
    write_private(folder / PID_NAME, f"{process.pid}\n")
    return process.pid


def children(folder: Path) -> dict[int, int]:
    """The zygote's children alive: pid -> the pid of the process that asked for it."""
    import json
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        try:
            conn.settimeout(10)
            conn.connect(str(socket_path(folder)))
            conn.sendall(b'{"children": true}\n')
            answer = json.loads(read_line(conn))
            return {int(k): v for k, v in answer["children"].items()}
        except (OSError, ValueError, KeyError):
            return {}


def tree(folder: Path, pid: int) -> list[int]:
    """Process ``pid`` and every process of it: its children, and what the zygote forked
    for any of them, and theirs (a user's server: launcher, server, Voila's launcher,
    Voila, kernels).  For the operator and the tests: ``ps`` shows forked processes as
    the zygote's children."""
    import psutil

    forked = children(folder)
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        try:
            todo += [c.pid for c in psutil.Process(current).children()]
        except psutil.Error:
            pass
        todo += [child for child, asker in forked.items() if asker == current]
    return found


def stop(folder: Path) -> int | None:
    """Stop the hub's zygote (its kernels end with it); the pid signalled."""
    pid = running(folder)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    return pid
