"""A form's tab closed in the browser gives its kernel back: shut down (the page's
unload tells the server, culling is the fallback) within the configured window, and the
landing page's pool refilled, so pages opened and closed all day leave only the pools.

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
        page.locator(".cpkit-caseload table").wait_for(timeout=240_000)
        assert server.wait_for_log(filled, 2, timeout=240), "the pool was not refilled"
        assert pooled.is_running() and len(server.kernels()) == 2  # the page's, the pool's
        page.close(run_before_unload=True)  # as a browser closes a tab
        context.close()
        closed = time.monotonic()
        while pooled.is_running():
            assert time.monotonic() - closed < CULL_IDLE + CULL_INTERVAL + 30, "not shut down"
            time.sleep(0.5)
        [refilled] = server.kernels()
        assert refilled.pid != pooled.pid
