"""The identity key under attack, for real: a wrong key, a deleted key file, rotate-key
while another process saves, kill -9 at rotate-key's rename, store files that are not
stores (zero-length included).  Each is refused in words, and nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cpkit import crypto
from cpkit.access import Guard
from cpkit.cli import main
from cpkit.store import Store
from cpkit.store.integrity import check_key_and_audit
from tests.conftest import FIXTURES, fixture_case

REPO = Path(__file__).resolve().parents[2]
MISMATCH = "the key in use is not this store's key"


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def codes_exported(env: dict | None = None) -> list[str]:
    result = cli("export", "--all", env=env)
    assert result.exit_code == 0, result.output
    return [c["case_id"] for c in json.loads(result.stdout)]


def test_a_write_with_another_key_is_refused_and_the_store_keeps_one_key(cpkit_home):
    assert cli("import", str(FIXTURES / "case_high_physical.json")).exit_code == 0
    wrong = cli("import", str(FIXTURES / "case_minimal.json"),
                env={"CPKIT_KEY": crypto.new_key_text()})
    assert wrong.exit_code == 1 and MISMATCH in wrong.stderr
    assert "Traceback" not in wrong.output
    assert codes_exported() == ["PR-2026-0001"]
    store = Store()
    assert check_key_and_audit(store)[0].ok
    store.close()


def test_a_deleted_key_file_is_never_replaced_by_a_new_key(cpkit_home):
    assert cli("import", str(FIXTURES / "case_high_physical.json")).exit_code == 0
    key = cpkit_home / "key"
    kept = key.read_text()
    key.unlink()
    for args in (["import", str(FIXTURES / "case_minimal.json")], ["init"],
                 ["show", "PR-2026-0001"], ["export", "--all"], ["rotate-key"]):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert MISMATCH in result.stderr and f"{key} does not exist" in result.stderr, args
        assert not key.exists(), f"{args} created a new key"
    for args in (["list"], ["deadlines"], ["check"]):  # nothing sealed read: no key made
        cli(*args)
        assert not key.exists(), f"{args} created a new key"
    key.write_text(kept)
    assert codes_exported() == ["PR-2026-0001"]
    assert "Ëndrina" in cli("show", "PR-2026-0001").stdout


def test_a_new_key_only_for_an_empty_store(cpkit_home):
    assert cli("init").exit_code == 0
    assert (cpkit_home / "key").exists()
    (cpkit_home / "key").unlink()
    assert cli("init").exit_code == 0  # still empty: nothing sealed, a new key is fine
    assert cli("import", str(FIXTURES / "case_minimal.json")).exit_code == 0


SAVER = """
import sys
from pathlib import Path
from cpkit.store import Store
from cpkit.errors import Conflict
store = Store()
progress, stop = Path(sys.argv[1]), Path(sys.argv[2])
saved = []
while not stop.exists():
    record = store.get("PR-2026-0001")
    note = f"note {len(saved)}"
    record.case.assessment.needs.append(note)
    try:
        store.save(record.case, record.version, actor="saver")
    except Conflict:
        continue
    saved.append(note)
    progress.with_suffix(".tmp").write_text(str(len(saved)))
    progress.with_suffix(".tmp").replace(progress)
