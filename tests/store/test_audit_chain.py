"""The audit trail's hash chain: forged, changed and removed rows are found; TRUNCATE is
refused on PostgreSQL; rows written before the chain existed are chained by the
migration; concurrent writers never fork the chain."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from cpkit.store import Store, chain
from cpkit.store.integrity import check_audit
from cpkit.store.repository import MIGRATIONS
from tests.conftest import fixture_case, migrate_down_and_up

REPO = Path(__file__).resolve().parents[2]


def busy_store(url: str) -> Store:
    store = Store(url)
    store.import_cases([fixture_case("case_high_physical.json"),
                        fixture_case("case_minimal.json")], actor="arta")
    record = store.get("PR-2026-0001")
    record.case.assessment.needs.append("a quiet room")
    store.save(record.case, record.version, actor="arta")
    store.record_event("export", "PR-2026-0001", {"purpose": "export"}, "sara")
    return store


def test_the_chain_is_intact_after_ordinary_work(store):
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    store.record_event("export", "PR-2026-0001", None, "sara")
    report = store.verify_audit()
    assert report.intact and report.rows == 2 and len(report.head) == 64
    assert check_audit(store).ok



def test_rows_hashed_by_the_database_follow_from_their_text(store):
    """On PostgreSQL the hash is computed in SQL (migration 0012): texts beyond ASCII,
    nested details, numbers, several rows of one write and an empty detail hash as
    :func:`cpkit.store.chain.chain_hash` recomputes them."""
    store.import_cases([fixture_case("case_high_physical.json"),
                        fixture_case("case_minimal.json")], actor="Arbër Çela")
    store.record_event("export", "PR-2026-0001", {
        "note": "Ëndrina — Ђурђевић 😀 \"quoted\" \\ tab\t", "n": 1.5, "big": 10 ** 20,
        "nested": {"b": [1, None, True], "a": "z"}}, "Сара")
    store.record_event("search", None, {}, "sara")
    report = store.verify_audit()
    assert report.intact and report.rows == 4
    rows = store.audit_rows()
    assert rows[0]["actor"] == "Arbër Çela" and rows[2]["actor"] == "Сара"
    assert rows[2]["detail"]["nested"] == {"b": [1, None, True], "a": "z"}
    assert rows[-1]["hash"] == report.head


@pytest.mark.postgres
def test_the_append_migration_downgrades_and_upgrades(pg_url):
    """0012 adds ``cpkit_audit_append()``; a downgrade to 0011 drops it and keeps
    ``cpkit_audit_head()``; the upgrade brings it back and the chain goes on."""
    store = busy_store(pg_url)
    migrate_down_and_up(store, "0011", "cpkit_audit_append", kept=("cpkit_audit_head",))
    store.record_event("export", "PR-2026-0001", None, "sara")
    report = store.verify_audit()
    assert report.intact and report.rows == 5
    store.close()


@pytest.mark.postgres
def test_the_append_reads_its_arrays_once_and_chains_as_before(pg_url):
    """0015 unpacks ``cpkit_audit_append()``'s JSON arrays once (0012 indexed them per
    row, quadratic in the rows of one write); a downgrade to 0014 puts 0012's body
    back.  Rows appended by either body, several in one write with empty codes,
    versions and details among them, keep their order and chain as before."""
    store = busy_store(pg_url)
    body = text("SELECT prosrc FROM pg_proc WHERE proname = 'cpkit_audit_append'")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        assert "json_array_elements" in conn.execute(body).scalar()
        config.attributes["connection"] = conn
        command.downgrade(config, "0014")
        assert "->> (i - 1)" in conn.execute(body).scalar()
    store.record_event("export", "PR-2026-0001", None, "sara")
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        assert "json_array_elements" in conn.execute(body).scalar()
    store.import_cases([fixture_case("case_minimal.json").model_copy(
        update={"case_id": code}) for code in ("PR-2026-0101", "PR-2026-0102")],
        actor="arta")
    with store.engine.begin() as conn:
        conn.execute(text(f"SELECT {chain.APPEND_CALL}"), chain.append_params(
            [("PR-2026-0101", 1, {"n": 1}), (None, None, None), ("PR-2026-0102", 2, {})],
            "sara", "search", dt.datetime.now(dt.UTC), "test"))
    report = store.verify_audit()
    assert report.intact and report.rows == 10
    rows = store.audit_rows()[-5:]
    assert [(r["case_id"], r["case_version"]) for r in rows] == [
        ("PR-2026-0101", 1), ("PR-2026-0102", 1), ("PR-2026-0101", 1), (None, None),
        ("PR-2026-0102", 2)]
    assert [r["detail"] for r in rows[2:]] == [{"n": 1}, None, {}]
    store.close()


@pytest.mark.parametrize("forgery", ["change", "delete", "insert"])
def test_the_sqlite_file_owner_dropping_the_triggers_is_found_out(tmp_path, forgery):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = busy_store(url)
    assert store.verify_audit().intact
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_no_update"))
        conn.execute(text("DROP TRIGGER audit_no_delete"))
        if forgery == "change":
            conn.execute(text("UPDATE audit SET actor = 'someone-else' WHERE id = 2"))
        elif forgery == "delete":
            conn.execute(text("DELETE FROM audit WHERE id = 2"))
        else:
            conn.execute(text(
                "INSERT INTO audit (id, at, actor, action, case_id, hash) VALUES "
                "(100, '2026-01-01 00:00:00.000000', 'ghost', 'export', 'PR-2026-0001', "
                "(SELECT hash FROM audit WHERE id = 4))"))
    engine.dispose()
    report = store.verify_audit()
    assert not report.intact
    assert report.broken_at == {"change": 2, "delete": 3, "insert": 100}[forgery]
    finding = check_audit(store)
    assert not finding.ok and f"audit row {report.broken_at}" in finding.message
    store.close()


@pytest.mark.postgres
def test_truncate_of_the_audit_is_refused_on_postgresql(pg_url):
    store = busy_store(pg_url)
    engine = create_engine(pg_url)
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit"))
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit")).scalar() == 4
    engine.dispose()
    assert store.verify_audit().intact
    store.close()


def test_rows_from_before_the_chain_are_chained_by_the_migration(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url, migrate=False)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        for n in range(3):
            conn.execute(text(
                "INSERT INTO audit (at, actor, action, detail, origin) VALUES "
                f"('2026-03-0{n + 1} 10:00:00.000000', 'ada', 'user_add', "
                "'{\"user\": \"u\"}', 'cli@host')"))
    old.close()
    store = Store(url)
    report = store.verify_audit()
    assert report.intact and report.rows == 3
    store.record_event("export", None, None, "ada")
    assert store.verify_audit().rows == 4
    store.close()


WRITER = """
import sys
from cpkit.store import Store
store = Store(sys.argv[1])
for n in range(40):
    store.record_event("export", None, {"n": n}, sys.argv[2])
"""


def test_two_processes_appending_never_fork_the_chain(store_url):
    store = Store(store_url)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, name], env=env,
                                stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    report = store.verify_audit()
    assert report.intact and report.rows == 80
    store.close()
