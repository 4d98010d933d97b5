"""A small pool of warm Jupyter kernels, each wiped clean between two cases.

Starting a kernel and importing pandas, matplotlib and cpkit into it is almost all of the
cost of rendering one report.  :class:`WarmKernel` starts a kernel once, imports the heavy
modules (:data:`PRELOAD`) and then runs one case's notebook after another in it; after
each case :mod:`cpkit.reports.isolation` wipes everything the case left behind and
checks that it is gone.  A kernel whose wipe fails, which died, timed out or has run
:data:`MAX_CASES` cases is shut down and replaced, so a broken kernel never serves a case.

All talk with a kernel goes through that kernel's own thread (jupyter_client's async
sockets belong to the event loop of the thread that made them), so a pool can be used
from any thread: a Dask worker's, a multiprocessing worker's main thread, a test's; with
``size`` kernels, ``size`` threads can render at once.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from cpkit.access.withheld import without_secrets
from cpkit.errors import CpkitError

T = TypeVar("T")

# Imported into every kernel once, before its first case.  Not matplotlib: only the
# whole case file draws a chart, none of the protocol's documents does.
PRELOAD = ("cpkit.reports.notebook", "cpkit.reports.sections", "cpkit.reports.context",
           "cpkit.reports.isolation", "cpkit.reports.runner")
# A kernel is replaced after this many cases (bounds slow growth of a long batch).
MAX_CASES = 400
START_TIMEOUT = 60
KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:", "--HistoryManager.enabled=False"]


def kernel_env() -> dict[str, str]:
    """The kernel's environment: ours without any way to the store or a key."""
    env = without_secrets(dict(os.environ))
    env["MPLBACKEND"] = "Agg"
    env.pop("CPKIT_DEBUG", None)
    return env


def _without_debugger(spec) -> None:
    """Start an ipykernel kernel through :mod:`cpkit.reports.kernel_launcher` (ipykernel
    without debugpy: faster to start); any other kernel as its spec says."""
    from cpkit.reports.kernel_launcher import LAUNCHER

    argv = list(getattr(spec, "argv", None) or [])
    if LAUNCHER in argv and argv[argv.index(LAUNCHER) - 1] == "-m":
        argv[argv.index(LAUNCHER)] = "cpkit.reports.kernel_launcher"
        spec.argv = argv


class KernelError(CpkitError):
    """A pooled kernel could not be started, or could not be wiped clean after a case."""


def _import_jupyter_client() -> None:
    """Import what a kernel's start imports, on the calling thread, before the start
    goes to a thread of its own.  Why: jupyter_client's package and its ``manager``
    import each other; while one thread is inside that cycle, another thread importing
    jupyter_client (nbconvert, papermill and nbclient all do) can be handed the
    half-initialised module and fail (``cannot import name 'AsyncKernelManager'``),
    which left the dashboard's warm kernel unstarted.  The import lock serialises the
    two threads anyway (and the GIL their Python), so nothing is lost doing it here."""
    import jupyter_client.manager  # noqa: F401
    import jupyter_core.utils  # noqa: F401


def _env_key(env: dict[str, str] | None) -> tuple:
    return tuple(sorted((env or {}).items()))


