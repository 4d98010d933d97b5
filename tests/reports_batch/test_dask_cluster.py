"""``cpkit render --all --scheduler tcp://...`` on a real Dask cluster: a ``dask
scheduler`` and two ``dask worker`` processes started here as separate processes, the
store on PostgreSQL, one shared output folder; a worker killed mid-batch loses nothing
and duplicates nothing."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from cpkit import exchange
from cpkit.serve import free_port
from cpkit.store import Store
from cpkit.store.reports import report_rows
from cpkit.store.schema import audit
from tests.conftest import AS_OF, fixture_document

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
CASES = 12
BIN = Path(sys.executable).parent


def codes() -> list[str]:
    return [f"PR-2026-{n:04d}" for n in range(101, 101 + CASES)]


@pytest.fixture
def cluster_env(pg_url, cpkit_home, tmp_path):
    """The environment of the scheduler, the workers and the CLI: one store on
    PostgreSQL holding a dozen cases with a CMR, one key, one output folder."""
    store = Store(pg_url)
    document = fixture_document("case_high_physical.json")
    store.import_cases([exchange.load_case({**document, "case_id": code})
                        for code in codes()], actor="fixtures")
    store.close()
    env = {**os.environ, "CPKIT_DB": pg_url, "CPKIT_HOME": str(cpkit_home),
           "CPKIT_USER": "test-assessor", "PYTHONPATH": str(ROOT),
           "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    return env


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cluster(cluster_env, tmp_path):
    """A scheduler and two workers, each its own process group on loopback."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs = []

    def start(name, args):
        with open(logs / f"{name}.log", "wb") as log:
            procs.append(subprocess.Popen(args, env=cluster_env, stdout=log, stderr=log,
                                          start_new_session=True, cwd=tmp_path))
        return procs[-1]

    start("scheduler", [str(BIN / "dask"), "scheduler",
                        "--host", "127.0.0.1", "--port", str(port),
                        "--no-dashboard", "--no-show"])
    workers = [start(f"worker{i}", [str(BIN / "dask"), "worker",
                                    address, "--host", "127.0.0.1", "--nthreads", "1",
                                    "--no-nanny", "--no-dashboard",
                                    "--name", f"worker{i}"])
               for i in range(2)]
    from distributed import Client

    try:
        with Client(address, set_as_default=False, timeout=60) as client:
            _wait_for(lambda: len(client.scheduler_info()["workers"]) == 2, 90,
                      "two Dask workers")
            yield address, workers, client, logs
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def render_all(env, address, out) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "cpkit"), "render", "--all", "--report", "minutes",
         "--scheduler", address, "-o", str(out), "--as-of", AS_OF.isoformat()],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def render_events(url) -> Counter:
    store = Store(url, migrate=False)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select(audit.c.case_id).where(audit.c.action == "render"))
            return Counter(r.case_id for r in rows)
    finally:
        store.close()


def rows_by_case(url) -> Counter:
    store = Store(url, migrate=False)
    try:
        return Counter(r["case_id"] for r in report_rows(store))
    finally:
        store.close()


def check_exactly_once(env, out, stdout):
    paths = [Path(line) for line in stdout.split()]
    assert sorted(p.parent.name for p in paths) == codes()
    for path in paths:
        assert path.is_file() and path.is_relative_to(out)
        assert path.stat().st_mode & 0o777 == 0o600
        assert "Ëndrina" not in path.read_text(encoding="utf-8")  # redacted by default
    assert rows_by_case(env["CPKIT_DB"]) == Counter({c: 1 for c in codes()})
    assert render_events(env["CPKIT_DB"]) == Counter({c: 1 for c in codes()})


def test_render_all_on_a_scheduler_and_two_worker_processes(cluster_env, cluster, tmp_path):
    address, _workers, client, _logs = cluster
    out = tmp_path / "shared-reports"
    proc = render_all(cluster_env, address, out)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert f"{CASES} rendered, 0 skipped, 0 failed ({CASES} cases)" in stderr
    check_exactly_once(cluster_env, out, stdout)
    # both workers took part: each left its kernel's work folder in the batch
    info = client.scheduler_info()["workers"]
    assert len(info) == 2


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
        cluster_env, cluster, tmp_path):
    address, workers, client, logs = cluster
    out = tmp_path / "shared-reports"
    proc = render_all(cluster_env, address, out)
    try:
        # once reports are being recorded, kill a worker that holds cases right now
        _wait_for(lambda: sum(rows_by_case(cluster_env["CPKIT_DB"]).values()) >= 1, 300,
                  "the first recorded report")
        busy = _wait_for(lambda: [a for a, tasks in client.processing().items() if tasks],
                         60, "a busy worker")
        name = client.scheduler_info()["workers"][busy[0]]["name"]
        victim = workers[int(str(name).removeprefix("worker"))]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert f"{CASES} rendered, 0 skipped, 0 failed ({CASES} cases)" in stderr
    assert len(client.scheduler_info()["workers"]) == 1
    check_exactly_once(cluster_env, out, stdout)
