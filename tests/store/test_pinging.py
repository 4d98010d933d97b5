"""Pooled PostgreSQL connections are tested before use only after lying idle
(:mod:`cpkit.store.pinging`): one whose server process ended while it lay idle is
replaced at check-out and the save succeeds; one that fails the moment after its last
use is reported in words, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from cpkit.errors import StoreUnavailable
from cpkit.store import Store, pinging
from tests.conftest import fixture_case

pytestmark = pytest.mark.postgres


def _end_the_pooled_connection(store: Store, url: str) -> None:
    """The server ends the backend of the store's one pooled connection."""
    with store.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(url)
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    admin.dispose()


def _add_note(store: Store, note: str) -> None:
    record = store.get("PR-2026-0001")
    record.case.assessment.needs.append(note)
    store.save(record.case, record.version, actor="arta")


@pytest.fixture
def store(pg_url):
    store = Store(pg_url)
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    yield store
    store.close()


def test_a_connection_ended_while_idle_is_replaced_and_the_save_succeeds(store, pg_url,
                                                                         monkeypatch):
    monkeypatch.setattr(pinging, "IDLE_BEFORE_PING", 0.0)  # any idle time: tested
    _end_the_pooled_connection(store, pg_url)
    _add_note(store, "after the connection ended")
    assert "after the connection ended" in store.get("PR-2026-0001").case.assessment.needs


def test_a_connection_used_a_moment_ago_is_not_tested_and_its_failure_is_said(store, pg_url,
                                                                              monkeypatch):
    monkeypatch.setattr(pinging, "IDLE_BEFORE_PING", 3600.0)  # never idle long enough
    before = store.get("PR-2026-0001")
    _end_the_pooled_connection(store, pg_url)
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        _add_note(store, "lost with the connection")
    _add_note(store, "the next one")  # the pool was replaced: works again
    after = store.get("PR-2026-0001")
    assert after.version == before.version + 1
    assert "lost with the connection" not in after.case.assessment.needs
