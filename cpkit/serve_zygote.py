"""The forms' kernel zygote: one process that has imported what every form's kernel
imports, and forks a new kernel from itself when ``cpkit serve`` asks for one.

A form's kernel spends about 2.4 s of CPU before it can answer a page: Python and
ipykernel starting (0.6 s), then cpkit's forms, ipywidgets, the case model, the
catalogs and the working-day calendar (1.8 s).  Every page view costs one (the pool is
refilled), and the first visitor's next form waits on it while two cores are busy
drawing the last one.  Forked from a process that has done all of it once, a kernel
starts in a few tens of milliseconds and shares those pages of memory with its siblings
(copy-on-write).

Run by :mod:`cpkit.serve_fork` as ``python -m cpkit.serve_zygote SOCKET ROOT``
(``ROOT``: the folder Voila serves): it imports what ``ROOT``'s notebooks import and
warms up, then listens on the Unix socket ``SOCKET`` (in a folder only the user can
enter; peers of another user are refused).  A request is one JSON line
``{"argv": [...], "env": {...}, "cwd": "..."}`` (``argv``: ipykernel's arguments, as
after ``-m ipykernel_launcher``); the answer is ``{"pid": N}`` once the child has made
itself a session leader (so its process group is its own before anyone signals it).
The zygote reaps its children; it exits when the server that started it is gone, and
each kernel exits when the zygote does (ipykernel's parent poller).

What the zygote loads is per process, never per user: no store is opened, no case read
(:func:`cpkit.forms.base.warm_up`); the child opens the user's store itself.  It stays
single-threaded, so forking it is safe.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import random
import signal
import socket
import struct
import sys
from pathlib import Path

ACCEPT_TIMEOUT = 1.0  # seconds between looks at the parent
KERNEL_NAME = "cpkit-kernel"  # a forked kernel's process name (its command line is ours)
# The kernel provisioner that forks from here (cpkit.serve_fork; its entry point's name).
PROVISIONER = "cpkit-fork"


def cpkit_imports(root: Path) -> list[str]:
    """The cpkit modules the notebooks under ``root`` import (our own package only:
    nothing else a notebook names is run here)."""
    found: dict[str, None] = {}
    for notebook in sorted(root.rglob("*.ipynb")):
        try:
            cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            try:
                tree = ast.parse("".join(cell.get("source", "")))
            except SyntaxError:  # IPython syntax: not ours to run here
                continue
            for node in ast.walk(tree):
                names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                         else [a.name for a in node.names] if isinstance(node, ast.Import)
                         else [])
                found.update(dict.fromkeys(n for n in names if n.split(".")[0] == "cpkit"))
    return list(found)


def warm_up(root: Path) -> None:
    """Import and build, once, what every kernel of ``root``'s notebooks needs before
    its first cell: ipykernel and IPython, the notebooks' cpkit modules, and what
    :func:`cpkit.forms.base.warm_up` builds (calendar, catalogs, date formats)."""
    import ipykernel.ipkernel  # noqa: F401  (the kernel, its shell, IPython's completer)
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401

    from cpkit.forms import base

    for module in cpkit_imports(root):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001  (the kernel importing it will say why)
            continue
    base.warm_up()


def _same_user(conn: socket.socket) -> bool:
    """Only the server's own user may ask for a kernel (SO_PEERCRED, Linux)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _read_request(conn: socket.socket) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return json.loads(data)


def _become_kernel(request: dict, ready: int) -> None:
    """In the child: a session of its own, the request's environment and folder, then
    ipykernel's application as ``python -m ipykernel_launcher`` would run it."""
    os.setsid()
    _name_process(KERNEL_NAME)
    os.write(ready, b"1")
    os.close(ready)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses
    random.seed()  # not the zygote's sequence, shared by every sibling
    # The kernel ends with the zygote (ipykernel's parent poller).  ipykernel reads
    # JPY_PARENT_PID when it is imported, here long before this request: say it again.
    sys.argv = ["ipykernel_launcher", *request["argv"],
                f"--IPKernelApp.parent_handle={os.getppid()}"]
    from ipykernel import kernelapp

    app = kernelapp.IPKernelApp.instance()  # as launch_new_instance(), with one step more
    app.initialize()
    _hook_into_the_kernel()
    app.start()


def _hook_into_the_kernel() -> None:
    """What modules do at import when they find a kernel, done now that there is one:
    ipywidgets registers its comm targets (``jupyter.widget``, ``jupyter.widget.control``)
    only if imported inside a kernel, and here it was imported by the zygote.  Without
    them a page's widget manager cannot ask for every widget's state in one request and
    falls back to asking model by model, which left a form "model not found" now and
    then."""
    if "ipywidgets" in sys.modules:
        sys.modules["ipywidgets"].register_comm_target()


def _name_process(name: str) -> None:
    """What ``ps`` and psutil's ``name()`` show for this process (Linux)."""
    try:
        Path("/proc/self/comm").write_text(name)
    except OSError:
        pass


def _fork(request: dict, inherited: list[socket.socket]) -> int:
    """Fork a kernel for ``request``; its pid once it leads its own session.  The
    child closes the zygote's sockets (``inherited``) first."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            for sock in inherited:
                sock.close()
            os.close(ready_r)
            _become_kernel(request, ready_w)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # noqa: BLE001  (the kernel's own log has said why)
            code = 1
        finally:
            os._exit(code)
    os.close(ready_w)
    os.read(ready_r, 1)
    os.close(ready_r)
    return pid


def _reap() -> None:
    """Collect finished kernels, so none stays a zombie."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(path: str, parent: int) -> None:
    """Answer requests on ``path`` until the process ``parent`` is gone."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".new")
    os.chmod(path + ".new", 0o600)
    os.replace(path + ".new", path)  # the socket appears only once the zygote is warm
    listener.listen(16)
    listener.settimeout(ACCEPT_TIMEOUT)
    signal.signal(signal.SIGCHLD, lambda *_: _reap())  # a kernel ended: no zombie
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(None)
            if not _same_user(conn):
                continue
            try:
                pid = _fork(_read_request(conn), [listener, conn])
            except (OSError, ValueError, KeyError) as error:
                conn.sendall(json.dumps({"error": type(error).__name__}).encode() + b"\n")
                continue
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def main(argv: list[str] | None = None) -> None:
    path, root = (sys.argv[1:] if argv is None else argv)[:2]
    parent = os.getppid()
    warm_up(Path(root))
    serve(path, parent)


if __name__ == "__main__":
    main()
