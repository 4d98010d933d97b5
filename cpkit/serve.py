"""Serving the assessor forms with Voila: ``cpkit serve``, the e2e tests, the benchmark.

Voila serves the package's ``forms/`` folder (:mod:`cpkit.resources`) (the landing page is
``/voila/render/index.ipynb``) on 127.0.0.1 only, with preheated kernels: each form's
notebook is executed up to ``wait_for_request()`` before anyone asks for it, so a page
opens without waiting for a kernel to start and cpkit to import.  A supervisor
dashboard notebook placed in ``forms/`` (``dashboard.ipynb``) is served the same way
and linked from the landing page.

Every server has Jupyter's token (a new random one per start unless given): the address
printed carries it (``?token=``, then a cookie), a request without it is refused.  The
token reaches Voila in a private config file, never on the command line (``ps`` shows
that to every local user) nor in the kernels' environment.  Kernels
(:mod:`cpkit.serve_kernels`): at most ``max_kernels`` serving pages; a kernel whose page
was closed or left is culled once idle for ``CULL_IDLE`` seconds (checked every
``CULL_INTERVAL``), so within a minute (one no browser has connected to yet, its page
perhaps still loading, after ``UNCONNECTED_GRACE``, within the minute too); the landing
page is preheated first and the address printed only once it can answer; the case's
forms preheat after it, one at a time, and any other notebook gets a pool once opened.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from cpkit import resources
from cpkit.errors import BadInput, CpkitError
from cpkit.paths import write_private
from cpkit.serve_zygote import PROVISIONER  # the kernels: forked (cpkit.serve_fork)

FORMS_DIR = resources.FORMS
# The trainer kit's notebooks: a worked case each, the group session, the answer key.
TRAINING_DIR = resources.TRAINING
HOST = "127.0.0.1"
CULL_IDLE = 30  # seconds a kernel without a page (no connection) may stay idle
CULL_INTERVAL = 10  # how often idle kernels are looked for
UNCONNECTED_GRACE = 50  # seconds idle before culling a kernel no page has connected to yet
MAX_KERNELS = 8  # kernels serving pages at once, per server (that is, per user)
READY = "cpkit: the landing page is ready"  # logged by the kernel manager
# The case's forms (cpkit.forms.base.FORMS, not imported here: Voila's server process
# keeps out of widgets), preheated after the landing page in this order.
CASE_FORMS = ("referral", "risk", "wellbeing", "care_plan", "cmr", "closure")


def _taken(port: int) -> bool:
    """Is ``port`` on the loopback interface in use by someone now?"""
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def kernel_config(*, max_kernels: int = MAX_KERNELS,
                  unconnected_grace: float = UNCONNECTED_GRACE) -> dict:
    """cpkit's kernel manager (:mod:`cpkit.serve_kernels`) and culling: every server's,
    ``cpkit serve``'s and each hub user's."""
    return {
        "VoilaConfiguration": {
            "multi_kernel_manager_class": "cpkit.serve_kernels.CpkitKernelManager"},
        "CpkitKernelManager": {"max_kernels": max_kernels,
                               "unconnected_grace": unconnected_grace},
        "MappingKernelManager": {"cull_idle_timeout": CULL_IDLE,
                                 "cull_interval": CULL_INTERVAL, "cull_connected": False,
                                 "cull_busy": False},
    }


def voila_config(token: str, *, max_kernels: int = MAX_KERNELS) -> dict:
    """Voila's configuration: the token, cpkit's kernel manager, culling."""
    return {"Voila": {"token": token}, **kernel_config(max_kernels=max_kernels)}


def config_args(config: dict) -> list[str]:
    """``config`` (sections of plain values) as Voila's command-line options."""
    return [f"--{section}.{key}={value}" for section, values in config.items()
            for key, value in values.items()]


# Seconds Voila waits, after a cell's reply, for the rest of its output.  nbclient's 4 s
# default lost a form's own display (after its hundreds of widget messages) on a busy
# machine: "Timeout waiting for IOPub output" in the log, and a page that never showed
# its form.
IOPUB_TIMEOUT = 120


def voila_command(root: Path, port: int, *, preheat: bool = True, pool_size: int = 1,
                  config_dir: Path | None = None) -> list[str]:
    """The Voila command line: loopback only, no port hunting, no browser, light theme;
    ``config_dir`` holds ``voila.json`` (:func:`voila_config`)."""
    command = [sys.executable, "-m", "voila", str(root), f"--port={port}",
               f"--Voila.ip={HOST}", "--Voila.port_retries=0", "--no-browser",
               "--theme=light", "--VoilaConfiguration.show_tracebacks=False",
               f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}", *page_template_args(),
               f"--KernelProvisionerFactory.default_provisioner_name={PROVISIONER}"]
    if preheat:
        command += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    if config_dir is not None:
        command.append(f"--Voila.config_file_paths={config_dir}")
    return command


def page_template_args() -> list[str]:
    """cpkit's Voila template: the page's language, tab title and loading message, the
    forms' stylesheet and first paint (:mod:`cpkit.forms.page`); found through
    ``JUPYTER_PATH`` (:func:`voila_env`)."""
    return ["--VoilaConfiguration.template=cpkit",
            "--VoilaExporter.filters=cpkit_page_script=cpkit.forms.page.page_script",
            "--VoilaExporter.filters=cpkit_page_style=cpkit.forms.page.page_style"]


def voila_env(env: dict) -> dict:
    """``env`` with cpkit's Voila template on ``JUPYTER_PATH`` (first, so it wins)."""
    from cpkit.forms.page import TEMPLATE_ROOT

    paths = [str(TEMPLATE_ROOT), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {**env, "JUPYTER_PATH": os.pathsep.join(dict.fromkeys(paths))}


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}/"


