"""``cpkit serve`` starts Voila on 127.0.0.1, prints the URL, serves the landing page."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from cpkit.serve import (
    CULL_INTERVAL,
    FORMS_DIR,
    UNCONNECTED_GRACE,
    Server,
    free_port,
    voila_command,
)


def test_voila_command_is_loopback_preheated_and_never_hunts_ports(tmp_path):
    command = voila_command(tmp_path, 9999)
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.port_retries=0" in command
    assert "--preheat_kernel=True" in command and "--no-browser" in command
    assert "--preheat_kernel=True" not in voila_command(tmp_path, 9999, preheat=False)
    # a busy machine delays a form's output past nbclient's 4 s: the page would lose it
    assert "--VoilaExecutor.iopub_timeout=120" in command
    with_config = voila_command(tmp_path, 1, config_dir=tmp_path)
    assert f"--Voila.config_file_paths={tmp_path}" in with_config


def test_cpkit_serve_prints_the_url_and_serves_the_landing_page(cpkit_home):
    port = free_port()
    cpkit = shutil.which("cpkit") or os.path.join(os.path.dirname(os.sys.executable), "cpkit")
    process = subprocess.Popen([cpkit, "serve", "--port", str(port), "--no-browser",
                                "--pool-size", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
        assert line.startswith(f"cpkit forms: {url}?token=")
        token = line.strip().split("?token=", 1)[1]
        assert len(token) >= 32
        with urllib.request.urlopen(url, timeout=120) as refused:  # no token: the login
            assert "/login" in refused.url and "widget-view" not in refused.read().decode()
        with urllib.request.urlopen(f"{url}?token={token}", timeout=120) as response:
            page = response.read().decode()
        assert response.status == 200 and "<title>index</title>" in page
        assert "application/vnd.jupyter.widget-view+json" in page  # the landing widget ran
        assert "There was an error when executing" not in page
        # the case list in the page's own HTML (its first paint), nothing from elsewhere
        assert "<div class='cpkit-first-paint'>" in page and "cpkit-caseload" in page
        elsewhere = [u for u in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page)
                     if not u.startswith("http://127.0.0.1")]
        assert not elsewhere, elsewhere
        import psutil  # the token is on no command line another local user can read

        family = psutil.Process(process.pid).children(recursive=True)
        assert not any(token in " ".join(p.cmdline()) for p in family)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    with pytest.raises(OSError):  # Voila stopped with it
        urllib.request.urlopen(url, timeout=5)


def test_demo_serve_gives_the_forms_and_the_trainer_kit(cpkit_home):
    """`make demo` ends here: demo cases seeded, forms and training notebooks served."""
    cpkit = shutil.which("cpkit") or os.path.join(os.path.dirname(os.sys.executable), "cpkit")
    process = subprocess.Popen([cpkit, "demo", "--serve", "--count", "6"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        urls = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(2))
        assert set(urls) == {"cpkit forms", "cpkit training"}
        with urllib.request.urlopen(urls["cpkit training"], timeout=180) as response:
            page = response.read().decode()
        assert response.status == 200 and "TR-2026-0001" in page
        assert "There was an error when executing" not in page
        with urllib.request.urlopen(urls["cpkit forms"], timeout=180) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_a_kernel_limit_refuses_one_form_too_many(home_store):
    """Each page holds a kernel; beyond the server's limit a page is refused (429)."""
    with Server(preheat=False, max_kernels=1) as server:
        assert get(server.page("index")) == 200
        assert len(server.kernels()) == 1
        assert get(server.page("index")) == 429
        assert len(server.kernels()) == 1


def test_a_left_page_s_kernel_is_shut_down_and_the_pool_refilled(home_store, tmp_path):
    """A page served from the pool and left (no browser connected to its kernel) loses
    its kernel once idle for UNCONNECTED_GRACE seconds (no browser ever connected: the
    grace a loading page gets), and the pool gets a new kernel meanwhile:
    waited for by polling (the bound is the configured window), never a fixed sleep.
    Only the landing page is served, so one kernel is preheated, not seven."""
    root = tmp_path / "forms"
    root.mkdir()
    shutil.copy(FORMS_DIR / "index.ipynb", root)
    with Server(root, pool_size=1, log=tmp_path / "voila.log") as server:
        assert server.wait_for_log("Kernel pool of index.ipynb is filled", 1)
        [pooled] = server.kernels()
        assert get(server.page("index")) == 200  # the page takes the pooled kernel
        left = time.monotonic()
        assert server.wait_for_log("Kernel pool of index.ipynb is filled", 2), "no refill"
        while pooled.is_running():
            assert time.monotonic() - left < UNCONNECTED_GRACE + CULL_INTERVAL + 30, "kept"
            time.sleep(1)
        assert len(server.kernels()) == 1  # the refilled pool's kernel, nothing else


def test_a_port_taken_before_voila_binds_it_gives_way_to_another(home_store, monkeypatch):
    """The free port chosen is taken by another program before Voila binds it (servers
    started side by side): the server starts on another port instead of failing."""
    import socket

    import cpkit.serve

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        chosen = iter([taken])
        real = cpkit.serve.free_port
        monkeypatch.setattr(cpkit.serve, "free_port", lambda: next(chosen, None) or real())
        with Server(preheat=False) as server:
            assert server.port != taken
            assert get(server.page("index")) == 200
