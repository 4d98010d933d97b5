"""The blind index in the store: kept on every write, searched without opening a case."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import text

from cpkit.access import Guard
from cpkit.store import Store
from tests.access.conftest import populate
from tests.conftest import fixture_case, fixture_document


def guard(store, user=None):
    return Guard.for_user(store, user)


def test_the_same_child_is_found_across_script_and_spelling(store):
    store.import_cases([fixture_case("case_medium_neglect.json")])  # Đorđe Živković
    found = guard(store).find_child("Ђорђе", "Живковић", born=dt.date(2018, 5, 21))
    assert [(r["case_id"], r["match"]) for r in found] == [("GR-2026-0001", "same")]
    typed_plain = guard(store).find_child("Djordje Zivkovic", None, year=2018)
    assert [r["case_id"] for r in typed_plain] == ["GR-2026-0001"]
    assert guard(store).find_child("Đorđe", "Živković", born=dt.date(2018, 5, 22)) == []


def test_the_index_follows_every_save(store):
    store.import_cases([fixture_case("case_medium_neglect.json")])
    record = store.get("GR-2026-0001")
    case = record.case
    case.child.family_name = "Petrović"
    store.save(case, record.version)
    assert guard(store).find_child("Đorđe Živković", None, year=2018) == []
    assert [r["case_id"] for r in guard(store).find_child("Đorđe Petrović", None,
                                                          year=2018)] == ["GR-2026-0001"]


def test_the_database_holds_tokens_not_names(store):
    store.import_cases([fixture_case("case_medium_neglect.json")])
    child = fixture_document("case_medium_neglect.json")["child"]
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, token FROM identity_index")).all()
    dump = " ".join(f"{k} {t}" for k, t in rows).lower()
    assert rows and {k for k, _ in rows} == {"name", "born", "year", "sex"}
    for value in (child["given_name"], child["family_name"], "zivkovic", "gorge",
                  child["date_of_birth"], "2018"):
        assert value.lower() not in dump


def test_only_cases_the_user_may_list_of_the_municipality_asked_never_training(store):
    populate(store)  # PR, PE, FE live cases, TR training (same child as GR fixture)
    store.import_cases([fixture_case("case_medium_neglect.json")], actor="fixtures")
    child = fixture_document("case_medium_neglect.json")["child"]
    born = dt.date.fromisoformat(child["date_of_birth"])
    search = {"born": born}
    everyone = guard(store, "sara").find_child(child["given_name"], child["family_name"],
                                               **search)
    assert [r["case_id"] for r in everyone] == ["GR-2026-0001"]  # the training copy is not
    assert guard(store, "sara").find_child(child["given_name"], child["family_name"],
                                           municipality="Prishtinë", **search) == []
    # arta manages PR-2026-0001 only: she is told nothing about GR-2026-0001
    assert guard(store, "arta").find_child(child["given_name"], child["family_name"],
                                           **search) == []
    rows = [r for r in store.audit_rows() if r["action"] == "search_known"]
    assert [(r["actor"], r["detail"]["found"]) for r in rows] == [
        ("sara", 1), ("sara", 0), ("arta", 0)]


def test_rotate_key_rebuilds_the_index_with_the_new_key(store):
    store.import_cases([fixture_case("case_medium_neglect.json")])
    with store.engine.connect() as conn:
        before = set(conn.execute(text("SELECT token FROM identity_index")).scalars())
    guard(store).rotate_key()
    with store.engine.connect() as conn:
        after = set(conn.execute(text("SELECT token FROM identity_index")).scalars())
    assert after and before.isdisjoint(after)
    assert [r["case_id"] for r in guard(store).find_child("Đorđe Živković", None,
                                                          year=2018)] == ["GR-2026-0001"]


def test_a_store_made_before_the_index_gets_it_at_upgrade(tmp_path):
    from alembic import command
    from alembic.config import Config

    from cpkit.store.repository import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url)
    old.import_cases([fixture_case("case_medium_neglect.json")])
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")  # the schema before the blind index
        assert "identity_index" not in sa.inspect(conn).get_table_names()
    old.close()
    upgraded = Store(url)
    try:
        assert [r["case_id"] for r in guard(upgraded).find_child(
            "Đorđe Živković", None, year=2018)] == ["GR-2026-0001"]
    finally:
        upgraded.close()
