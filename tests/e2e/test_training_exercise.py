"""A trainee opens a worked case in Voila, rates the factors, presses Check, sees feedback.

Real Voila on a free loopback port, real kernel, real Debian chromium via Playwright.
The screenshot goes to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpkit.training import cases, session
from cpkit.training.checker import TraineeAnswer

ROOT = Path(__file__).resolve().parents[2]
VOILA = Path(sys.executable).parent / "voila"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CASE = "TR-2026-0001"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def voila_exercise(cpkit_home, tmp_path):
    yield from _voila(cpkit_home, tmp_path, f"{CASE}.ipynb")


@pytest.fixture
def voila_group(cpkit_home, tmp_path):
    yield from _voila(cpkit_home, tmp_path, "group_session.ipynb")


def _voila(cpkit_home, tmp_path, notebook):
    port = _free_port()
    log = (tmp_path / "voila.log").open("w")
    env = {**os.environ, "CPKIT_HOME": str(cpkit_home)}
    proc = subprocess.Popen(
        [str(VOILA), str(ROOT / "notebooks" / "training" / notebook), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:  # the port answers: the server is up (GET / would start a kernel)
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("voila did not start:\n" + (tmp_path / "voila.log").read_text())
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_trainee_rates_checks_and_sends(voila_exercise, cpkit_home):
    from playwright.sync_api import expect, sync_playwright

    reference = cases.load(CASE).reference
    given = dict(reference.factors, site_of_injury="medium")  # one deliberate mistake
    labels = {"low": "Low risk", "medium": "Medium risk", "high": "High risk",
              "not_known": "Not known"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(voila_exercise, timeout=120_000)
            page.wait_for_selector(".cpkit-factor-site_of_injury", timeout=120_000)
            expect(page.get_by_text("Lorik does not go to kindergarten.")).to_be_visible()
            for key, level in given.items():
                group = page.locator(f".cpkit-factor-{key}")
                group.locator("label").filter(has_text=labels[level]).first.click()
            banner = page.locator(".cpkit-banner")
            expect(banner).to_contain_text("High risk")
            expect(banner).to_contain_text("11 of 11")
            page.locator(".cpkit-check button, button.cpkit-check").first.click()
            feedback = page.locator(".cpkit-feedback")
            expect(feedback).to_contain_text("you agree with the reference on 10 of 11",
                                             timeout=30_000)
            row = page.locator("tr.factor-site_of_injury")
            expect(row).to_contain_text("differs")
            expect(row).to_contain_text("Head, face, or reproductive organs")
            expect(feedback).to_contain_text("Overall level from your ratings: High risk")
            expect(feedback).to_contain_text("Missing need")
            page.locator(".cpkit-feedback .score").scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "training-exercise-feedback.png"))

            page.locator(".cpkit-trainee input").fill("Trainee One")
            page.locator(".cpkit-submit button, button.cpkit-submit").first.click()
            expect(page.locator(".cpkit-status")).to_contain_text("Sent to", timeout=30_000)
        finally:
            browser.close()
    [stored] = [json.loads(path.read_text())
                for path in (cpkit_home / "training").glob("*.json")]
    assert stored["answers"][0]["trainee"] == "Trainee One"
    assert stored["answers"][0]["factors"]["site_of_injury"] == "medium"


def test_trainer_sees_the_groups_agreement(voila_group):
    reference = cases.load(CASE).reference
    name = session.default_name()  # the trainer's view opens today's session
    for trainee, level in [("A", "high"), ("B", "high"), ("C", "medium"), ("D", "low")]:
        session.submit(name, trainee, CASE,
                       TraineeAnswer({**reference.factors, "other_carers": level}))
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(voila_group, timeout=120_000)  # the kernel reads the session now
            summary = page.locator(".cpkit-session-summary")
            expect(summary).to_contain_text("4 trainee(s), 4 answer(s)", timeout=120_000)
            expect(summary).to_contain_text("Fleiss' kappa over all factors:")
            expect(page.locator(".cpkit-disagree")).to_contain_text("Availability of other carers")
            expect(page.locator(".cpkit-cases-index")).to_contain_text("TR-2026-0006")
            charts = page.locator(".cpkit-form img")
            expect(charts).to_have_count(2)
            charts.first.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "training-group-session.png"))
        finally:
            browser.close()


def test_the_feedback_in_albanian_gives_the_reference_answer_in_albanian(voila_exercise):
    """?lang=sq: Check shows every reason, wellbeing reason and the reference decision
    in Albanian, and none of the answer file's English (the reference travels from the
    catalogs through cases.load in the kernel, not only in unit tests)."""
    from playwright.sync_api import expect, sync_playwright

    sq, en = cases.load(CASE, "sq").reference, cases.load(CASE, "en").reference
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(voila_exercise + "?lang=sq", timeout=240_000)
            page.wait_for_selector(".cpkit-factor-site_of_injury", timeout=240_000)
            page.locator(".cpkit-check button, button.cpkit-check").first.click()
            feedback = page.locator(".cpkit-feedback")
            expect(feedback).to_contain_text(sq.reasons["site_of_injury"], timeout=60_000)
            text = " ".join(feedback.inner_text().split())
        finally:
            browser.close()
    for texts in (sq.reasons.values(), sq.wellbeing_reasons.values(), [sq.cmr_decision]):
        for t in texts:
            assert t in text, t
    english = [*en.reasons.values(), *en.wellbeing_reasons.values(), en.cmr_decision,
               *(a["need"] for a in en.actions)]
    assert not [t for t in english if t in text]