def page_url(port: int, notebook: str = "index", query: str = "", token: str = "") -> str:
    """A form's address (with the server's token, when given)."""
    query = "&".join(q for q in (query, f"token={token}" if token else "") if q)
    return f"{base_url(port)}voila/render/{notebook}.ipynb" + (f"?{query}" if query else "")


class Server:
    """A Voila server in a subprocess (it inherits the environment, so ``CPKIT_HOME``).

    Use as a context manager; :meth:`start` returns once the server answers.
    """

    def __init__(self, root: Path | None = None, port: int | None = None, *,
                 preheat: bool = True, pool_size: int = 1, env: dict | None = None,
                 log: Path | None = None, token: str | None = None,
                 max_kernels: int = MAX_KERNELS):
        self.root = Path(root or FORMS_DIR).resolve()  # Voila runs from inside it
        if not (self.root / "index.ipynb").exists():
            raise BadInput(f"{self.root}: no forms to serve (index.ipynb is missing)")
        self.port = port or free_port()
        self._own_port = port is None  # chosen here: another may be chosen if taken
        self.preheat, self.pool_size = preheat and pool_size > 0, pool_size
        self.env = voila_env({**os.environ, "CPKIT_ORIGIN": "forms", **(env or {})})
        for name in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE", "CPKIT_SERVE_TOKEN"):
            self.env.pop(name, None)  # the token goes in the private config only
        self.token = token or os.environ.get("CPKIT_SERVE_TOKEN") or secrets.token_urlsafe(32)
        self.max_kernels = max_kernels
        self.log = log
        self.process: subprocess.Popen | None = None
        self._private: Path | None = None

    @property
    def url(self) -> str:
        """The landing page's address, token included."""
        return page_url(self.port, token=self.token)

    def page(self, notebook: str = "index", query: str = "") -> str:
        """A form's address on this server, token included."""
        return page_url(self.port, notebook, query, self.token)

    def _write_config(self) -> Path:
        """A private folder (0700) with Voila's config (0600) and, without ``log``, its
        log (read for readiness)."""
        self._private = Path(tempfile.mkdtemp(prefix="cpkit-serve-"))
        config = self._private / "voila.json"
        write_private(config, json.dumps(voila_config(self.token,
                                                      max_kernels=self.max_kernels)))
        if self.log is None:
            self.log = self._private / "voila.log"
        return self._private

    def start(self, timeout: float = 180, *, ready: bool = True) -> Server:
        """Start Voila; return once it answers and, with ``ready`` (and preheating), once
        the landing page's preheated kernel waits for its first visitor."""
        deadline = time.monotonic() + timeout
        for attempt in range(3):
            self._launch()
            try:
                self._answers(deadline)
                break
            except CpkitError:
                # a free port chosen here may be taken by another program before Voila
                # binds it (tests and benchmarks start servers side by side): another one
                if attempt == 2 or not (self._own_port and self.process.poll() is not None
                                        and _taken(self.port)):
                    raise
                self.port = free_port()
        if ready and self.preheat:
            if not self.wait_for_log(READY, timeout=max(1, deadline - time.monotonic())):
                self.stop()
                raise CpkitError(f"the landing page was not ready within {timeout:.0f} s")
        return self

    def _launch(self) -> None:
        config_dir = self._private or self._write_config()
        with open(self.log, "ab") as out:  # Voila keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                voila_command(self.root, self.port, preheat=self.preheat,
                              pool_size=self.pool_size, config_dir=config_dir),
                cwd=self.root, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def _answers(self, deadline: float) -> None:
        """Wait until Voila answers on its port (any status)."""
        timeout = deadline - time.monotonic()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CpkitError(f"Voila stopped at start (exit {self.process.returncode}); "
                                 f"is port {self.port} in use?")
            try:
                with urllib.request.urlopen(base_url(self.port), timeout=5):
                    pass
            except urllib.error.HTTPError:
                return  # it answers (any status)
            except OSError:
                time.sleep(0.25)
                continue
            return
        self.stop()
        raise CpkitError(f"Voila did not answer on port {self.port} within {timeout:.0f} s")

    def wait_warm(self, timeout: float = 120) -> bool:
        """Wait until the kernel pools filled at start (the landing page's and the case's
        forms', :data:`CASE_FORMS`) are (needs ``log``); True if so."""
        if not (self.preheat and self.log):
            return False
        expected = sum((self.root / f"{name}.ipynb").exists()
                       for name in ("index", *CASE_FORMS))
        return self.wait_for_log("Kernel pool of", expected, timeout)

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 120) -> bool:
        """Wait until Voila's log (needs ``log``) says ``text`` ``count`` times."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if Path(self.log).read_text(errors="replace").count(text) >= count:
                return True
            if self.process is not None and self.process.poll() is not None:
                return False  # Voila stopped
            time.sleep(0.2)
        return False

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None

    def kernels(self) -> list:
        """The kernel processes this server runs (``psutil.Process`` each)."""
        from cpkit.serve_fork import is_kernel

        return [p for p in self._processes()[1:] if is_kernel(p)]

    def memory(self) -> int:
        """Resident memory of the server and all its kernels, in bytes."""
        total = 0
        for process in self._processes():
            try:
                total += process.memory_info().rss
            except Exception:  # noqa: BLE001  (a kernel that just ended)
                continue
        return total

    def _processes(self) -> list:
        import psutil

        if self.process is None or self.process.poll() is not None:
            return []
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
