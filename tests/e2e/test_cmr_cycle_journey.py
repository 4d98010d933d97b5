"""The CMR cycle with three users in real browsers (issue #12's journey).

A case manager, a police officer and a school officer (agency members), each in their
own Voila server started as that user (``CPKIT_USER``), as JupyterHub gives every user:

1. the case manager plans the initial CMR and renders its invitation (the product offers
   both only on the command line: ``cpkit meeting plan`` and ``cpkit render --report
   invitation``, run as the case manager);
2. the police officer, on the agency page, sends apologies with information and names a
   substitute;
3. the case manager records the initial CMR as held on the CMR form (attendance
   pre-filled with the police's substitute) and plans the review (``cpkit meeting plan``,
   command line only);
4. the school officer, on the agency page, answers the review's invitation and sends the
   progress report on the school's care-plan action;
5. the case manager records the review on the CMR form, attendance pre-filled from the
   answers;
6. the minutes (``cpkit render --report minutes``, command line only) carry the school's
   report (review) and the police's apologies with their information (initial CMR);
7. the dashboard, opened by the case manager, names the one agency that has not sent its
   progress report (the police);
8. (its own test) the police officer's attempt to change the
   assessment on the risk form is refused with a message, and the store holds the same
   case (export unchanged).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cpkit import protocol
from cpkit.forms.fields import path_class
from cpkit.serve import Server
from tests.conftest import FIXTURES
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser

CODE = "GR-2026-0001"
MANAGER, POLICE, SCHOOL = "cm.jelena", "officer.pc", "officer.ed"
TODAY = dt.date.today()
INITIAL, REVIEW = TODAY - dt.timedelta(days=7), TODAY
SUBSTITUTE = "Sgt. Driton Krasniqi"
POLICE_INFO = "Two call-outs to the home in March; no charges."
SCHOOL_REPORT = "Attendance up to four days a week; meets the psychologist weekly."
WAIT = 180_000  # a page answers once its kernel has run: minutes on a loaded machine


def field(page, path: str):
    return page.locator(f".{path_class(path)}").first


def the_case() -> dict:
    """A fictional case with no meeting yet, worked on by the CSW, the school and the
    community police; the school is responsible for one care-plan action (A1)."""
    doc = json.loads((FIXTURES / "case_medium_neglect.json").read_text(encoding="utf-8"))
    doc["meetings"] = []
    doc["agencies_involved"] = ["csw", "education", "police_community"]
    actions = doc["care_plan"]["actions"]
    actions[0]["responsible_agency"] = "education"
    for action in actions[1:]:
        action["responsible_agency"] = "csw"
    doc.pop("derived", None)
    return doc


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    home = tmp_path_factory.mktemp("cmr-cycle")
    env = {k: v for k, v in os.environ.items() if k not in ("CPKIT_DB", "JUPYTERHUB_USER")}
    env.update(CPKIT_HOME=str(home), CPKIT_USER="e2e-admin")

    def cpkit(*args: str, user: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(Path(sys.executable).parent / "cpkit"), *args],
                              env={**env, "CPKIT_USER": user}, capture_output=True,
                              text=True, timeout=300)

    doc = the_case()
    source = home / "case.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    for args in (("import", str(source)),  # before any user exists, as at set-up
                 ("user", "add", "e2e-admin", "--role", "admin"),
                 ("user", "add", MANAGER, "--role", "case_manager",
                  "--display-name", doc["case_manager"]),
                 ("user", "add", POLICE, "--role", "agency_member",
                  "--agency", "police_community"),
                 ("user", "add", SCHOOL, "--role", "agency_member", "--agency", "education")):
        done = cpkit(*args, user="e2e-admin")
        assert done.returncode == 0, (args, done.stderr)
    return home, env, cpkit


def serve(env: dict, user: str, home: Path) -> Server:
    return Server(env={**env, "CPKIT_USER": user}, preheat=False,
                  log=home / f"voila-{user}.log")


def open_page(browser, url: str, ready: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(240_000)
    page.goto(url)
    page.locator(ready).first.wait_for(timeout=WAIT)
    return page


def status(page, expect: str) -> None:
    page.locator(".cpkit-status span.ok, .cpkit-status span.bad",
                 has_text=re.compile(re.escape(expect))).wait_for(timeout=WAIT)


def save(page, expect: str = "Saved:") -> None:
    page.locator("button.cpkit-save").click()
    status(page, expect)


def hold_meeting(page) -> None:
    """Mark the meeting on the open CMR form held and save it, acknowledging the
    protocol's warnings if it shows any."""
    page.locator("label", has_text=protocol.label("meeting_status", "held")).first.click()
    page.locator("button.cpkit-save").click()
    outcome = page.locator(".cpkit-status span.ok, .cpkit-status span.bad",
                           has_text=re.compile("Saved:|acknowledge the protocol"))
    outcome.wait_for(timeout=WAIT)
    if "acknowledge" in outcome.inner_text():
        for box in page.locator(".cpkit-acknowledge input[type=checkbox]").all():
            box.check()
        save(page)


