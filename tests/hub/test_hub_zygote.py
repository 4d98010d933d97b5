"""The hub's zygote and the launcher that forks from it: real processes, no hub needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from cpkit.hub import zygote
from cpkit.serve_launch import ZYGOTE_ENV

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A hub folder with its zygote running (warmed up); stopped afterwards."""
    folder = tmp_path_factory.mktemp("hub")
    folder.chmod(0o700)
    pid = zygote.start(folder)
    deadline = time.monotonic() + 120
    while not zygote.socket_path(folder).exists():
        assert psutil.pid_exists(pid), (folder / zygote.LOG_NAME).read_text()
        assert time.monotonic() < deadline, "the zygote did not warm up"
        time.sleep(0.1)
    yield folder
    zygote.stop(folder)
    assert psutil.wait_procs([psutil.Process(pid)], timeout=30)[1] == []


def launch(folder: Path | None, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(ZYGOTE_ENV, None)
    if folder is not None:
        env[ZYGOTE_ENV] = str(zygote.socket_path(folder))
    return subprocess.Popen([sys.executable, "-m", "cpkit.serve_launch", *args], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


SERVE = "http.server", "0", "--bind", "127.0.0.1"  # a module that runs until stopped


def forked_child(folder: Path, launcher: subprocess.Popen) -> psutil.Process:
    """The process the zygote forked for ``launcher``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        asked = [pid for pid, by in zygote.children(folder).items() if by == launcher.pid]
        if asked:
            return psutil.Process(asked[0])
        time.sleep(0.05)
    raise AssertionError("the zygote forked nothing for the launcher")


def test_a_second_start_finds_the_running_zygote(folder):
    assert zygote.start(folder) == zygote.running(folder)
    assert zygote.socket_path(folder).stat().st_mode & 0o077 == 0


def test_the_launched_module_gets_the_launchers_streams_and_exit_status(folder):
    done = launch(folder, "json.tool").communicate('{"fictional": "HX-12"}', timeout=60)
    assert '"fictional": "HX-12"' in done[0]
    failed = launch(folder, "json.tool", "/nonexistent/case.json")
    _out, err = failed.communicate(timeout=60)
    assert failed.returncode == 2 and "/nonexistent/case.json" in err


def test_it_runs_forked_from_the_zygote_in_the_launchers_folder_and_environment(folder,
                                                                               tmp_path):
    probe = ("import os, json; print(json.dumps([os.getcwd(), os.getppid(),"
             " os.environ.get('CPKIT_PROBE')]))")
    (tmp_path / "probe_mod.py").write_text(probe)
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}:{ROOT}", "CPKIT_PROBE": "seen",
           ZYGOTE_ENV: str(zygote.socket_path(folder))}
    out = subprocess.run([sys.executable, "-m", "cpkit.serve_launch", "probe_mod"],
                         env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    import json

    cwd, parent, seen = json.loads(out)
    assert (cwd, parent, seen) == (str(tmp_path), zygote.running(folder), "seen")


def test_a_signal_to_the_launcher_reaches_the_module(folder):
    launcher = launch(folder, *SERVE)
    child = forked_child(folder, launcher)
    assert child.name() == "cpkit-server" and child.ppid() == zygote.running(folder)
    launcher.send_signal(signal.SIGTERM)
    assert launcher.wait(timeout=60) == 128 + signal.SIGTERM
    assert psutil.wait_procs([child], timeout=30)[1] == []


def test_the_module_ends_with_its_launcher_killed_outright(folder):
    launcher = launch(folder, *SERVE)
    child = forked_child(folder, launcher)
    assert zygote.tree(folder, launcher.pid) == [launcher.pid, child.pid]
    launcher.kill()
    launcher.wait(timeout=30)
    assert psutil.wait_procs([child], timeout=30)[1] == []


def test_without_a_zygote_the_module_runs_in_the_launcher(tmp_path):
    launcher = launch(tmp_path, "json.tool")  # names a socket nobody listens on
    out, _err = launcher.communicate('{"a": 1}', timeout=60)
    assert '"a": 1' in out and launcher.returncode == 0
    plain = launch(None, "json.tool")
    assert '"b": 2' in plain.communicate('{"b": 2}', timeout=60)[0]


def test_a_launcher_started_while_the_zygote_warms_up_waits_and_is_forked(tmp_path):
    # a login right after `cpkit hub` started: its server is forked once the zygote
    # listens, not started as a plain Python meanwhile
    folder = tmp_path / "hub"
    folder.mkdir(mode=0o700)
    pid = zygote.start(folder)
    try:
        assert not zygote.socket_path(folder).exists()  # still importing
        probe = "import os; print(os.getppid())"
        (tmp_path / "parent_probe.py").write_text(probe)
        env = {**os.environ, "PYTHONPATH": f"{tmp_path}:{ROOT}",
               ZYGOTE_ENV: str(zygote.socket_path(folder))}
        out = subprocess.run([sys.executable, "-m", "cpkit.serve_launch", "parent_probe"],
                             env=env, capture_output=True, text=True, timeout=180,
                             check=True).stdout
        assert int(out) == pid
    finally:
        zygote.stop(folder)
        if psutil.pid_exists(pid):
            psutil.wait_procs([psutil.Process(pid)], timeout=30)
