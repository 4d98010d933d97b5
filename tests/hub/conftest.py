"""A real JupyterHub for the hub tests: ``cpkit hub`` on loopback, its store a fresh
PostgreSQL database on the test server, the fixture cases, cpkit users with hub
logins (NativeAuthenticator)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cpkit.serve import free_port
from tests.conftest import CASE_FILES, FIXTURES, fresh_pg_database

CPKIT = str(Path(sys.executable).parent / "cpkit")
ROOT = Path(__file__).resolve().parents[2]
ADMIN = "hub-admin"
PASSWORD = "Kujdes-per-femijet-7"


@dataclass
class Hub:
    """A running hub: its address, its folder, the environment of its admin's CLI."""

    port: int
    home: Path
    env: dict
    log: Path
    process: subprocess.Popen | None = None
    logins: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def folder(self) -> Path:
        return self.home / "hub"

    def cpkit(self, *args: str, user: str = ADMIN, stdin: str | None = None,
              check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([CPKIT, *args], env={**self.env, "CPKIT_USER": user},
                              input=stdin, capture_output=True, text=True, timeout=180)
        if check:
            assert done.returncode == 0, done.stderr
        return done

    def add_user(self, name: str, *roles: str, agency: str | None = None,
                 display_name: str | None = None, login: bool = True) -> None:
        args = ["user", "add", name, *(x for r in roles for x in ("--role", r))]
        if agency:
            args += ["--agency", agency]
        if display_name:
            args += ["--display-name", display_name]
        self.cpkit(*args)
        if login:
            self.cpkit("hub", "login", name, "--password-stdin", stdin=PASSWORD + "\n")
            self.logins[name] = PASSWORD

    def start(self, timeout: float = 120) -> Hub:
        out = open(self.log, "ab")  # noqa: SIM115 - the hub's whole life
        self.process = subprocess.Popen(
            [CPKIT, "hub", "--port", str(self.port), "--idle-timeout", "600"],
            env={**self.env, "CPKIT_USER": ADMIN}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=self.home)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(self.url + "hub/api/", timeout=5):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise AssertionError("the hub did not answer:\n" + self.log.read_text()[-3000:])

    def stop_hub_only(self) -> None:
        """Stop the hub process (its proxy and the users' servers keep running)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def stop_everything(self) -> None:
        self.cpkit("hub", "stop", check=False)
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module")
def hub_db() -> Iterator[str]:
    """A fresh PostgreSQL database for the module's hub; dropped afterwards."""
    with fresh_pg_database("cpkit_hub") as url:
        yield url


def make_hub(home: Path, store_url: str) -> Hub:
    """A hub (not started) on the fixture cases, with an admin; add users, then start."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("JUPYTERHUB_USER", "CPKIT_USER", "CPKIT_KEY", "CPKIT_KEY_FILE")}
    env.update(CPKIT_HOME=str(home), CPKIT_DB=store_url, PYTHONPATH=str(ROOT))
    port = free_port()
    while any(_taken(p) for p in (port + 1, port + 2)):
        port = free_port()
    hub = Hub(port=port, home=home, env=env, log=home / "hub.log")
    hub.cpkit("init")
    hub.cpkit("import", *(str(FIXTURES / n) for n in CASE_FILES))
    hub.add_user(ADMIN, "admin", login=False)
    return hub


def _taken(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False
