"""Two users of different agencies, each in their own browser session (their own Voila,
as JupyterHub gives every user), see exactly their agency's cases, never a child's name;
the command line agrees; the audit shows who saw what."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpkit.serve import Server
from tests.conftest import CASE_FILES, FIXTURES

pytestmark = pytest.mark.browser

USERS = {"officer.pc": "police_community", "officer.ed": "education"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def documents():
    return [json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in CASE_FILES]


def expected(agency: str) -> set[str]:
    return {d["case_id"] for d in documents() if agency in (d.get("agencies_involved") or [])}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("two-agencies")
    env = {k: v for k, v in os.environ.items() if k not in ("CPKIT_DB", "JUPYTERHUB_USER")}
    env.update(CPKIT_HOME=str(home), CPKIT_USER="e2e-admin")

    def cpkit(*args: str, user: str = "e2e-admin") -> subprocess.CompletedProcess:
        done = subprocess.run([str(Path(sys.executable).parent / "cpkit"), *args],
                              env={**env, "CPKIT_USER": user}, capture_output=True, text=True,
                              timeout=180)
        return done

    assert cpkit("import", *(str(FIXTURES / n) for n in CASE_FILES)).returncode == 0
    assert cpkit("user", "add", "e2e-admin", "--role", "admin").returncode == 0
    for user, agency in USERS.items():
        added = cpkit("user", "add", user, "--role", "agency_member", "--agency", agency)
        assert added.returncode == 0, added.stderr
    return env, cpkit


@pytest.mark.parametrize("user", sorted(USERS))
def test_each_agency_sees_its_cases_in_the_browser_and_the_cli(home, browser, user):
    env, cpkit = home
    mine = expected(USERS[user])
    others = {d["case_id"] for d in documents()} - mine
    names = [d["child"][k] for d in documents() for k in ("given_name", "family_name")]
    server = Server(env={**env, "CPKIT_USER": user}, preheat=False)
    with server:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(120_000)  # readiness, not a fixed time: a busy machine
        page.set_default_navigation_timeout(240_000)
        page.goto(server.url)
        caseload = page.locator(".cpkit-caseload")
        caseload.wait_for(timeout=120_000)
        page.wait_for_function("document.querySelector('.cpkit-caseload').innerText.length > 20")
        text = caseload.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"access-{user}.png"), full_page=True)
        page.close()
    assert all(code in text for code in mine)
    assert not any(code in text for code in others)
    assert not any(name in text for name in names)

    listed = cpkit("list", user=user).stdout
    assert all(code in listed for code in mine) and not any(c in listed for c in others)
    allowed, refused = sorted(mine)[0], sorted(others)[0]
    shown = cpkit("show", allowed, user=user)
    assert shown.returncode == 0 and not any(name in shown.stdout for name in names)
    assert cpkit("show", refused, user=user).returncode != 0


def test_the_audit_shows_who_saw_what(home):
    env, cpkit = home
    for user in USERS:
        cpkit("show", sorted(expected(USERS[user]))[0], user=user)
    trail = cpkit("audit").stdout
    for user in USERS:
        assert user in trail
    assert "read_redacted" in trail
