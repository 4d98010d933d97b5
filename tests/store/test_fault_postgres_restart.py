"""The PostgreSQL server stopped and started again under saves, for real (#19 faults,
#18 item 5), on a private server of this test's own (the shared test server is never
touched): each save is either committed or reported as failed in words, nothing is
half-written, saves succeed again once the server is back, a form's draft is kept;
afterwards ``cpkit check`` finds the store sound and a full export holds every
committed save."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.forms import drafts
from cpkit.store import Store
from tests.conftest import fixture_case

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
CASE = "PR-2026-0001"
UNREACHABLE = "cannot be reached"

WRITER = """
import sys, time
from cpkit.access import Guard
from cpkit.errors import CpkitError
from cpkit.store import Store

store = Store(sys.argv[1])
guard = Guard.for_user(store, "writer")
for i in range(int(sys.argv[2])):
    def add(case, i=i):
        case.assessment.needs = [*case.assessment.needs, f"note {i}"]
    try:
        guard.update("PR-2026-0001", add)
        print(f"ok {i}", flush=True)
    except CpkitError as err:
        print(f"failed {i} {err}", flush=True)
    time.sleep(0.05)
"""


def _as_postgres(*args: str) -> subprocess.CompletedProcess:
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class PrivateServer:
    """A PostgreSQL server in a temporary folder, on a free loopback port."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()])
        if not bins:
            pytest.fail("PostgreSQL is not installed (make system-deps)")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="cpkit-pg-fault-"))
        self.dir.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        done = _as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                            "--auth=trust", "-E", "UTF8")
        assert done.returncode == 0, done.stderr
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        done = _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                            str(self.dir / "server.log"), "-w", "-o",
                            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir}",
                            "start")
        assert done.returncode == 0, done.stderr + done.stdout

    def stop(self, mode: str = "fast") -> None:
        done = _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode,
                            "-w", "stop")
        assert done.returncode == 0, done.stderr + done.stdout

    def remove(self) -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                     "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def server():
    found = PrivateServer()
    found.start()
    yield found
    found.remove()


def cli(url: str, *args: str):
    return CliRunner().invoke(main, list(args), env={"CPKIT_DB": url})


def test_saves_through_a_server_stop_and_start(server, cpkit_home):
    store = Store(server.url)
    store.import_cases([fixture_case("case_high_physical.json"),
                        fixture_case("case_minimal.json")], actor="fixtures")
    first = store.get(CASE)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, server.url, "120"], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    lines: list[str] = []

    def read_until(condition) -> None:
        while not condition():
            line = writer.stdout.readline()
            if not line:
                raise AssertionError(f"the writer ended: {writer.stderr.read()[-2000:]}")
            lines.append(line.strip())

    try:
        read_until(lambda: sum(line.startswith("ok") for line in lines) >= 10)
        server.stop("fast")  # every connection cut, saves in flight included
        read_until(lambda: sum(line.startswith("failed") for line in lines) >= 3)
        server.start()
        # Read through the same buffered pipe as above (communicate() would skip what
        # readline() has already buffered); the writer ends by itself.
        rest = writer.stdout.read()
        err = writer.stderr.read()
        writer.wait(timeout=300)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    lines += rest.split("\n")
    assert writer.returncode == 0, err[-2000:]
    ok = [int(line.split()[1]) for line in lines if line.startswith("ok")]
    failed = [line for line in lines if line.startswith("failed")]
    assert all(UNREACHABLE in line and "Traceback" not in line for line in failed), failed
    failed_ids = {int(line.split()[1]) for line in failed}
    assert len(ok) + len(failed_ids) == 120, [x for x in lines if x and
                                              not x.startswith(("ok", "failed"))]
    assert max(failed_ids) < 119 and 119 in ok  # saves work again after the restart

    store.close()
    store = Store(server.url)  # a fresh process's view
    record = store.get(CASE)
    notes = [int(n.split()[1]) for n in record.case.assessment.needs if n.startswith("note ")]
    # Every committed save is there, once, in order; nothing else came in from nowhere.
    assert set(ok) <= set(notes) <= set(ok) | failed_ids
    assert notes == sorted(set(notes))
    assert record.version == first.version + len(notes)
    versions = [r.version for r, _at, _by in store.history(CASE)]
    assert versions == list(range(1, record.version + 1))
    checked = cli(server.url, "check")
    assert checked.exit_code == 0, checked.output
    exported = cli(server.url, "export", CASE)
    assert exported.exit_code == 0, exported.output
    assert [n for n in json.loads(exported.stdout)["assessment"]["needs"]
            if n.startswith("note ")] == [f"note {i}" for i in notes]
    store.close()


def test_a_form_saved_while_the_server_is_down_keeps_its_draft(server, cpkit_home):
    from cpkit.forms.wellbeing import WellbeingForm

    store = Store(server.url)
    store.import_cases([fixture_case("case_minimal.json")], actor="fixtures")
    code = "MI-2026-0001"
    before = store.get(code)
    form = WellbeingForm(code, store=store)
    field = next(f for f in form.all_fields() if f.path == "assessment.wellbeing.safety.notes")
    field.widget.value = "Left alone at night."
    assert drafts.read(form.user, code, form.draft_key) is not None
    server.stop("immediate")
    assert not form.save()
    assert UNREACHABLE in form.status.value and "Traceback" not in form.status.value
    assert drafts.read(form.user, code, form.draft_key).document is not None  # kept
    server.start()
    assert form.save(), form.status.value  # the same form, the same pooled engine
    saved = store.get(code)
    assert saved.version == before.version + 1
    assert saved.case.assessment.wellbeing.safety.notes == "Left alone at night."
    assert drafts.read(form.user, code, form.draft_key) is None
    checked = cli(server.url, "check")
    assert checked.exit_code == 0, checked.output
    store.close()