def stored(cpkit) -> dict:
    done = cpkit("export", CODE, user=MANAGER)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_cmr_cycle_with_three_users(cycle, browser):
    home, env, cpkit = cycle

    # 1. The case manager plans the initial CMR and renders the invitation (CLI).
    planned = cpkit("meeting", "plan", CODE, "--date", INITIAL.isoformat(), "--kind",
                    "initial", "--time", "10:00", "--venue", "CSW Gračanica", user=MANAGER)
    assert planned.returncode == 0, planned.stderr
    rendered = cpkit("render", CODE, "--report", "invitation", "--meeting",
                     INITIAL.isoformat(), "-o", str(home / "invitation"), user=MANAGER)
    assert rendered.returncode == 0, rendered.stderr
    invitation = Path(rendered.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert CODE in invitation and "CSW Gračanica" in invitation
    assert protocol.label("agency", "police_community") in invitation

    # 2. The police officer sends apologies with information and names a substitute.
    with serve(env, POLICE, home) as server:
        page = open_page(browser, server.page("agency"), ".cpkit-agency-page .cpkit-task")
        task = page.locator(".cpkit-task", has_text=CODE)
        task.locator(".cpkit-answer select").select_option(
            label=protocol.label("invitation_answer", "substitute"))
        task.locator(".cpkit-substitute input").fill(SUBSTITUTE)
        task.locator(".cpkit-information textarea").fill(POLICE_INFO)
        task.locator("button.cpkit-send-answer").click()
        page.locator(".cpkit-status span.ok", has_text=f"{CODE}: sent.").wait_for(timeout=WAIT)
        screenshot(page, "cmr-cycle-police-answer", full_page=True)
        page.close()
    [police] = [i for i in stored(cpkit)["meetings"][0]["invited"]
                if i["agency"] == "police_community"]
    assert police["answer"] == "substitute" and police["substitute"] == SUBSTITUTE
    assert police["information"] == POLICE_INFO

    with serve(env, MANAGER, home) as manager:
        # 3. The initial CMR is held (CMR form, attendance pre-filled), a review planned.
        page = open_page(browser, manager.page("cmr", f"case={CODE}&meeting=0"),
                         ".cpkit-form-cmr button.cpkit-save")
        name = field(page, "meetings[0].participants[0].name").locator("input")
        name.wait_for(timeout=WAIT)
        assert name.input_value() == SUBSTITUTE
        hold_meeting(page)
        page.close()
        first = stored(cpkit)["meetings"][0]
        assert first["status"] == "held"
        assert {"agency": "police_community", "name": SUBSTITUTE}.items() <= (
            first["participants"][0].items())
        planned = cpkit("meeting", "plan", CODE, "--date", REVIEW.isoformat(), "--kind",
                        "review", user=MANAGER)
        assert planned.returncode == 0, planned.stderr

        # 4. The school officer answers and sends the progress report on action A1.
        with serve(env, SCHOOL, home) as server:
            page = open_page(browser, server.page("agency"), ".cpkit-send-report")
            task = page.locator(".cpkit-task", has=page.locator(".cpkit-send-report"))
            task.locator(".cpkit-answer select").select_option(
                label=protocol.label("invitation_answer", "attending"))
            task.locator("button.cpkit-send-answer").click()
            page.locator(".cpkit-status span.ok", has_text=f"{CODE}: sent.").wait_for(
                timeout=WAIT)
            # An empty report is refused, named; the same "sent." follows the real one.
            task.locator("button.cpkit-send-report").click()
            page.locator(".cpkit-status span.bad", has_text="write the report").wait_for(
                timeout=WAIT)
            task.locator(".cpkit-report-text textarea").fill(SCHOOL_REPORT)
            task.locator(".cpkit-action-status select").first.select_option(
                label=protocol.label("action_status", "in_progress"))
            task.locator("button.cpkit-send-report").click()
            page.locator(".cpkit-status span.ok", has_text=f"{CODE}: sent.").wait_for(
                timeout=WAIT)
            screenshot(page, "cmr-cycle-school-report", full_page=True)
            page.close()
        review = stored(cpkit)["meetings"][1]
        [report] = review["progress_reports"]
        assert report["agency"] == "education" and report["text"] == SCHOOL_REPORT
        assert [(a["id"], a["status"]) for a in report["actions"]] == [("A1", "in_progress")]

        # 5. The case manager records the review, attendance pre-filled from the answers.
        page = open_page(browser, manager.page("cmr", f"case={CODE}&meeting=1"),
                         ".cpkit-form-cmr button.cpkit-save")
        agency = field(page, "meetings[1].participants[0].agency").locator("select")
        agency.wait_for(timeout=WAIT)
        shown = agency.evaluate("e => e.options[e.selectedIndex].text")  # nbsp as spaces
        assert shown.replace("\xa0", " ") == protocol.label("agency", "education")
        assert page.locator(f".{path_class('meetings[1].participants[1].agency')}").count() == 0
        hold_meeting(page)
        screenshot(page, "cmr-cycle-review", full_page=True)
        page.close()
        assert stored(cpkit)["meetings"][1]["status"] == "held"

        # 6. The minutes carry the school's report and the police's apologies.
        minutes = {}
        for day in (INITIAL, REVIEW):
            done = cpkit("render", CODE, "--report", "minutes", "--meeting", day.isoformat(),
                         "-o", str(home / f"minutes-{day}"), user=MANAGER)
            assert done.returncode == 0, done.stderr
            minutes[day] = Path(done.stdout.strip().splitlines()[-1]).read_text(
                encoding="utf-8")
        assert SCHOOL_REPORT in minutes[REVIEW]
        assert protocol.label("agency", "education") in minutes[REVIEW]
        assert POLICE_INFO in minutes[INITIAL] and SUBSTITUTE in minutes[INITIAL]

        # 7. The dashboard names the one agency that has not reported: the police.
        page = open_page(browser, manager.page("dashboard"), ".cpkit-agency-lateness")
        late = page.locator(".cpkit-agency-late li", has_text="progress report")
        late.first.wait_for(timeout=WAIT)
        screenshot(page, "cmr-cycle-dashboard", full_page=True)
        owing = {li.get_attribute("data-agency") for li in late.all()}
        assert owing == {"police_community"}
        assert protocol.label("agency", "police_community") in late.first.inner_text()
        page.close()


def test_police_attempt_to_change_the_assessment_is_refused(cycle, browser):
    """8. The police officer's attempt to change the assessment on the risk form is
    refused with a message, and the store holds the same case (export unchanged)."""
    home, env, cpkit = cycle
    before = stored(cpkit)
    with serve(env, POLICE, home) as server:
        # The police is involved in the case: the risk form opens (redacted) for reading.
        page = open_page(browser, server.page("risk", f"case={CODE}"),
                         ".cpkit-form-risk button.cpkit-save")
        factor = "assessment.risk_factors.family_stress"
        field(page, factor).locator("label", has_text="High risk —").first.click()
        page.locator("button.cpkit-save").click()
        refusal = page.locator(".cpkit-status span.bad.cpkit-refused")
        try:
            refusal.wait_for(timeout=WAIT)
        finally:
            screenshot(page, "cmr-cycle-police-refused", full_page=True)
            assert stored(cpkit) == before  # nothing written, message or not
        text = refusal.inner_text()
        page.close()
    assert text.startswith("Not saved: ") and f"may not change case {CODE}" in text, text
    assert stored(cpkit) == before
