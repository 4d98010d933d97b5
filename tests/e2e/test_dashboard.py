"""The supervisor dashboard in a browser, after ``cpkit demo``: the demo caseload, a
filter that narrows the table, the overdue list with days late, and a report approved
from the page.

Real ``cpkit demo`` (it renders one report through the report pipeline), real Voila
serving ``notebooks/dashboard.ipynb`` on a free loopback port, real Debian chromium.
The screenshot goes to test-artifacts/dashboard.png for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import screenshot

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SUPERVISOR = "e2e-supervisor"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("dashboard-home")
    env = {k: v for k, v in os.environ.items() if k not in ("CPKIT_DB", "JUPYTERHUB_USER")}
    env.update(CPKIT_HOME=str(home), CPKIT_USER=SUPERVISOR)
    demo = subprocess.run([str(BIN / "cpkit"), "demo"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr
    assert "rendered for the supervisor's sign-off" in demo.stderr
    port = _free_port()
    log = open(home / "voila.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BIN / "voila"), str(ROOT / "notebooks" / "dashboard.ipynb"), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"],
        cwd=ROOT / "notebooks", env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        assert server.poll() is None, (home / "voila.log").read_text()
        try:
            urllib.request.urlopen(f"{url}cpkit-probe", timeout=5).close()  # a 404 will do
            break
        except urllib.error.HTTPError:  # it answers
            break
        except OSError:
            assert time.monotonic() < deadline, "Voila did not start"
            time.sleep(0.3)
    yield url, home
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


@pytest.fixture
def served(dashboard_server, monkeypatch):
    """The server's store, opened with the server's CPKIT_HOME (its identity key)."""
    from cpkit.access import Guard
    from cpkit.store import Store

    url, home = dashboard_server
    monkeypatch.setenv("CPKIT_HOME", str(home))
    store = Store(f"sqlite:///{home / 'cases.db'}")
    yield url, store, Guard.for_user(store, SUPERVISOR)
    store.close()


def test_supervisor_filters_sees_overdue_and_approves(served, page):
    from cpkit.dashboard import data
    from cpkit.dashboard.signoff import report_statuses

    url, store, guard = served
    board = data.load(guard, dt.date.today())
    waiting = [s for s in report_statuses(store) if s.awaiting]
    assert len(waiting) == 1 and not board.overdue.empty

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url, timeout=120_000)
    table = page.locator(".cpkit-caseload-table")
    table.wait_for(timeout=120_000)

    # the demo caseload: every live case, none of the training ones
    rows = page.locator(".cpkit-case-row")
    assert rows.count() == len(board.caseload) == 12
    shown = set(rows.evaluate_all("rs => rs.map(r => r.dataset.case)"))
    assert shown == set(board.caseload["case_id"])
    assert not any(code.startswith("TR-") for code in shown)

    # a filter narrows the table
    high = int((board.caseload["overall_risk"] == "high").sum())
    assert 0 < high < 12
    page.select_option(".cpkit-filter-risk select", label="High risk")
    page.wait_for_function(f"document.querySelectorAll('.cpkit-case-row').length == {high}")
    risks = page.locator(".cpkit-case-row td:nth-child(2)").all_inner_texts()
    assert risks == ["High risk"] * high
    assert page.locator(".cpkit-caseload-count").inner_text().startswith(f"{high} of 12")
    page.select_option(".cpkit-filter-risk select", label="all")
    page.locator(".cpkit-filter-overdue input").check()
    late_cases = int(board.caseload["overdue"].sum())
    page.wait_for_function(
        f"document.querySelectorAll('.cpkit-case-row').length == {late_cases}")

    # the overdue list, longest overdue first, with its days late
    first = board.overdue.iloc[0]
    overdue_rows = page.locator(".cpkit-overdue-row")
    assert overdue_rows.count() == len(board.overdue)
    top = overdue_rows.first
    assert top.get_attribute("data-case") == first.case_id
    assert f"{first.days_late} days late" in top.inner_text()

    # the report awaiting sign-off: view it, approve it
    report = waiting[0]
    row = page.locator(f".cpkit-signoff-queue .cpkit-report-{report.report_id}")
    assert "awaiting sign-off" in row.inner_text()
    row.locator(".cpkit-view").click()
    page.frame_locator(".cpkit-viewer iframe").locator("body").wait_for()
    page.set_viewport_size({"width": 1280, "height": 3000})
    screenshot(page, "dashboard")
    row.locator(".cpkit-approve").click()
    message = page.locator(".cpkit-dashboard-message")
    message.filter(has_text="approved by").wait_for()
    assert SUPERVISOR in message.inner_text()
    page.locator(".cpkit-signoff-queue").filter(
        has_text="No report is awaiting sign-off").wait_for()
    screenshot(page, "dashboard-approved")

    status = next(s for s in report_statuses(store) if s.report_id == report.report_id)
    assert status.state == "approved" and status.by == SUPERVISOR
    assert store.audit_rows(report.case_id)[-1]["action"] == "sign_off"
