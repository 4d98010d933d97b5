"""``cpkit backup`` / ``cpkit restore`` are for admins only (the access policy decides,
as for ``rotate-key``), audited, and round-trip a store with users on SQLite and
PostgreSQL, compared by full exports."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.store import Store
from tests.access.conftest import populate


def run(user, *args, db=None):
    env = {"CPKIT_USER": user, **({"CPKIT_DB": db} if db else {})}
    return CliRunner().invoke(main, list(args), env=env)


def full_export(user, db=None) -> list:
    done = run(user, "export", "--all", db=db)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def users_store(request, cpkit_home):
    """A store with a user of every role, as the CLI opens it (``None``: the default
    SQLite file of CPKIT_HOME, else a PostgreSQL URL)."""
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = Store(url)
    populate(store)
    yield store, url
    store.close()


def test_only_an_admin_backs_up_and_restores(users_store, tmp_path):
    store, db = users_store
    folder = tmp_path / "backup"
    for user in ("sara", "arta", "edi"):
        refused = run(user, "backup", str(folder), db=db)
        assert refused.exit_code == 1, refused.output
        assert "may not back up or restore the store" in refused.output
        assert not folder.exists() and "Traceback" not in refused.output
    made = run("ada", "backup", str(folder), db=db)
    assert made.exit_code == 0, made.output
    before = full_export("sara", db)

    changed = run("arta", "meeting", "plan", "PR-2026-0001", "--date", "2027-01-15",
                  "--kind", "review", db=db)
    assert changed.exit_code == 0, changed.output
    assert full_export("sara", db) != before
    after_change = store.get("PR-2026-0001").version
    refused = run("sara", "restore", str(folder), "--yes", db=db)
    assert refused.exit_code == 1 and "may not back up or restore" in refused.output
    assert store.get("PR-2026-0001").version == after_change  # nothing restored

    restored = run("ada", "restore", str(folder), "--yes", db=db)
    assert restored.exit_code == 0, restored.output
    assert full_export("sara", db) == before
    checked = run("ada", "check", db=db)
    assert checked.exit_code == 0, checked.output
    actions = [(r["actor"], r["action"]) for r in store.audit_rows()]
    assert ("ada", "restore") in actions
    assert ("ada", "backup") not in actions  # its row came after the copy was taken


def test_only_an_admin_repairs(users_store, tmp_path):
    """``cpkit check`` is for anyone who may use the store; ``--repair`` (it renames and
    removes files of interrupted renders) for admins only, refused before any change."""
    store, db = users_store
    folder = tmp_path / "reports"
    folder.mkdir()
    stray = folder / ".cpkit-left-by-a-kill.part"
    stray.write_bytes(b"<html>")
    from cpkit.store.reports import add_report

    report = folder / "PR-2026-0001_minutes.html"
    report.write_bytes(b"<html>kept</html>")
    add_report(store, case_id="PR-2026-0001", case_version=1, kind="minutes", fmt="html",
               lang="en", redacted=True, meeting_date=None, path=str(report),
               sha256=hashlib.sha256(b"<html>kept</html>").hexdigest(), actor="fixtures")
    checked = run("sara", "check", db=db)
    assert checked.exit_code == 1 and "a temporary file of an interrupted" in checked.output
    refused = run("sara", "check", "--repair", db=db)
    assert refused.exit_code == 1 and "may not repair the store" in refused.output
    assert stray.exists() and "Traceback" not in refused.output
    repaired = run("ada", "check", "--repair", db=db)
    assert repaired.exit_code == 0, repaired.output
    assert "repaired: reports/.cpkit-left-by-a-kill.part" in repaired.output
    assert not stray.exists() and report.exists()
