"""``pip install cpkit-<version>.whl`` on a clean machine gives a kit that renders and
serves: build the sdist and, from it, the wheel; install the wheel into a fresh virtual
environment outside the checkout; run ``cpkit init``, ``cpkit demo``, ``cpkit render``
(HTML and PDF) and ``cpkit serve`` there, with nothing of the repository on the path."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
SKIP = {".git", ".venv", "build", "dist", "test-artifacts", "__pycache__", ".pytest_cache",
        ".ruff_cache", ".hypothesis", "site"}


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=1800, **kwargs)
    assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: building never writes into the checkout
    shutil.copytree(ROOT, source, symlinks=True,
                    ignore=lambda _d, names: [n for n in names if n in SKIP
                                              or n.endswith(".egg-info")])
    dist = work / "dist"
    _run(sys.executable, "-m", "build", "--outdir", dist, source)
    wheel, = dist.glob("cpkit-*.whl")
    sdist, = dist.glob("cpkit-*.tar.gz")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", venv)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    home = work / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CPKIT_", "PYTHON", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(CPKIT_HOME=str(home), CPKIT_USER="assessor", HOME=str(work),
               JUPYTER_DATA_DIR=str(work / "jupyter"), JUPYTER_CONFIG_DIR=str(work / "jcfg"),
               PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return {"work": work, "wheel": wheel, "sdist": sdist, "bin": venv / "bin", "env": env,
            "home": home}


def cpkit(installed, *args, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["bin"] / "cpkit"), *args], cwd=installed["work"],
                          env=installed["env"], capture_output=True, text=True,
                          timeout=timeout)


def test_the_wheel_and_sdist_carry_the_package_data(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for needed in ("cpkit/resources/notebooks/case.ipynb", "cpkit/resources/forms/index.ipynb",
                   "cpkit/resources/reports/minutes/index.html.j2",
                   "cpkit/resources/notebooks/training/answer_key.ipynb",
                   "cpkit/resources/examples/case_high_physical.json",
                   "cpkit/locale/sq/LC_MESSAGES/cpkit.po"):
        assert needed in names
    with tarfile.open(installed["sdist"]) as sdist:
        assert any(n.endswith("cpkit/resources/reports/shared/report.css")
                   for n in sdist.getnames())


def test_the_installed_kit_is_not_the_checkout(installed):
    where = subprocess.run([str(installed["bin"] / "python"), "-c",
                            "import cpkit, sys; print(cpkit.__file__)"],
                           cwd=installed["work"], env=installed["env"], capture_output=True,
                           text=True, check=True).stdout.strip()
    assert str(installed["bin"].parent) in where and str(ROOT) not in where


def test_init_demo_render_and_serve(installed):
    for args in (["init"], ["demo"]):
        result = cpkit(installed, *args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    listed = cpkit(installed, "list")
    assert listed.returncode == 0, listed.stderr
    codes = [line.split()[0] for line in listed.stdout.splitlines()
             if line[:2].isalpha() and "-" in line.split()[0]]
    out = installed["work"] / "reports"
    rendered = []
    for code in codes:  # the first demo case with an agreed care plan
        result = cpkit(installed, "render", code, "--report", "care-plan", "-o", str(out))
        if result.returncode == 0:
            rendered.append(Path(result.stdout.strip().splitlines()[-1]))
            result = cpkit(installed, "render", code, "--report", "care-plan", "--format",
                           "pdf", "-o", str(out))
            assert result.returncode == 0, (result.stdout, result.stderr)
            rendered.append(Path(result.stdout.strip().splitlines()[-1]))
            break
        assert result.returncode == 2, (result.stdout, result.stderr)  # no care plan yet
    assert len(rendered) == 2, codes
    html, pdf = rendered
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert pdf.read_bytes().startswith(b"%PDF")

    port = _free_port()
    server = subprocess.Popen([str(installed["bin"] / "cpkit"), "serve", "--no-browser",
                               "--port", str(port)], cwd=installed["work"],
                              env=installed["env"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/voila/render/index.ipynb", server)
        assert "cpkit" in page.lower() or "voila" in page.lower()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read().decode(errors="replace")[-3000:]
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                return response.read().decode("utf-8", errors="replace")
        except OSError:
            time.sleep(1)
    raise AssertionError(f"cpkit serve did not answer at {url}")
