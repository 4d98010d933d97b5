"""``cpkit backup`` / ``cpkit restore`` are for admins only (the access policy decides,
as for ``rotate-key``), audited, and round-trip a store with users on SQLite and
PostgreSQL, compared by full exports."""

from __future__ import annotations

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