print(len(saved))
"""


def saves_so_far(progress: Path, saver: subprocess.Popen, at_least: int) -> int:
    """Wait (however long a busy machine takes) until the saver has saved ``at_least``."""
    deadline = time.time() + 300
    while True:
        count = int(progress.read_text()) if progress.exists() else 0
        if count >= at_least:
            return count
        assert saver.poll() is None, saver.stderr.read()
        assert time.time() < deadline, f"the saver saved {count} in 300 s"
        time.sleep(0.05)


def child_env(**extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def test_rotate_key_while_another_process_saves(store_url, cpkit_home, tmp_path):
    store = Store(store_url)
    store.import_cases([fixture_case("case_high_physical.json"),
                        fixture_case("case_probation.json")])
    progress, stop = tmp_path / "progress", tmp_path / "stop"
    saver = subprocess.Popen([sys.executable, "-c", SAVER, str(progress), str(stop)],
                             env=child_env(CPKIT_DB=store_url), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    keys = set()
    try:
        done = saves_so_far(progress, saver, 3)
        for _round in range(3):
            count, _ = Guard.for_user(store).rotate_key()
            assert count == 2
            keys.add((cpkit_home / "key").read_text())
            # the saver goes on saving with the key it finds, between and during rotations
            done = saves_so_far(progress, saver, done + 1)
    finally:
        stop.touch()
        out, err = saver.communicate(timeout=120)
    assert saver.returncode == 0, err
    saved = int(out)
    assert saved > 3 and len(keys) == 3
    findings = check_key_and_audit(store)
    assert all(f.ok for f in findings), [str(f) for f in findings]
    needs = store.get("PR-2026-0001").case.assessment.needs
    assert [n for n in needs if n.startswith("note ")] == [f"note {i}" for i in range(saved)]
    assert len(list(store.records())) == 2
    store.close()


KILLED_AT_RENAME = """
import os, signal, sys
real = os.replace
def dying(source, target, *args, **kwargs):
    if str(source).endswith("key.new") and str(target).endswith("key"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target, *args, **kwargs)
os.replace = dying
from cpkit.cli import main
sys.argv = ["cpkit", "rotate-key"]
main()
"""


def test_kill_9_at_rotate_keys_rename_loses_nothing(cpkit_home):
    assert cli("import", str(FIXTURES / "case_high_physical.json")).exit_code == 0
    old = (cpkit_home / "key").read_text()
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_RENAME], env=child_env(),
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    staged = cpkit_home / "key.new"
    assert (cpkit_home / "key").read_text() == old and staged.exists()
    # Every read and write finds the committed key by its fingerprint ...
    assert "Ëndrina" in cli("show", "PR-2026-0001").stdout
    assert cli("import", str(FIXTURES / "case_minimal.json")).exit_code == 0
    assert codes_exported() == ["MI-2026-0001", "PR-2026-0001"]
    # ... and the check finishes the rotation.
    store = Store()
    found = check_key_and_audit(store)
    assert not found[0].ok and not found[0].repaired and "check --repair" in found[0].message
    repaired = check_key_and_audit(store, repair=True)
    assert repaired[0].repaired and all(f.ok for f in repaired[1:])
    assert (cpkit_home / "key").read_text() != old and not staged.exists()
    assert (crypto.current_key(create=False).fingerprint == store.key_fingerprint())
    assert codes_exported() == ["MI-2026-0001", "PR-2026-0001"]
    store.close()


def test_a_stale_staged_key_from_an_uncommitted_rotation_is_removed(cpkit_home):
    assert cli("import", str(FIXTURES / "case_minimal.json")).exit_code == 0
    crypto.write_key_file(cpkit_home / "key.new", crypto.new_key_text())
    store = Store()
    found = check_key_and_audit(store, repair=True)
    assert found[0].repaired and "never committed" in found[0].message
    assert not (cpkit_home / "key.new").exists()
    store.close()


@pytest.mark.parametrize("content", [b"", b"my notes, not a database\n"],
                         ids=["zero-length", "text"])
def test_a_store_file_that_is_not_a_store_is_refused_never_replaced(cpkit_home, content):
    cpkit_home.mkdir(parents=True, exist_ok=True)
    path = cpkit_home / "cases.db"
    path.write_bytes(content)
    past = time.time() - 60
    os.utime(path, (past, past))
    for args in (["list"], ["init"], ["user", "add", "mallory", "--role", "admin"],
                 ["import", str(FIXTURES / "case_minimal.json")]):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "is not a cpkit case store" in result.stderr
        assert "Traceback" not in result.output
    assert path.read_bytes() == content


def test_another_programs_database_is_refused(cpkit_home, store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
    engine.dispose()
    result = cli("list", env={"CPKIT_DB": store_url})
    assert result.exit_code == 1 and "it holds other tables" in result.stderr
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invoices")).scalar() == 0
        tables = conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'" if "sqlite" in store_url
            else "SELECT tablename FROM pg_tables WHERE schemaname='public'")).scalars().all()
    engine.dispose()
    assert set(tables) == {"invoices"}
