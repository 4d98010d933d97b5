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
each kernel exits when the zygote does (ipykernel's parent poller) or the process that
asked for it (the server's Voila).

The hub's zygote (``--hub``, started by ``cpkit hub``, :mod:`cpkit.hub.zygote`) serves
every user of a hub: it has also imported Voila and the users' server
(:mod:`cpkit.hub.singleuser`), and forks those too when :mod:`cpkit.serve_launch` asks
(a request naming a ``module``, run as ``python -m MODULE`` would be, with the
launcher's standard streams passed along; the zygote tells the launcher the child's
exit status).  Each user's server then starts in a fraction of a second instead of two
Pythons importing Jupyter's server again.  It outlives the hub (as the users' servers
do) until ``cpkit hub stop``.  ``{"children": true}`` asks which process asked for
each child alive (``ps`` shows them all as the zygote's children).

What the zygote loads is per process, never per user: no store is opened, no case read
(:func:`cpkit.forms.base.warm_up`); the child opens the user's store itself.  It stays
single-threaded, so forking it is safe.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import os
import random
import runpy
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from pathlib import Path

from cpkit.serve_launch import read_line

ACCEPT_TIMEOUT = 1.0  # seconds between looks at the parent
KERNEL_NAME = "cpkit-kernel"  # a forked kernel's process name (its command line is ours)
REQUEST_TIMEOUT = 10.0  # seconds a peer has to send its request
STREAMS = 3  # a launcher passes its stdin, stdout and stderr
END_GRACE = 10.0  # seconds a child whose watched process ended has to stop before it is killed
# What the hub's zygote also imports: each user's server (the hub-authenticated proxy)
# and their Voila, with what Voila loads for its first page.
SERVER_MODULES = ("jupyter_server_proxy.standalone.app", "voila.app", "voila.handler",
                  "voila.notebook_renderer", "voila.voila_kernel_manager",
                  "voila.exporter", "cpkit.serve", "cpkit.serve_kernels", "cpkit.serve_fork")
# (not cpkit.hub.singleuser itself: a module run as ``-m`` must not be imported already)
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


def warm_up(roots: list[Path], servers: bool = False) -> None:
    """Import and build, once, what every kernel of the ``roots``' notebooks needs
    before its first cell: ipykernel and IPython, the notebooks' cpkit modules, and
    what :func:`cpkit.forms.base.warm_up` builds (calendar, catalogs, date formats);
    with ``servers``, also the users' servers and Voila (:data:`SERVER_MODULES`)."""
    import ipykernel.ipkernel  # noqa: F401  (the kernel, its shell, IPython's completer)
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401

    from cpkit.forms import base

    modules = [m for root in roots for m in cpkit_imports(root)]
    for module in dict.fromkeys([*modules, *(SERVER_MODULES if servers else ())]):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001  (the kernel importing it will say why)
            continue
    base.warm_up()


def _peer(conn: socket.socket) -> tuple[int, int]:
    """The pid and uid of the process at the other end (SO_PEERCRED, Linux)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    return pid, uid


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """The request and the file descriptors sent with it (a launcher's streams)."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, STREAMS)
    return json.loads(read_line(conn, data)), fds


def _end_with(pid: int) -> None:
    """End this process (SIGTERM, then for good after :data:`END_GRACE`) when process
    ``pid`` ends: a kernel with the server that asked for it, a server with its
    launcher, as if each were still the other's child."""
    try:
        handle = os.pidfd_open(pid)
    except OSError:  # already gone
        os._exit(1)

    def watch() -> None:
        select.select([handle], [], [])
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(END_GRACE)
        os._exit(1)

    threading.Thread(target=watch, name="cpkit-end-with", daemon=True).start()


def _become(request: dict, fds: list[int], watch: int, ready: int) -> None:
    """In the child: a session of its own, the request's streams, environment and
    folder, then what it asked to run."""
    os.setsid()
    module = request.get("module")
    _name_process(KERNEL_NAME if module is None else _short_name(module))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.write(ready, b"1")
    os.close(ready)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the child's own subprocesses
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    random.seed()  # not the zygote's sequence, shared by every sibling
    _end_with(watch)
    if module is None:
        _become_kernel(request)
    else:
        _run_module(module, request)


def _run_module(module: str, request: dict) -> None:
    """Run ``module`` as ``python -m MODULE ARGV`` started in the request's folder and
    environment would: its folder and ``PYTHONPATH`` first on the module path."""
    added = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:0] = [request["cwd"], *(p for p in added if p not in sys.path)]
    sys.argv = [module, *request["argv"]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def _become_kernel(request: dict) -> None:
    """ipykernel's application as ``python -m ipykernel_launcher`` would run it."""
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


def _short_name(module: str) -> str:
    """What ``ps`` calls a forked module: ``cpkit-voila``, ``singleuser``."""
    name = module.rsplit(".", 1)[-1]
    return f"cpkit-{name}" if len(name) <= 9 else name[:15]


def _name_process(name: str) -> None:
    """What ``ps`` and psutil's ``name()`` show for this process (Linux)."""
    try:
        Path("/proc/self/comm").write_text(name)
    except OSError:
        pass


def _fork(request: dict, fds: list[int], watch: int, inherited: list[socket.socket]) -> int:
    """Fork a child for ``request``; its pid once it leads its own session.  The
    child closes the zygote's sockets (``inherited``) first and ends with ``watch``."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            for sock in inherited:
                sock.close()
            os.close(ready_r)
            _become(request, fds, watch, ready_w)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:  # noqa: BLE001
            # A server's crash to its launcher's stderr, a kernel's to the zygote's log:
            # a kernel that fails before its log is set up (a port it could not bind)
            # would otherwise end without a word.
            traceback.print_exc()
            code = 1
        finally:
            for stream in (sys.stdout, sys.stderr):  # as a normal exit would
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)
    os.close(ready_w)
    for fd in fds:
        os.close(fd)
    os.read(ready_r, 1)
    os.close(ready_r)
    return pid


# Launchers waiting for their child's exit status: pid -> connection.
_waiting: dict[int, socket.socket] = {}
# Children alive: pid -> the pid of the process that asked for it (which it ends with).
_asked_by: dict[int, int] = {}


def _reap() -> None:
    """Collect finished children, so none stays a zombie; tell a waiting launcher."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _asked_by.pop(pid, None)
        conn = _waiting.pop(pid, None)
        if conn is not None:
            with conn:
                _answer(conn, {"exit": os.waitstatus_to_exitcode(status)})


def _answer(conn: socket.socket, message: dict) -> None:
    try:
        conn.sendall(json.dumps(message).encode() + b"\n")
    except OSError:  # the launcher is gone
        pass


def _serve_one(conn: socket.socket, listener: socket.socket) -> None:
    """Answer one request on ``conn``; a launcher's connection is kept for the exit."""
    peer, uid = _peer(conn)
    if uid != os.getuid():  # only the server's own user may ask
        conn.close()
        return
    # A child that ends at once is reaped only once its launcher's connection is filed.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    fds: list[int] = []
    try:
        request, fds = _read_request(conn)
        if request.get("children"):  # who asked for which child (cpkit.hub.zygote.tree)
            _answer(conn, {"children": _asked_by})
            conn.close()
            return
        pid = _fork(request, fds, peer, [listener, conn, *_waiting.values()])
        _asked_by[pid] = peer
    except (OSError, ValueError, KeyError) as error:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        _answer(conn, {"error": type(error).__name__})
        conn.close()
        return
    else:
        _answer(conn, {"pid": pid})
        if request.get("wait"):
            _waiting[pid] = conn
        else:
            conn.close()
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})


def serve(path: str, parent: int | None) -> None:
    """Answer requests on ``path`` until the process ``parent`` is gone (for ever when
    ``parent`` is None: the hub's zygote, stopped by a signal)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path + ".new"):
        os.unlink(path + ".new")
    listener.bind(path + ".new")
    os.chmod(path + ".new", 0o600)
    os.replace(path + ".new", path)  # the socket appears only once the zygote is warm
    listener.listen(64)
    listener.settimeout(ACCEPT_TIMEOUT)
    signal.signal(signal.SIGCHLD, lambda *_: _reap())  # a child ended: no zombie
    while parent is None or os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        conn.settimeout(REQUEST_TIMEOUT)
        _serve_one(conn, listener)


def command(path: Path, roots: list[Path], *, hub: bool = False) -> list[str]:
    """The command that starts a zygote on socket ``path`` for the notebooks under
    ``roots`` (``hub``: also the users' servers, and outliving whoever started it)."""
    return [sys.executable, "-m", "cpkit.serve_zygote", str(path), *map(str, roots),
            *(["--hub"] if hub else [])]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    hub = "--hub" in args
    path, *roots = [a for a in args if a != "--hub"]
    parent = None if hub else os.getppid()
    warm_up([Path(r) for r in roots], servers=hub)
    serve(path, parent)


if __name__ == "__main__":
    main()
