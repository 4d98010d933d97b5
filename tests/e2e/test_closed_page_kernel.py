"""A form's tab closed in the browser gives its kernel back: shut down at once (the
page's unload tells the server; culling is only the fallback), and the landing page's
pool refilled, so pages opened and closed all day leave only the pools.

Its own server serving only the landing page (one preheated kernel, not seven).
"""

from __future__ import annotations

import shutil
import time

from cpkit.serve import CULL_IDLE, CULL_INTERVAL, FORMS_DIR, Server


def test_a_closed_tab_s_kernel_is_shut_down_and_the_pool_refilled(browser, home_store,
                                                                  tmp_path):
    root = tmp_path / "forms"
    root.mkdir()
    shutil.copy(FORMS_DIR / "index.ipynb", root)
    filled = "Kernel pool of index.ipynb is filled"
    with Server(root, pool_size=1, log=tmp_path / "voila.log") as server:
        assert server.wait_for_log(filled, 1)
        [pooled] = server.kernels()
        context = browser.new_context()
        page = context.new_page()
        page.set_default_navigation_timeout(240_000)
        page.goto(server.url, wait_until="commit")
        # drawn by Voila's scripts (.cpkit-form), not only the first paint: their unload
        # asks for the shutdown
        page.locator(".cpkit-form .cpkit-caseload table").wait_for(timeout=240_000)
        kernel_id = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        assert server.wait_for_log(filled, 2, timeout=240), "the pool was not refilled"
        assert pooled.is_running() and len(server.kernels()) == 2  # the page's, the pool's
        # the page's kernel (and the pool's) was given no way to the store or the key,
        # nor was the zygote it is a copy of: the caseload came through the guard its
        # server serves (cpkit.access.remote)
        for kernel in server.kernels():
            assert not set(kernel.environ()) & {"CPKIT_DB", "CPKIT_HOME", "CPKIT_KEY",
                                                "CPKIT_KEY_FILE"}
        page.close(run_before_unload=True)  # as a browser closes a tab
        context.close()
        closed = time.monotonic()
        while pooled.is_running():
            assert time.monotonic() - closed < CULL_IDLE + CULL_INTERVAL + 30, "not shut down"
            time.sleep(0.5)
        [refilled] = server.kernels()
        assert refilled.pid != pooled.pid
        # shut down by the page's unload, as Voila's scripts ask with the _xsrf cookie
        # the page gave (cpkit.serve_pages): not refused, not left to the culler
        log = (tmp_path / "voila.log").read_text(errors="replace")
        assert f"Kernel shutdown: {kernel_id}" in log
        refused = [line for line in log.splitlines() if "api/shutdown" in line and "403" in line]
        assert not refused and "Culling 'idle' kernel" not in log, log[-2000:]


def test_going_from_page_to_page_never_meets_the_kernel_limit(browser, home_store, tmp_path):
    """A user clicking from form to form faster than the culling minute: at the limit,
    the kernel of the page just left is shut down for the next one instead of the next
    one being refused ("too many forms open").  A limit of one page makes every second
    page need its predecessor's kernel."""
    root = tmp_path / "forms"
    root.mkdir()
    shutil.copy(FORMS_DIR / "index.ipynb", root)
    with Server(root, preheat=False, max_kernels=1, log=tmp_path / "voila.log") as server:
        page = browser.new_page()
        page.set_default_timeout(240_000)
        pids = []
        for _visit in range(3):
            response = page.goto(server.url, wait_until="commit")
            assert response.status == 200, response.status
            page.locator(".cpkit-caseload table").wait_for()
            [kernel] = server.kernels()  # the page's own: its predecessor's is gone
            pids.append(kernel.pid)
        assert len(set(pids)) == 3
        page.close()
