"""``python -m cpkit.serve_launch MODULE ARG...``: ``python -m MODULE ARG...``, forked
from the hub's zygote (:mod:`cpkit.serve_zygote`) named by ``$CPKIT_ZYGOTE`` when it
answers, else run as it says.

The hub's spawner runs each user's server through it, and that server its Voila: a new
Python importing Jupyter's server costs about two seconds of CPU, a fork of the warm
zygote a few tens of milliseconds.  Whoever started the launcher sees a process that
behaves as the module run in it would: its standard streams are the child's (passed
over the socket), SIGTERM, SIGINT and SIGHUP are passed on to the child, and it exits
with the child's exit status (told by the zygote).  The child ends if the launcher is
killed (the zygote's children end with the process that asked for them), and the
launcher ends with its parent unless it leads a session of its own: Voila's launcher
ends with the user's server that started it, even one killed outright, while a server
the hub started as a session of its own outlives a hub restart, as it did before.

Standard library only, and nothing of cpkit imported: the launcher is the part every
server pays for in full.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

ZYGOTE_ENV = "CPKIT_ZYGOTE"  # the hub's zygote's socket
PID_NAME = "zygote.pid"  # beside its socket, while it runs
WARM_WAIT = 120.0  # seconds a launcher waits for a zygote still warming up
PASSED_ON = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _fork_from(path: str, module: str, args: list[str]) -> tuple[socket.socket, int] | None:
    """Ask the zygote at ``path`` for ``module``; its connection and the child's pid."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        request = {"module": module, "argv": args, "env": dict(os.environ),
                   "cwd": os.getcwd(), "wait": True}
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        pid = json.loads(read_line(conn) or b"{}").get("pid")
    except (OSError, ValueError):
        pid = None
    if pid is None:
        conn.close()
        return None
    return conn, pid


def read_line(conn: socket.socket, data: bytes = b"") -> bytes:
    """One JSON line from the zygote's socket (after ``data``, already received), or
    what came before the other end closed."""
    while not data.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _wait(conn: socket.socket, pid: int) -> int:
    """The child's exit status, as the zygote tells it; if the zygote went first,
    wait for the child itself."""
    try:
        answer = json.loads(read_line(conn) or b"{}")
    except (OSError, ValueError):
        answer = {}
    if "exit" in answer:
        code = answer["exit"]
        return code if code >= 0 else 128 - code
    try:
        handle = os.pidfd_open(pid)
    except OSError:
        return 1
    import select

    select.select([handle], [], [])
    return 1


def _end_with_parent() -> None:
    """SIGTERM to this launcher (passed on to the child) when its parent ends, unless
    it leads its own session (started to outlive its parent)."""
    if os.getsid(0) == os.getpid():
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent was gone before we asked
        os.kill(os.getpid(), signal.SIGTERM)


def _pass_on(pid: int) -> None:
    def handler(signum, _frame) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in PASSED_ON:
        signal.signal(signum, handler)


def _warming(path: str) -> bool:
    """Whether the zygote of the socket ``path`` runs but does not listen yet: it listens
    once it has imported what it forks (seconds; more on a busy machine)."""
    try:
        with open(os.path.join(os.path.dirname(path), PID_NAME)) as pid_file:
            os.kill(int(pid_file.read().strip()), 0)
    except (OSError, ValueError):
        return False
    return not os.path.exists(path)


def _wait_for(path: str) -> None:
    """Wait while the zygote warms up (a login right after ``cpkit hub`` started): a
    fork from it soon is cheaper than importing Jupyter's server here now."""
    deadline = time.monotonic() + WARM_WAIT
    while _warming(path) and time.monotonic() < deadline:
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> None:
    module, *args = sys.argv[1:] if argv is None else argv
    path = os.environ.get(ZYGOTE_ENV)
    if path:
        _wait_for(path)
    forked = _fork_from(path, module, args) if path else None
    if forked is None:  # no zygote: run it here, as ``python -m MODULE`` would
        os.execv(sys.executable, [sys.executable, "-m", module, *args])
    conn, pid = forked
    _pass_on(pid)
    _end_with_parent()
    sys.exit(_wait(conn, pid))


if __name__ == "__main__":
    main()
