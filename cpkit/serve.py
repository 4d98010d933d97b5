"""Serving the assessor forms with Voila: ``cpkit serve``, the e2e tests, the benchmark.

Voila serves the package's ``forms/`` folder (:mod:`cpkit.resources`) (the landing page is
``/voila/render/index.ipynb``) on 127.0.0.1 only, with preheated kernels: each form's
notebook is executed up to ``wait_for_request()`` before anyone asks for it, so a page
opens without waiting for a kernel to start and cpkit to import.  A supervisor
dashboard notebook placed in ``forms/`` (``dashboard.ipynb``) is served the same way
and linked from the landing page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from cpkit import resources
from cpkit.errors import BadInput, CpkitError

FORMS_DIR = resources.FORMS
# The trainer kit's notebooks: a worked case each, the group session, the answer key.
TRAINING_DIR = resources.TRAINING
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def voila_command(root: Path, port: int, *, preheat: bool = True, pool_size: int = 1) -> list[str]:
    """The Voila command line: loopback only, no port hunting, no browser, light theme."""
    command = [sys.executable, "-m", "voila", str(root), f"--port={port}",
               f"--Voila.ip={HOST}", "--Voila.port_retries=0", "--no-browser",
               "--theme=light", "--VoilaConfiguration.show_tracebacks=False",
               *page_template_args()]
    if preheat:
        command += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return command


def page_template_args() -> list[str]:
    """cpkit's Voila template: the page's language, tab title and loading message
    (:mod:`cpkit.forms.page`); found through ``JUPYTER_PATH`` (:func:`voila_env`)."""
    return ["--VoilaConfiguration.template=cpkit",
            "--VoilaExporter.filters=cpkit_page_script=cpkit.forms.page.page_script"]


def voila_env(env: dict) -> dict:
    """``env`` with cpkit's Voila template on ``JUPYTER_PATH`` (first, so it wins)."""
    from cpkit.forms.page import TEMPLATE_ROOT

    paths = [str(TEMPLATE_ROOT), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {**env, "JUPYTER_PATH": os.pathsep.join(dict.fromkeys(paths))}


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}/"


def page_url(port: int, notebook: str = "index", query: str = "") -> str:
    return f"{base_url(port)}voila/render/{notebook}.ipynb" + (f"?{query}" if query else "")


class Server:
    """A Voila server in a subprocess (it inherits the environment, so ``CPKIT_HOME``).

    Use as a context manager; :meth:`start` returns once the server answers.
    """

    def __init__(self, root: Path | None = None, port: int | None = None, *,
                 preheat: bool = True, pool_size: int = 1, env: dict | None = None,
                 log: Path | None = None):
        self.root = Path(root or FORMS_DIR).resolve()  # Voila runs from inside it
        if not (self.root / "index.ipynb").exists():
            raise BadInput(f"{self.root}: no forms to serve (index.ipynb is missing)")
        self.port = port or free_port()
        self.preheat, self.pool_size = preheat and pool_size > 0, pool_size
        self.env = voila_env({**os.environ, "CPKIT_ORIGIN": "forms", **(env or {})})
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return page_url(self.port)

    def start(self, timeout: float = 90) -> Server:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            voila_command(self.root, self.port, preheat=self.preheat, pool_size=self.pool_size),
            cwd=self.root, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CpkitError(f"Voila stopped at start (exit {self.process.returncode}); "
                                 f"is port {self.port} in use?")
            try:
                with urllib.request.urlopen(base_url(self.port), timeout=5):
                    pass
            except urllib.error.HTTPError:
                return self  # it answers (any status)
            except OSError:
                time.sleep(0.25)
                continue
            return self
        self.stop()
        raise CpkitError(f"Voila did not answer on port {self.port} within {timeout:.0f} s")

    def wait_warm(self, timeout: float = 120) -> bool:
        """Wait until every notebook's kernel pool is filled (needs ``log``); True if so."""
        if not (self.preheat and self.log):
            return False
        expected = len([p for p in self.root.rglob("*.ipynb")
                        if ".ipynb_checkpoints" not in p.parts])
        return self.wait_for_log("Kernel pool of", expected, timeout)

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 120) -> bool:
        """Wait until Voila's log (needs ``log``) says ``text`` ``count`` times."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if Path(self.log).read_text(errors="replace").count(text) >= count:
                return True
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

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
