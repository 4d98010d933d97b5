"""The hub for real: ``cpkit hub`` on loopback with two NativeAuthenticator users (a case
manager and an agency member); in headless Chromium each logs in through the hub's
login page, lands on their page and sees only their cases; the audit names the hub
user; a wrong password gets the hub's refusal and no cpkit page; a hub user unknown to
cpkit gets nothing."""

from __future__ import annotations

import contextlib
import os
import re

import pytest

from tests.conftest import CASE_FILES, fixture_document
from tests.e2e.conftest import browser  # noqa: F401  (one headless chromium per module)
from tests.hub.conftest import PASSWORD, make_hub

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
CASE_CODE = re.compile(r"\b[A-Z]{2}-\d{4}-\d{4}\b")
CASE_MANAGER, AGENCY_MEMBER, FORMER = "arta", "officer.ed", "former.user"
PAGE_TIMEOUT = 180_000
EVERY_CASE = {fixture_document(n)["case_id"] for n in CASE_FILES}


@pytest.fixture(scope="module")
def hub(tmp_path_factory, hub_db):
    hub = make_hub(tmp_path_factory.mktemp("hub-home"), hub_db)
    hub.add_user(CASE_MANAGER, "case_manager", display_name="Arta Morina")
    hub.add_user(AGENCY_MEMBER, "agency_member", agency="education")
    hub.add_user(FORMER, "case_manager", display_name="Blerta Dula")
    hub.cpkit("user", "remove", FORMER)  # left the team: the login stays, cpkit forgets
    hub.start()
    yield hub
    hub.stop_everything()


@pytest.fixture
def page(browser):  # noqa: F811  (the imported fixture)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT)
    yield page
    context.close()


def log_in(page, hub, user: str, password: str) -> None:
    page.goto(hub.url)
    page.wait_for_url(re.compile(r"/hub/login"))
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("#login_submit, input[type=submit], button[type=submit]")


def caseload(page) -> set[str]:
    table = page.locator(".cpkit-caseload")
    table.wait_for()
    page.wait_for_function("document.querySelector('.cpkit-caseload').innerText.length > 20")
    return set(CASE_CODE.findall(table.inner_text()))


def listed(hub, user: str) -> set[str]:
    return set(CASE_CODE.findall(hub.cpkit("list", user=user).stdout))


@pytest.mark.parametrize("user", [CASE_MANAGER, AGENCY_MEMBER])
def test_each_user_logs_in_and_lands_on_their_own_cases(hub, page, user):
    log_in(page, hub, user, PASSWORD)
    if user == AGENCY_MEMBER:  # their agency's page first: what the Task Force asks of them
        page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/voila/render/agency\.ipynb"))
        page.locator(".cpkit-agency-page").wait_for()
        assert set(CASE_CODE.findall(page.locator(".cpkit-agency-page").inner_text())) \
            <= listed(hub, user)
        assert "Ëndrina" not in page.content()
        page.goto(hub.url + f"user/{user}/voila/render/index.ipynb")  # then the caseload
    else:
        page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/voila/render/index\.ipynb"))
    seen = caseload(page)
    assert seen == listed(hub, user)  # the browser and the command line agree
    assert seen and seen < EVERY_CASE
    if user == CASE_MANAGER:
        assert seen == {"PR-2026-0001"}  # Arta Morina's case, nobody else's
    else:
        assert "PR-2026-0001" in seen and "PZ-2026-0001" not in seen  # education only
        assert "Ëndrina" not in page.content()  # an agency member sees no child's name
    assert page.locator("text=JupyterLab").count() == 0


def test_the_audit_names_the_hub_user(hub, page):
    log_in(page, hub, CASE_MANAGER, PASSWORD)
    page.wait_for_url(re.compile(r"/voila/render/index\.ipynb"))
    page.goto(hub.url + f"user/{CASE_MANAGER}/voila/render/risk.ipynb?case=PR-2026-0001")
    page.locator(".cpkit-form, .cpkit-risk-banner, .widget-button").first.wait_for()
    audit = hub.cpkit("audit", "PR-2026-0001", "--user", CASE_MANAGER).stdout
    assert CASE_MANAGER in audit and "hub@" in audit


def test_a_wrong_password_gets_the_hubs_refusal_and_no_cpkit_page(hub, page):
    log_in(page, hub, CASE_MANAGER, PASSWORD + "x")
    page.wait_for_load_state()
    assert "/hub/login" in page.url
    assert page.locator("text=/invalid username or password/i").count() == 1
    assert "/user/" not in page.url and page.locator(".cpkit-caseload").count() == 0
    assert page.goto(hub.url + f"user/{CASE_MANAGER}/voila/render/index.ipynb") is not None
    assert "/hub/login" in page.url  # no page without logging in


def test_a_hub_user_unknown_to_cpkit_gets_nothing(hub, page):
    log_in(page, hub, FORMER, PASSWORD)  # the right password, but cpkit forgot them
    page.locator("text=/invalid username or password/i").wait_for(timeout=60_000)
    assert "/hub/login" in page.url and page.locator(".cpkit-caseload").count() == 0
    assert "/user/" not in page.url
    page.goto(hub.url + f"user/{FORMER}/voila/render/index.ipynb")
    assert "/hub/login" in page.url and page.locator(".cpkit-caseload").count() == 0


