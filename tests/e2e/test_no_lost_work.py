"""Nobody's work is lost when people edit one case at once, in a real browser.

- Two tabs of one form: tab A saves a new Health note while tab B types a Safety note;
  B's save merges, both notes are kept.  Where both tabs typed the same field, B sees
  both values side by side ("Saved by Arta Morina at ...", "Yours: ...") and decides;
  nothing is written before.
- Two users (each in their own Voila, as JupyterHub gives every user) on different
  forms of one case, the care plan and the wellbeing indicators, both save.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpkit import protocol
from cpkit.serve import Server
from tests.conftest import FIXTURES
from tests.e2e.conftest import screenshot
from tests.e2e.test_forms_journey import choose, field, save, type_in

pytestmark = pytest.mark.browser

CASE = "PR-2026-0001"  # managed by Arta Morina
USERS = {"arta": ("case_manager", "Arta Morina"), "sara": ("supervisor", "Sara Krasniqi")}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("no-lost-work")
    env = {k: v for k, v in os.environ.items() if k not in ("CPKIT_DB", "JUPYTERHUB_USER")}
    env.update(CPKIT_HOME=str(home), CPKIT_USER="e2e-admin")

    def cpkit(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([str(Path(sys.executable).parent / "cpkit"), *args], env=env,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        return done

    cpkit("import", str(FIXTURES / "case_high_physical.json"))
    cpkit("user", "add", "e2e-admin", "--role", "admin")
    for user, (role, display) in USERS.items():
        cpkit("user", "add", user, "--role", role, "--display-name", display)
    return env


@pytest.fixture(scope="module")
def servers(home):
    started = {}
    try:
        for user in USERS:
            started[user] = Server(env={**home, "CPKIT_USER": user}, preheat=False).start()
        yield started
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture
def stored(home, monkeypatch):
    from cpkit.store import Store

    monkeypatch.setenv("CPKIT_HOME", home["CPKIT_HOME"])
    store = Store(f"sqlite:///{Path(home['CPKIT_HOME']) / 'cases.db'}")
    yield store
    store.close()


def open_page(browser, server: Server, form: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(300_000)  # a kernel starts per page (no preheat here)
    page.goto(server.page(form, f"case={CASE}"), wait_until="commit")
    page.locator("button.cpkit-save").wait_for()
    return page


def test_two_tabs_keep_both_notes_and_decide_the_same_field(servers, browser, stored):
    tab_a = open_page(browser, servers["arta"], "wellbeing")
    tab_b = open_page(browser, servers["arta"], "wellbeing")
    type_in(tab_b, "assessment.wellbeing.safety.notes", "B: safety plan agreed with mother.")
    type_in(tab_a, "assessment.wellbeing.health.notes", "A: neurology check on 3 December.")
    save(tab_a)
    save(tab_b, "merged with the changes saved since you opened it")
    screenshot(tab_b, "merge-two-tabs")
    wellbeing = stored.get(CASE).case.assessment.wellbeing
    assert wellbeing.health.notes == "A: neurology check on 3 December."
    assert wellbeing.safety.notes == "B: safety plan agreed with mother."
    # Tab B shows the merged case: A's note is in front of B too.
    assert field(tab_b, "assessment.wellbeing.health.notes").locator(
        "textarea, input").first.input_value() == "A: neurology check on 3 December."

    # Then both tabs type the same field (tab A is now the stale one: B saved last).
    version = stored.get(CASE).version
    type_in(tab_b, "assessment.wellbeing.nurture.notes", "B: mother attends counselling.")
    type_in(tab_b, "assessment.wellbeing.inclusion.notes", "B: joined the school choir.")
    type_in(tab_a, "assessment.wellbeing.nurture.notes", "A: grandmother visits daily.")
    save(tab_a, "merged with the changes saved since you opened it")
    save(tab_b, "choose what to keep")
    panel = tab_b.locator(".cpkit-merge")
    panel.wait_for()
    text = panel.inner_text()
    assert "Saved by Arta Morina at" in text and "A: grandmother visits daily." in text
    assert "Yours: B: mother attends counselling." in text
    assert "inclusion" not in text.lower()  # merged without asking
    screenshot(tab_b, "merge-decide", full_page=True)
    assert stored.get(CASE).version == version + 1  # nothing written until decided
    apply = tab_b.locator("button.cpkit-merge-apply")
    assert apply.is_disabled()
    tab_b.locator(".cpkit-merge-field label", has_text="Combine both").click()
    combined = tab_b.locator(".cpkit-merge-combined textarea")
    combined.fill("A: grandmother visits daily. B: mother attends counselling.")
    combined.blur()
    tab_b.wait_for_function(
        "() => !document.querySelector('button.cpkit-merge-apply').disabled")
    apply.click()
    tab_b.locator(".cpkit-status span.ok", has_text="Saved:").wait_for()
    record = stored.get(CASE)
    assert record.version == version + 2
    assert record.case.assessment.wellbeing.nurture.notes == (
        "A: grandmother visits daily. B: mother attends counselling.")
    assert record.case.assessment.wellbeing.inclusion.notes == "B: joined the school choir."
    merge = stored.audit_rows(CASE)[-1]["detail"]["merge"]
    assert merge["decided"] == ["assessment.wellbeing.nurture.notes"]
    tab_a.close()
    tab_b.close()


def test_two_users_on_different_forms_of_one_case_both_save(servers, browser, stored):
    plan = open_page(browser, servers["arta"], "care_plan")
    wellbeing = open_page(browser, servers["sara"], "wellbeing")
    actions = len(stored.get(CASE).case.care_plan.actions)
    plan.locator(".cpkit-actions button.cpkit-add").click()
    need = f"care_plan.actions[{actions}].need"
    field(plan, need).wait_for()
    action = f"care_plan.actions[{actions}]"
    type_in(plan, need, "A safe way to school.")
    type_in(plan, f"{action}.action", "The grandmother walks her to school.")
    choose(plan, f"{action}.responsible_agency", protocol.label("agency", "education"))
    type_in(plan, f"{action}.responsible_person", "Agron Sylaj")
    choose(plan, f"{action}.term", protocol.label("term", "short"))
    type_in(plan, f"{action}.due", "2026-12-20")
    type_in(plan, f"{action}.contingency", "The NGO worker walks with her.")
    type_in(wellbeing, "assessment.wellbeing.achievement.notes", "Sara: grades improving.")
    save(wellbeing)
    for tick in plan.locator(".cpkit-acknowledge input").all():
        tick.check()
    save(plan)
    case = stored.get(CASE).case
    assert case.assessment.wellbeing.achievement.notes == "Sara: grades improving."
    assert case.care_plan.actions[-1].need == "A safe way to school."
    rows = stored.audit_rows(CASE)[-2:]
    assert [r["actor"] for r in rows] == ["sara", "arta"]
    assert rows[-1]["detail"]["merge"]["kept"] == ["assessment.wellbeing.achievement.notes"]
    plan.close()
    wellbeing.close()
