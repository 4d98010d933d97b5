"""``pip install cpkit-<version>.whl`` on a clean machine gives a kit that renders and
serves.

Builds the sdist and, from it, the wheel (``python -m build``: the wheel is made from
the sdist, so a file missing from the sdist is missing from the wheel too); installs the
wheel into a fresh virtual environment in a temporary folder outside the checkout; runs
``cpkit init``, ``cpkit demo``, ``cpkit render`` (HTML and PDF) and ``cpkit serve`` there,
from a temporary folder, with nothing of the checkout importable.

Where the dependencies come from: installing them all from the package index takes
many minutes, so the fresh environment sees the test environment's installed
dependencies through a ``.pth`` file pointing at a folder of links to its
site-packages *without* cpkit (its editable install, its metadata) and without Dask
(an optional extra, so the kit's "install cpkit[dask]" message is checked too); the
dependencies' Jupyter data (kernel spec, nbconvert and Voila templates, server
extensions) is linked the same way, as ``pip install`` would have put it in the
environment's prefix.  cpkit itself comes only from the wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
NOT_DEPENDENCIES = re.compile(
    r"^(cpkit|cpkit-.*\.dist-info|__editable__.*|.*\.pth|dask|dask-.*\.dist-info"
    r"|distributed|distributed-.*\.dist-info)$")
PACKAGE_DATA = ("cpkit/resources/notebooks/case.ipynb", "cpkit/resources/forms/index.ipynb",
                "cpkit/resources/reports/minutes/index.html.j2",
                "cpkit/resources/reports/shared/report.css",
                "cpkit/resources/notebooks/training/answer_key.ipynb",
                "cpkit/resources/examples/case_high_physical.json",
                "cpkit/locale/sq/LC_MESSAGES/cpkit.po",
                "cpkit/store/migrations/env.py")


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    return result


def _dependencies_view(folder: Path) -> Path:
    """Links to this environment's installed packages, less cpkit and Dask."""
    folder.mkdir()
    for site in dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib")):
        for entry in Path(site).iterdir():
            if not NOT_DEPENDENCIES.match(entry.name) and not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: building never writes into the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "cpkit", source / "cpkit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))
    dist = work / "dist"
    _run(sys.executable, "-m", "build", "--outdir", dist, source, cwd=work)
    wheel, = dist.glob("cpkit-*.whl")
    sdist, = dist.glob("cpkit-*.tar.gz")

    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
                     ).stdout.strip())
    (site / "cpkit-dependencies.pth").write_text(f"{_dependencies_view(work / 'deps')}\n")
    for part in ("share/jupyter", "etc/jupyter"):
        if (Path(sys.prefix) / part).is_dir():
            (venv / part).parent.mkdir(parents=True, exist_ok=True)
            (venv / part).symlink_to(Path(sys.prefix) / part)
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
         "--no-index", wheel)

    home = work / "home"
    run_dir = work / "run"  # the working folder: not the checkout, not its parent
    run_dir.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CPKIT_", "PYTHON", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(CPKIT_HOME=str(home), HOME=str(work), PYTHONNOUSERSITE="1",
               JUPYTER_DATA_DIR=str(work / "jupyter"), JUPYTER_CONFIG_DIR=str(work / "jcfg"),
               PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return {"work": run_dir, "wheel": wheel, "sdist": sdist, "bin": venv / "bin",
            "env": env, "home": home, "venv": venv}


def cpkit(installed, *args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["bin"] / "cpkit"), *args], cwd=installed["work"],
                          env=installed["env"], capture_output=True, text=True,
                          timeout=timeout)


def test_the_wheel_and_the_sdist_carry_the_package_data(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert [n for n in PACKAGE_DATA if n not in names] == []
    with tarfile.open(installed["sdist"]) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert [n for n in PACKAGE_DATA if n not in inside] == []
    # every packaged resource of the checkout is in the wheel
    resources = {str(p.relative_to(ROOT)) for p in (ROOT / "cpkit" / "resources").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts
                 and ".ipynb_checkpoints" not in p.parts}
    assert sorted(resources - names) == []


def test_the_installed_kit_is_not_the_checkout(installed):
    probe = ("import importlib.util, cpkit, cpkit.cli, cpkit.reports.engine; "
             "print(cpkit.__file__); print(importlib.util.find_spec('distributed'))")
    where, dask = _run(installed["bin"] / "python", "-c", probe, cwd=installed["work"],
                       env=installed["env"]).stdout.split()
    assert where.startswith(str(installed["venv"])) and str(ROOT) not in where
    assert dask == "None"  # the core install brings no Dask


def test_init_demo_render_html_and_pdf(installed):
    for args in (["init"], ["demo"]):
        result = cpkit(installed, *args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    listed = cpkit(installed, "list", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split(",") for line in listed.stdout.splitlines()[1:] if line]
    # cases under review have an agreed care plan: try them first
    codes = [row[0] for row in sorted(rows, key=lambda row: row[2] != "review")]
    assert codes
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
    assert "Care plan" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_dask_is_optional_and_says_how_to_install_it(installed):
    cpkit(installed, "init")
    result = cpkit(installed, "render", "--all", "--report", "minutes", "--scheduler",
                   "tcp://127.0.0.1:9")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "pip install 'cpkit[dask]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_answers_with_its_token(installed):
    cpkit(installed, "init")
    server = subprocess.Popen([str(installed["bin"] / "cpkit"), "serve", "--no-browser",
                               "--port", str(_free_port())], cwd=installed["work"],
                              env=installed["env"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        url = _printed_url(server)
        assert "?token=" in url
        with urllib.request.urlopen(url, timeout=300) as response:
            page = response.read().decode("utf-8", errors="replace")
        assert response.status == 200 and "<title>index</title>" in page
        assert "application/vnd.jupyter.widget-view+json" in page  # the landing widget ran
        assert "There was an error when executing" not in page
        with urllib.request.urlopen(url.split("?")[0], timeout=120) as refused:  # no token
            assert "/login" in refused.url and "widget-view" not in refused.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            assert server.wait(timeout=60) == 0
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise
    with pytest.raises(OSError):  # Voila stopped with it
        urllib.request.urlopen(url.split("?")[0], timeout=5)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _printed_url(server: subprocess.Popen, timeout: float = 400) -> str:
    """The address ``cpkit serve`` prints once its landing page can answer."""
    import threading

    watchdog = threading.Timer(timeout, os.killpg, (server.pid, signal.SIGKILL))
    watchdog.start()  # a server that neither prints nor stops is ended, so readline returns
    try:
        for line in server.stdout:
            found = re.search(r"https?://\S+", line)
            if found:
                return found.group(0)
    finally:
        watchdog.cancel()
    raise AssertionError(f"cpkit serve printed no address (exit {server.wait()})")
