"""A Voila server for browser tests: ``cpkit serve``'s server on a free loopback port,
with ``CPKIT_HOME`` in a temporary folder seeded with the fixture cases.

One server per test module (``voila_server``), one headless Debian chromium per module
(``browser``), a fresh page per test (``page``).  Other areas' browser tests may reuse
these fixtures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cpkit.serve import TRAINING_DIR, Server
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEED = ["case_high_physical.json", "case_medium_neglect.json", "case_minimal.json",
        "case_closed.json", "case_unaccompanied.json", "case_unknown_keys.json"]


@dataclass
class VoilaServer:
    server: Server
    home: Path
    env: dict

    def url(self, notebook: str = "index", query: str = "") -> str:
        return self.server.page(notebook, query)

    def cpkit(self, *args: str) -> subprocess.CompletedProcess:
        """Run the ``cpkit`` command against the server's store."""
        return subprocess.run([str(Path(sys.executable).parent / "cpkit"), *args], env=self.env,
                              capture_output=True, text=True, timeout=120)


@pytest.fixture
def served_store(voila_server, monkeypatch):
    """The server's store, read with the server's identity key (its CPKIT_HOME)."""
    from cpkit.store import Store

    monkeypatch.setenv("CPKIT_HOME", str(voila_server.home))
    store = Store(f"sqlite:///{voila_server.home / 'cases.db'}")
    yield store
    store.close()


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory) -> Iterator[VoilaServer]:
    home = tmp_path_factory.mktemp("e2e-home")
    env = {k: v for k, v in os.environ.items() if k not in ("CPKIT_DB", "JUPYTERHUB_USER")}
    env.update(CPKIT_HOME=str(home), CPKIT_USER="e2e-assessor")
    server = VoilaServer(Server(env=env, log=home / "voila.log"), home, env)
    seeded = server.cpkit("import", *(str(FIXTURES / name) for name in SEED))
    assert seeded.returncode == 0, seeded.stderr
    server.server.start()
    server.server.wait_warm()  # every form's preheated kernel is ready
    yield server
    server.server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    # A page answers once its kernel has run the form: on a machine busy with another
    # test run that can take minutes.  The tests wait for readiness (a widget), this is
    # only the bound after which a navigation counts as failed.
    page.set_default_navigation_timeout(240_000)
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test says what its page showed (the end of its text and its
    address): a form that never drew its widgets is then told apart from a slow one."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        try:
            shown = page.inner_text("body", timeout=5_000)[-600:]
            report.sections.append(("page shown", f"{page.url}\n{shown}"))
        except Exception as error:  # noqa: BLE001  (the page itself may be gone)
            report.sections.append(("page shown", f"(not readable: {error})"))


def screenshot(page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="module")
def trainer_server(tmp_path_factory) -> Iterator[Server]:
    """The trainer kit's pages (``cpkit serve --training``, no case store needed), with
    room for a kernel per page a sweep opens in four languages, so the product's kernel
    limit (tested in tests/forms) never refuses a page here."""
    home = tmp_path_factory.mktemp("trainer-home")
    env = {k: v for k, v in os.environ.items() if k not in ("CPKIT_DB", "JUPYTERHUB_USER")}
    env.update(CPKIT_HOME=str(home), CPKIT_USER="e2e-trainer")
    server = Server(TRAINING_DIR, preheat=False, env=env, log=home / "voila.log",
                    max_kernels=17)
    server.start()
    yield server
    server.stop()