class WarmKernel:
    """One started kernel with its client, the case folder root, and the wipe protocol.

    Use it from its pool's thread only (the pool does that for you).
    """

    def __init__(self, kernel_name: str, env: dict[str, str] | None):
        self.kernel_name = kernel_name
        self.env = dict(env) if env is not None else dict(os.environ)
        self.env.setdefault("MPLBACKEND", "Agg")
        self.cases = 0
        self.language_info: dict | None = None  # the kernel's, once asked (engine)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpkit-kernel")
        self.root = tempfile.mkdtemp(prefix="cpkit-kernel-")
        os.chmod(self.root, 0o700)
        try:
            self.call(self._start)
        except BaseException:
            self.shutdown()
            raise

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on this kernel's own thread and wait for it."""
        return self._thread.submit(fn, *args, **kwargs).result()

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        _without_debugger(self.km.kernel_spec)
        quiet = {} if os.environ.get("CPKIT_DEBUG") else {"stderr": subprocess.DEVNULL}
        run_sync(self.km.start_kernel)(extra_arguments=list(KERNEL_ARGS), env=self.env,
                                       cwd=self.root, **quiet)
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self._wait_for_ready)(START_TIMEOUT)
        imports = "; ".join(f"__import__({m!r})" for m in PRELOAD)
        self._run(f"{imports}; __import__('cpkit.reports.isolation', fromlist=['start'])"
                  f".start({self.root!r})")
        self._verify()

    async def _wait_for_ready(self, timeout: float) -> None:
        """jupyter_client's ``wait_for_ready`` without its last step's idle wait.

        As there: ask for the kernel's info until it answers on the shell channel and an
        IOPub message shows that channel connected (else ask again), checking that the
        kernel is alive.  Then jupyter_client flushes IOPub by reading until no message
        has come for 0.2 s: a fifth of a second of every kernel start spent waiting,
        which ``cpkit render`` and the batch's first case wait for too.  Here what is
        queued is dropped without waiting: nothing this pool reads depends on it (its
        requests read their own shell replies; nbclient, for a notebook run cell by
        cell, reads only IOPub messages answering its own requests).
        """
        from queue import Empty

        deadline = time.monotonic() + timeout
        while True:
            self.kc.kernel_info()
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.kc.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass  # IOPub not connected yet: ask again
                else:
                    break
            if not await self.km.is_alive():
                raise KernelError("the report kernel died while starting")
            if time.monotonic() > deadline:
                raise KernelError(f"the report kernel did not answer in {timeout:.0f} s")
        while await self.kc.iopub_channel.msg_ready():
            await self.kc.iopub_channel.get_msg(timeout=0)

    # -- talking to the kernel -------------------------------------------------------

    def _run(self, code: str, expressions: dict[str, str] | None = None,
             timeout: float = START_TIMEOUT) -> dict:
        """Run ``code`` silently (no history, no counter, no output); the reply content."""
        from jupyter_core.utils import run_sync

        msg_id = self.kc.execute(code, silent=True, store_history=False,
                                 user_expressions=expressions or {}, allow_stdin=False)
        while True:
            reply = run_sync(self.kc.get_shell_msg)(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise KernelError(f"kernel housekeeping failed ({content.get('ename')})")
        return content

    def _verify(self, code: str = "") -> dict:
        """Run ``code`` (the wipe) and the kernel's check in one request; the report."""
        content = self._run(code, {"check": "__import__('cpkit.reports.isolation', "
                                            "fromlist=['check']).check()"})
        result = content["user_expressions"]["check"]
        if result.get("status") != "ok":
            raise KernelError("the kernel could not check its own state")
        report = json.loads(ast.literal_eval(result["data"]["text/plain"]))
        dirty = {k: v for k, v in report["problems"].items() if v}
        if dirty or report["execution_count"] != 1:
            raise KernelError(f"the kernel is not clean after a case: {sorted(dirty)}")
        return report

    def verify(self) -> dict:
        """The kernel's own report on leftovers; :class:`KernelError` unless all clean."""
        return self.call(self._verify)

    def wipe(self) -> dict:
        """Remove what the last case left (see :mod:`cpkit.reports.isolation`) and check."""
        return self.call(self._verify,
                         "__import__('cpkit.reports.isolation', fromlist=['reset']).reset()")

    def namespace(self) -> list[str]:
        """Names in the kernel's user namespace now (the tests look for leftovers)."""
        content = self.call(self._run, "", {"names": "sorted(get_ipython().user_ns)"})
        return ast.literal_eval(content["user_expressions"]["names"]["data"]["text/plain"])

    def _expression(self, expression: str, timeout: float = START_TIMEOUT) -> dict:
        """``expression`` evaluated in the kernel, without a trace in it: the reply's
        user expression (its status, its ``repr``)."""
        content = self.call(self._run, "", {"value": expression}, timeout)
        return content["user_expressions"]["value"]

    @staticmethod
    def _repr(value: dict, failed: str) -> str:
        """The ``repr`` of an evaluated expression; :class:`KernelError` (``failed``)
        when it raised."""
        if value.get("status") != "ok":
            raise KernelError(f"{failed} ({value.get('ename')})")
        return value["data"]["text/plain"]

    def evaluate(self, expression: str) -> str:
        """The ``repr`` of ``expression`` evaluated in the kernel, without a trace in it."""
        return self._repr(self._expression(expression), "could not evaluate in the kernel")

    def run_cases(self, jobs: list[list[str]], timeout: float) -> list[dict]:
        """Run several cases' code cells in one request (:func:`cpkit.reports.runner.run`):
        its results, one per case run; the kernel is wiped after each case."""
        value = self._expression(f"__import__('cpkit.reports.runner', fromlist=['run'])"
                                 f".run({json.dumps(jobs)!r})", timeout)
        self.call(self._drain)
        return json.loads(ast.literal_eval(
            self._repr(value, "the kernel could not run the cases")))

    def _drain(self) -> None:
        """Drop the IOPub messages nobody reads (status, an error's traceback) so that
        they do not pile up in the client's queue."""
        from jupyter_core.utils import run_sync

        while run_sync(self.kc.iopub_channel.msg_ready)():
            run_sync(self.kc.get_iopub_msg)(timeout=0)

    def ask_language_info(self) -> dict:
        """The kernel's ``language_info`` (asked once), as nbclient puts it in a notebook."""
        from jupyter_core.utils import run_sync

        def ask() -> dict:
            msg_id = self.kc.kernel_info()
            while True:
                reply = run_sync(self.kc.get_shell_msg)(timeout=START_TIMEOUT)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"]["language_info"]

        if self.language_info is None:
            self.language_info = self.call(ask)
        return self.language_info

    def _kill(self) -> None:
        """Kill the kernel's process group and wait for the kernel to be gone: a signal
        and a wait, no event loop, so that it serves at exit too (:meth:`_kill_at_exit`).

        jupyter_client's ``shutdown_kernel(now=True)`` kills it too, but then polls
        every 0.1 s whether it is gone, and the first poll, right after the signal,
        always finds it still there: a tenth of a second at the end of every
        ``cpkit render``.  Waited for here (the process is ours), its poll finds the
        kernel gone at once and only tidies up."""
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is None:
            return
        try:  # the kernel runs in a session of its own: its group, as jupyter_client
            os.killpg(provisioner.pgid or process.pid, signal.SIGKILL)
        except OSError:
            with contextlib.suppress(OSError):
                process.kill()
        process.wait(timeout=5)

    def _kill_at_exit(self) -> None:
        """Stop the kernel from this thread when its own can no longer run anything
        (the pool closed by ``atexit``: by then ``concurrent.futures`` refuses new
        work).  Without this the kernel outlived ``cpkit render`` until ipykernel's
        parent poller noticed (up to a second), unreaped, its connection file left.
        The client's channels are closed first: a client dropped with its channels
        open warns, at exit, through logging whose stream may already be closed
        ("--- Logging error ---" in a test run)."""
        self._stop(lambda km: km.cleanup_connection_file())

    def _stop(self, *cleanups: Callable[[object], object]) -> None:
        """The one way a kernel is stopped: its client's channels closed, the kernel
        killed (:meth:`_kill`), then each of ``cleanups`` given the kernel manager;
        every step tried whatever the one before it raised, and the kernel forgotten."""
        if getattr(self, "kc", None) is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        if getattr(self, "km", None) is not None:
            with contextlib.suppress(Exception):
                self._kill()
            for cleanup in cleanups:
                with contextlib.suppress(Exception):
                    cleanup(self.km)
        self.kc = self.km = None

    def shutdown(self) -> None:
        """Stop the kernel and delete its folders (safe to call more than once)."""
        from jupyter_core.utils import run_sync

        def stop() -> None:
            self._stop(lambda km: run_sync(km.shutdown_kernel)(now=True),
                       lambda km: run_sync(km.cleanup_resources)())

        try:
            self.call(stop)
        except RuntimeError:  # interpreter exit: the kernel's thread takes no more work
            self._kill_at_exit()
        self._thread.shutdown(wait=False)
        shutil.rmtree(self.root, ignore_errors=True)


class KernelPool:
    """Up to ``size`` warm kernels per (kernel name, environment), started on first use."""

    def __init__(self, size: int = 1):
        self.size = max(1, size)
        self._idle: dict[tuple, list[WarmKernel]] = {}
        self._count: dict[tuple, int] = {}
        self._lock = threading.Condition()
        self.started = 0  # kernels started over the pool's life (tests, benchmark)
        self.closed = False

    @contextlib.contextmanager
    def kernel(self, kernel_name: str, env: dict[str, str] | None) -> Iterator[WarmKernel]:
        """A clean warm kernel for one case; wiped (or replaced) when the case is done."""
        key = (kernel_name, _env_key(env))
        with self._lock:
            if self.closed:
                raise KernelError("the kernel pool is closed")
            while not self._idle.get(key) and self._count.get(key, 0) >= self.size:
                self._lock.wait()
            kernel = self._idle[key].pop() if self._idle.get(key) else None
            if kernel is None:
                self._count[key] = self._count.get(key, 0) + 1
        if kernel is None:
            try:
                kernel = WarmKernel(kernel_name, env)
            except BaseException:
                self._release(key, None)
                raise
            self.started += 1
        ok = False
        try:
            yield kernel
            ok = True
        finally:
            kernel.cases += 1
            keep = ok and kernel.cases < MAX_CASES
            if keep:
                try:
                    kernel.wipe()
                except Exception:
                    keep = False
            if not keep:
                kernel.shutdown()
            self._release(key, kernel if keep else None)

    def prestart(self, kernel_name: str, env: dict[str, str] | None) -> None:
        """Start a kernel now, in the background, so that it is warm for the first case
        (its start then overlaps whatever the caller does meanwhile)."""
        key = (kernel_name, _env_key(env))
        with self._lock:
            if self.closed or self._count.get(key, 0) >= self.size:
                return
            self._count[key] = self._count.get(key, 0) + 1
        _import_jupyter_client()

        def start() -> None:
            try:
                kernel = WarmKernel(kernel_name, env)
            except Exception:  # the first case will try again and report the failure
                self._release(key, None)
                return
            self.started += 1
            self._release(key, kernel)

        threading.Thread(target=start, name="cpkit-kernel-prestart", daemon=True).start()

    def _release(self, key: tuple, kernel: WarmKernel | None) -> None:
        with self._lock:
            if kernel is not None and not self.closed:
                self._idle.setdefault(key, []).append(kernel)
            else:
                self._count[key] -= 1
            self._lock.notify()
        if kernel is not None and self.closed:
            kernel.shutdown()

    def close(self) -> None:
        """Shut every idle kernel down (kernels in use stop when their case ends)."""
        with self._lock:
            self.closed = True
            idle = [k for kernels in self._idle.values() for k in kernels]
            self._idle.clear()
        for kernel in idle:
            kernel.shutdown()


_default: KernelPool | None = None
_default_lock = threading.Lock()


def default_pool() -> KernelPool:
    """This process's pool (one kernel per environment), closed when the process exits."""
    global _default
    with _default_lock:
        if _default is None or _default.closed:
            _default = KernelPool(size=1)
            atexit.register(_default.close)
        return _default
