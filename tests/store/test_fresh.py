"""A new SQLite store is made from the template of an empty migrated store
(``cpkit.store.fresh``): the same store as one migrated, without Alembic; a template
that cannot be used is left aside and the store migrated."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from cpkit.store import Store, fresh
from cpkit.store.repository import NotAStore
from cpkit.store.schema import cases
from tests.conftest import CASE_FILES, fixture_case


@pytest.fixture(autouse=True)
def templates(tmp_path, monkeypatch):
    """A template folder of this test's own, empty."""
    monkeypatch.setenv("CPKIT_STORE_TEMPLATES", str(tmp_path / "templates"))
    fresh.template.cache_clear()
    yield tmp_path / "templates"
    fresh.template.cache_clear()


def made(path) -> Store:
    return Store(f"sqlite:///{path}")


def schema(path) -> dict:
    """What a store file holds, but its data: every table, index and trigger and its
    SQL, the migration stamp and the store's own settings."""
    with sqlite3.connect(path) as conn:
        found = {"schema": sorted(conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())}
        found["stamp"] = conn.execute("SELECT * FROM alembic_version").fetchall()
        found["meta"] = conn.execute("SELECT * FROM store_meta ORDER BY name").fetchall()
        found["pragmas"] = [conn.execute(f"PRAGMA {p}").fetchone()
                            for p in ("journal_mode", "page_size", "user_version")]
    return found


def no_migrations(monkeypatch) -> None:
    from alembic import command

    def refused(*_args, **_kwargs):
        raise AssertionError("migrated")

    monkeypatch.setattr(command, "upgrade", refused)


def test_the_second_new_store_is_the_template_and_equals_a_migrated_one(
        tmp_path, templates, monkeypatch):
    first = made(tmp_path / "first.db")
    first.close()
    kept = fresh.template()
    assert kept.parent == templates and kept.exists()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    no_migrations(monkeypatch)
    second = made(tmp_path / "second.db")
    assert second.at_head()
    second.close()
    assert stat.S_IMODE((tmp_path / "second.db").stat().st_mode) == 0o600
    assert schema(tmp_path / "second.db") == schema(tmp_path / "first.db")
    second = made(tmp_path / "second.db")
    stored = second.create(fixture_case(CASE_FILES[0]), actor="arta")
    assert second.get(stored.case.case_id).version == 1
    assert second.verify_audit().intact
    second.close()
    with sqlite3.connect(kept) as conn:  # what was stored went to the store only
        assert conn.execute(f"SELECT count(*) FROM {cases.name}").fetchone() == (0,)


@pytest.mark.parametrize("damage", ["garbage", "older schema"])
def test_a_template_that_cannot_be_used_is_left_aside(tmp_path, templates, monkeypatch,
                                                       damage):
    made(tmp_path / "first.db").close()
    kept = fresh.template()
    if damage == "garbage":
        kept.write_bytes(b"not a database" * 100)
    else:
        with sqlite3.connect(kept) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0014'")
    second = made(tmp_path / "second.db")
    assert second.at_head()
    second.close()
    assert schema(tmp_path / "second.db") == schema(tmp_path / "first.db")


def test_a_store_that_is_not_new_is_never_overwritten(tmp_path, templates):
    made(tmp_path / "first.db").close()
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE mine (x)")
    with pytest.raises(NotAStore):
        made(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("mine",)]


def test_a_store_made_meanwhile_is_never_made_again(tmp_path, templates):
    """Two processes making one new store: the second finds it made (in its one write
    transaction) and leaves it, and what the first wrote since, as it is."""
    made(tmp_path / "first.db").close()
    path = tmp_path / "raced.db"
    first = made(path)
    stored = first.create(fixture_case(CASE_FILES[0]), actor="arta")
    first.close()
    with sqlite3.connect(path) as conn:
        assert fresh.copy_into(conn) is False
        assert conn.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    again = made(path)
    assert again.get(stored.case.case_id).version == 1
    again.close()
