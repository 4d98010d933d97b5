"""``cpkit serve`` starts Voila on 127.0.0.1, prints the URL, serves the landing page."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import urllib.request

import pytest

from cpkit.serve import free_port, voila_command


def test_voila_command_is_loopback_preheated_and_never_hunts_ports(tmp_path):
    command = voila_command(tmp_path, 9999)
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.port_retries=0" in command
    assert "--preheat_kernel=True" in command and "--no-browser" in command
    assert "--preheat_kernel=True" not in voila_command(tmp_path, 9999, preheat=False)


def test_cpkit_serve_prints_the_url_and_serves_the_landing_page(cpkit_home):
    port = free_port()
    cpkit = shutil.which("cpkit") or os.path.join(os.path.dirname(os.sys.executable), "cpkit")
    process = subprocess.Popen([cpkit, "serve", "--port", str(port), "--no-browser",
                                "--pool-size", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
        assert line.strip() == f"cpkit forms: {url}"
        with urllib.request.urlopen(url, timeout=120) as response:
            page = response.read().decode()
        assert response.status == 200 and "<title>index</title>" in page
        assert "application/vnd.jupyter.widget-view+json" in page  # the landing widget ran
        assert "There was an error when executing" not in page
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