def test_the_hub_restarted_finds_the_users_servers_still_running(hub, page):
    from cpkit.hub.config import HubSettings, _pids

    log_in(page, hub, CASE_MANAGER, PASSWORD)
    caseload(page)
    settings = HubSettings(folder=hub.folder, store_url=hub.env["CPKIT_DB"])
    before = _pids(settings)
    assert before
    hub.stop_hub_only()
    for pid in before:
        os.kill(pid, 0)  # still running without the hub
    hub.start()
    page.goto(hub.url + f"user/{CASE_MANAGER}/voila/render/index.ipynb")
    assert caseload(page) == {"PR-2026-0001"}
    assert _pids(settings) == before  # found again, not started anew


def user_server_tree(settings, user: str) -> list:
    """The processes of ``user``'s server: the hub's recorded process, what runs in it
    (the proxy), its Voila and Voila's kernels, wherever they were forked
    (:func:`cpkit.hub.zygote.tree`)."""
    import psutil

    from cpkit.hub import zygote
    from cpkit.hub.config import _pids

    for pid in _pids(settings):
        server = psutil.Process(pid)
        if server.environ().get("JUPYTERHUB_USER") == user:
            return [psutil.Process(p) for p in zygote.tree(settings.folder, pid)
                    if psutil.pid_exists(p)]
    raise AssertionError(f"no running server of {user} in the hub's database")


def test_a_killed_voila_server_comes_back_with_the_unsaved_draft(hub, page):
    """Item 5 of #18: a user's server (proxy, Voila and kernels) killed with SIGKILL
    while a form holds typed, unsaved input; the user's next page gets a new server
    (the proxy's page retries until the hub has noticed, then the hub starts one) and
    the form offers the draft, which restores what was typed and saves."""
    import signal

    import psutil

    from cpkit.hub.config import HubSettings
    from tests.e2e.test_forms_journey import field, save, type_in

    settings = HubSettings(folder=hub.folder, store_url=hub.env["CPKIT_DB"])
    form = hub.url + f"user/{CASE_MANAGER}/voila/render/wellbeing.ipynb?case=PR-2026-0001"
    notes = "assessment.wellbeing.safety.notes"
    typed = "Typed before the crash: the school counsellor calls the mother on Monday."
    log_in(page, hub, CASE_MANAGER, PASSWORD)
    caseload(page)
    page.goto(form)
    page.locator("button.cpkit-save").wait_for()
    type_in(page, notes, typed)
    page.locator(".cpkit-status", has_text="kept as a draft").wait_for()

    killed = user_server_tree(settings, CASE_MANAGER)
    assert len(killed) >= 3  # the proxy, Voila, the form's kernel (and the landing's)
    # forked from the hub's zygote: the server, Voila and the kernels
    assert {"singleuser", "cpkit-voila", "cpkit-kernel"} <= {p.name() for p in killed}
    for process in killed:
        # The landing page's kernel may be ending on its own (the page was left).
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGKILL)
    gone, alive = psutil.wait_procs(killed, timeout=60)
    assert not alive

    page.goto(form)  # the user's next click: a new server, the form, the draft offered
    # A new server, then Voila runs the form in a new kernel: minutes on a loaded machine.
    page.locator("button.cpkit-restore").wait_for(state="visible", timeout=3 * PAGE_TIMEOUT)
    new = user_server_tree(settings, CASE_MANAGER)[0]
    assert new.pid not in {p.pid for p in killed}
    assert field(page, notes).locator("textarea, input").first.input_value() != typed
    page.locator("button.cpkit-restore").click()
    page.wait_for_function(
        "t => [...document.querySelectorAll('textarea, input')].some(e => e.value === t)",
        arg=typed)
    save(page)
    import json

    stored = json.loads(hub.cpkit("export", "PR-2026-0001", user=CASE_MANAGER).stdout)
    assert stored["assessment"]["wellbeing"]["safety"]["notes"] == typed


def test_cpkit_hub_stop_leaves_nothing_running(hub, page):
    """``cpkit hub stop`` ends the hub, its proxy, the zygote and every user's server,
    with nothing left: not even a proxy the hub, still shutting down, started again
    after finding its proxy stopped (it checks every 5 s; benchmark runs left such
    proxies behind).  Last in this module: the hub is gone afterwards."""
    import psutil

    log_in(page, hub, CASE_MANAGER, PASSWORD)
    caseload(page)  # a user's server, Voila and kernels running
    hub.cpkit("hub", "stop")
    hub.process.wait(timeout=60)
    left = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("CPKIT_HOME") == str(hub.home):
                left.append(f"{process.pid} {' '.join(process.cmdline())[:80]}")
        except psutil.Error:
            continue
    assert not left  # the proxy, the hub, the zygote, servers, Voila, kernels
