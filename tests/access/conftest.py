"""A store with cases of two agencies, a training case and one user of every role.

Users (login name -> role):  ada admin, sara supervisor, arta case manager of
PR-2026-0001 ("Arta Morina"), edi agency member of education, prob agency member of
probation, tina trainer.  Cases: PR-2026-0001 (education involved, not probation),
PE-2026-0001 (education and probation), FE-2026-0001 (neither), TR-2026-9001
(training, education involved).
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from cpkit.access import Guard
from cpkit.exchange import load_case
from cpkit.store import Store
from tests.conftest import fixture_document

USERS = {
    "ada": (["admin"], None, None),
    "sara": (["supervisor"], None, None),
    "arta": (["case_manager"], None, "Arta Morina"),
    "edi": (["agency_member"], "education", None),
    "prob": (["agency_member"], "probation", None),
    "tina": (["trainer"], None, None),
}
LIVE = ["PR-2026-0001", "PE-2026-0001", "FE-2026-0001"]
TRAINING = "TR-2026-9001"


def training_case():
    document = fixture_document("case_medium_neglect.json")
    document.update(case_id=TRAINING, training=True)
    return load_case(document)


def identities() -> dict[str, list[str]]:
    """Case code -> identifying values of its child (names, birth date, address)."""
    out = {}
    for name in ("case_high_physical.json", "case_probation.json", "case_unaccompanied.json"):
        doc = fixture_document(name)
        child = doc["child"]
        out[doc["case_id"]] = [child["given_name"], child["family_name"],
                               child["date_of_birth"], child["address"]]
    child = fixture_document("case_medium_neglect.json")["child"]
    out[TRAINING] = [child["given_name"], child["family_name"], child["date_of_birth"],
                     child["address"]]
    return out


def populate(store: Store) -> None:
    cases = [load_case(fixture_document(n)) for n in
             ("case_high_physical.json", "case_probation.json", "case_unaccompanied.json")]
    store.import_cases([*cases, training_case()], actor="fixtures")
    boss = Guard.for_user(store, "setup")
    for name, (roles, agency, display) in sorted(USERS.items(),
                                                 key=lambda item: item[0] != "ada"):
        boss.add_user(name, roles, agency, display)
        boss = Guard.for_user(store, "ada")


@pytest.fixture
def access_store(cpkit_home) -> Store:
    """The default store of this test's CPKIT_HOME (what the CLI opens), populated."""
    store = Store()
    populate(store)
    yield store
    store.close()


@pytest.fixture
def task_force(store: Store) -> Store:
    """The store (SQLite, or PostgreSQL where the test runs both) with the users and cases
    of this module's Task Force."""
    populate(store)
    return store


def guard_for(store: Store, user: str) -> Guard:
    return Guard.for_user(store, user)


AUDIT_COLUMNS = "actor, action, case_id, case_version, detail, origin, typeof(at), length(at)"
# PostgreSQL: the detail as the json column keeps its text, the time's type
PG_AUDIT_COLUMNS = "actor, action, case_id, case_version, detail::text, origin, pg_typeof(at)"


def both_roads(monkeypatch, args: list[str], user: str, store: Store | None = None
               ) -> tuple:
    """A command's (exit status, stdout, stderr, audit rows written, the last of them) on
    the lean road (early refusals, lean reads), then on the Guard's only: what the lean
    road answers must be what the Guard would.  On the CLI's default store, or on
    ``store`` (either database: the command is pointed at it with CPKIT_DB)."""
    from sqlalchemy import text

    from cpkit.access import lean_read, refusals
    from cpkit.cli import main
    from cpkit.paths import database_url

    runner = CliRunner()
    if store is None:
        conn = sqlite3.connect(database_url().removeprefix("sqlite:///"))
        columns = AUDIT_COLUMNS

        def query(sql: str):
            return conn.execute(sql).fetchone()
    else:
        monkeypatch.setenv("CPKIT_DB", store.url)
        columns = PG_AUDIT_COLUMNS if store.url.startswith("postgresql") else AUDIT_COLUMNS
        conn = store.engine.connect()

        def query(sql: str):
            conn.rollback()  # a snapshot taken after the command ran
            found = conn.execute(text(sql)).fetchone()
            return tuple(found) if found is not None else None
    found = []
    for lean in (True, False):
        with monkeypatch.context() as patch:
            if not lean:
                patch.setattr(refusals, "open_lean", lambda user=None: None)
                patch.setattr(lean_read, "open_lean", lambda user=None: None)
            before = query("SELECT count(*) FROM audit")[0]
            done = runner.invoke(main, args, env={"CPKIT_USER": user})
            rows = query("SELECT count(*) FROM audit")[0] - before
            last = query(f"SELECT {columns} FROM audit ORDER BY id DESC LIMIT 1")
            found.append((done.exit_code, done.stdout, done.stderr, rows,
                          last if rows else None))
    conn.close()
    return found[0], found[1]
