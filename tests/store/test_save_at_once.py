"""A save written in one statement on PostgreSQL (``cpkit_save_case()``, migration 0014)
against the row as the writer read it: a row changed in between is merged again or
refused (nothing written twice, nothing lost), the deadline rows are rewritten only
when they change, a save through the Guard is two statements, every save is audited
and the chain verifies; the same behaviour on SQLite, saved the locked way."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from cpkit.access import open_guarded_store
from cpkit.access.voiding import void_case
from cpkit.errors import BadInput, Conflict, NotFound
from cpkit.store import Store
from cpkit.store.schema import cases, deadlines
from tests.conftest import fixture_case, migrate_down_and_up

CODE = "PR-2026-0001"


def _row(store: Store, code: str = CODE):
    """The case's row as a writer reads it (what the Guard hands the store)."""
    with store.reader.connect() as conn:
        return conn.execute(select(cases.c.document, cases.c.version, cases.c.voided_at)
                            .where(cases.c.case_id == code)).first()


def _guard_over_the_case(url: str):
    """A guarded store at ``url`` holding the fixture case :data:`CODE`."""
    setup = Store(url)
    setup.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    setup.close()
    return open_guarded_store(url, announce=False)


def _marked(record, key: str, value: str):
    case = record.case.model_copy(deep=True)
    case.__pydantic_extra__[key] = value
    return case


def _deadline_rows(store: Store, code: str = CODE) -> list[tuple]:
    with store.reader.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(deadlines.c.id, deadlines.c.name, deadlines.c.due, deadlines.c.done_on)
            .where(deadlines.c.case_id == code).order_by(deadlines.c.id))]


def test_a_row_changed_after_it_was_read_is_merged_again(store):
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    first = store.get(CODE)
    read = _row(store)  # what the writer read, before the other save
    store.save(_marked(first, "note_x", "theirs"), first.version, actor="sara")
    saved = store.save(_marked(first, "note_y", "mine"), first.version, actor="arta",
                       base=first.case.to_document(), read=read)
    assert saved.version == first.version + 2
    assert saved.merged["onto_version"] == first.version + 1
    stored = store.get(CODE)
    assert (stored.case.model_extra["note_x"], stored.case.model_extra["note_y"]) == \
        ("theirs", "mine")
    updates = [r for r in store.audit_rows(CODE) if r["action"] == "update"]
    assert [r["case_version"] for r in updates] == [2, 3]  # one row per save, none twice
    assert updates[-1]["detail"]["merge"]["from_version"] == first.version
    assert store.verify_audit().intact


def test_a_row_changed_after_it_was_read_without_a_base_is_a_conflict(store):
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    first = store.get(CODE)
    read = _row(store)
    store.save(_marked(first, "note_x", "theirs"), first.version, actor="sara")
    audited = len(store.audit_rows(CODE))
    with pytest.raises(Conflict):
        store.save(_marked(first, "note_x", "mine"), first.version, actor="arta",
                   read=read)
    assert store.get(CODE).case.model_extra["note_x"] == "theirs"
    assert len(store.audit_rows(CODE)) == audited  # nothing written


def test_a_case_voided_after_it_was_read_is_not_saved(store_url, monkeypatch):
    """The Guard's refusal of a void case is made on the row written: voided between
    the Guard's read and the write, the save is refused and nothing written."""
    guard = _guard_over_the_case(store_url)
    try:
        record = guard.get(CODE, "edit")
        read = _row(guard.store)
        void_case(guard, CODE, "created by mistake")
        facts_for_save = type(guard)._facts_for_save
        monkeypatch.setattr(type(guard), "_facts_for_save",
                            lambda self, code: (facts_for_save(self, code)[0], read))
        audited = len(guard.audit_rows(CODE))
        with pytest.raises(BadInput, match="void"):
            guard.save(_marked(record, "note_x", "late"), record.version)
        assert len(guard.audit_rows(CODE)) == audited
        assert "note_x" not in (guard.store.get(CODE).case.model_extra or {})
    finally:
        guard.close()


def test_deadline_rows_follow_the_case_and_stay_when_it_leaves_them(store):
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    record = store.get(CODE)
    before = _deadline_rows(store)
    assert before
    record = store.save(_marked(record, "note_x", "no dates touched"), record.version)
    kept = _deadline_rows(store)
    assert [r[1:] for r in kept] == [r[1:] for r in before]
    if store.engine.dialect.name == "postgresql":
        assert kept == before  # the very rows: not deleted and inserted again
    case = record.case.model_copy(deep=True)
    case.referral.date = case.referral.date.replace(day=max(1, case.referral.date.day - 1))
    store.save(case, record.version)
    moved = _deadline_rows(store)
    assert [r[1:] for r in moved] != [r[1:] for r in kept]
    # The rows are what the rules work out from the stored case, as a full rewrite has.
    expected = _deadline_rows(store)
    store.refresh_derived()
    assert [r[1:] for r in _deadline_rows(store)] == [r[1:] for r in expected]


@pytest.mark.postgres
def test_a_guarded_save_is_two_statements_on_postgresql(pg_url):
    guard = _guard_over_the_case(pg_url)
    try:
        record = guard.get(CODE, "edit")
        record = guard.save(_marked(record, "note_x", "one"), record.version)  # key known
        statements: list[str] = []
        event.listen(guard.store.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql))
        saved = guard.save(_marked(record, "note_x", "two"), record.version,
                           base=record.case.to_document())
        assert len(statements) == 2 and "cpkit_save_case" in statements[1], statements
        assert saved.version == record.version + 1
        assert guard.store.get(CODE).case.model_extra["note_x"] == "two"
        rows = guard.store.audit_rows(CODE)
        assert rows[-1]["case_version"] == saved.version and rows[-1]["actor"] == guard.user
        assert guard.store.verify_audit().intact
    finally:
        guard.close()


@pytest.mark.postgres
def test_the_save_migration_downgrades_and_upgrades(pg_url):
    store = Store(pg_url)
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    migrate_down_and_up(store, "0013", "cpkit_save_case")
    record = store.get(CODE)
    store.save(_marked(record, "note_x", "after"), record.version)
    assert store.get(CODE).version == record.version + 1
    assert store.verify_audit().intact
    store.close()


def test_an_event_is_audited_once_and_chained(store):
    """An event's audit row (a read, an export): in one statement on PostgreSQL (the key
    lock and the chained append), the transaction's way for one without a version."""
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql))
    store.record_event("read_identity", CODE, {"purpose": "show"}, "Сара", version=1)
    if store.engine.dialect.name == "postgresql":
        assert len(statements) == 1 and "FOR SHARE" in statements[0], statements
    store.record_event("export", CODE, None, "sara")  # the version looked up
    store.record_event("search", None, {"matches": 0}, "sara")
    rows = store.audit_rows()
    assert [(r["action"], r["case_version"], r["actor"]) for r in rows[-3:]] == [
        ("read_identity", 1, "Сара"), ("export", 1, "sara"), ("search", None, "sara")]
    assert rows[-3]["detail"] == {"purpose": "show"}
    report = store.verify_audit()
    assert report.intact and report.rows == 4


def test_a_guarded_save_returns_the_document_it_stored(store_url):
    """The record a guarded save returns carries the document stored (what a form keeps
    as its next save's base, :meth:`Record.as_document`), equal to the case's own
    document and to the one read back; on both roads (at once, and merged the locked
    way after another save)."""
    guard = _guard_over_the_case(store_url)
    try:
        record = guard.get(CODE, "edit")
        assert record.document is None and record.as_document() == record.case.to_document()
        saved = guard.save(_marked(record, "note_x", "one"), record.version,
                           base=record.case.to_document())
        assert saved.document is not None
        assert saved.as_document() == saved.case.to_document() == \
            guard.store.get(CODE).case.to_document()
        guard.store.save(_marked(guard.store.get(CODE), "note_y", "theirs"), saved.version)
        merged = guard.save(_marked(saved, "note_z", "mine"), saved.version,
                            base=saved.as_document())
        assert merged.merged is not None and merged.version == saved.version + 2
        assert merged.as_document() == guard.store.get(CODE).case.to_document()
        assert {k: merged.as_document()[k] for k in ("note_x", "note_y", "note_z")} == \
            {"note_x": "one", "note_y": "theirs", "note_z": "mine"}
    finally:
        guard.close()


def test_deadline_dates_reach_the_save_statement_as_iso_dates(store):
    """The deadline rows go to ``cpkit_save_case()`` as JSON written by pydantic-core
    (dates as ISO text): the rows stored are the rules' own, as a full rewrite has
    them."""
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    record = store.get(CODE)
    case = record.case.model_copy(deep=True)
    case.referral.date = case.referral.date.replace(day=max(1, case.referral.date.day - 2))
    store.save(case, record.version)
    written = _deadline_rows(store)
    store.refresh_derived()
    assert [r[1:] for r in _deadline_rows(store)] == [r[1:] for r in written]
    assert all(r[2] is not None and hasattr(r[2], "isoformat") for r in written)


@pytest.mark.postgres
def test_stored_documents_are_not_compressed_and_the_migration_goes_both_ways(pg_url):
    """0016: the sealed documents (incompressible ciphertext) are stored out of line
    without PostgreSQL trying to compress them: the same text, the same size."""
    from alembic import command
    from alembic.config import Config

    from cpkit.store.repository import MIGRATIONS

    storage = text("SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
                   "WHERE attname = 'document' AND attrelid IN "
                   "('cases'::regclass, 'case_versions'::regclass) ORDER BY 1")
    store = Store(pg_url)
    try:
        store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
        record = store.get(CODE)
        store.save(_marked(record, "note_x", "one"), record.version)
        with store.engine.connect() as conn:
            assert conn.execute(storage).all() == [("case_versions", "e"), ("cases", "e")]
            sizes = conn.execute(text("SELECT octet_length(document), "
                                      "pg_column_size(document) FROM case_versions")).all()
        assert sizes and all(length == size for length, size in sizes)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0015")
            assert conn.execute(storage).all() == [("case_versions", "x"), ("cases", "x")]
            command.upgrade(config, "head")
            assert conn.execute(storage).all() == [("case_versions", "e"), ("cases", "e")]
        assert store.get(CODE).case.model_extra["note_x"] == "one"
    finally:
        store.close()


@pytest.mark.postgres
def test_a_stale_guarded_save_locks_the_key_and_the_row_in_one_statement(pg_url):
    """A save that finds the case saved by someone else since goes the locked way: on
    PostgreSQL the store's key lock and the case's row lock are one statement (then the
    save's own statement), and the save is merged as before."""
    guard = _guard_over_the_case(pg_url)
    try:
        record = guard.get(CODE, "edit")
        record = guard.save(_marked(record, "note_x", "one"), record.version)  # key known
        guard.store.save(_marked(guard.store.get(CODE), "note_y", "theirs"), record.version)
        statements: list[str] = []
        event.listen(guard.store.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql))
        saved = guard.save(_marked(record, "note_z", "mine"), record.version,
                           base=record.as_document())
        assert len(statements) == 3, statements
        assert "FOR SHARE" in statements[1] and "FOR UPDATE OF c" in statements[1]
        assert "cpkit_save_case" in statements[2]
        assert saved.version == record.version + 2 and saved.merged["onto_version"] == \
            record.version + 1
        stored = guard.store.get(CODE).case.model_extra
        assert (stored["note_x"], stored["note_y"], stored["note_z"]) == \
            ("one", "theirs", "mine")
        assert guard.store.verify_audit().intact
        gone = _marked(saved, "note_x", "two")
        gone.case_id = "PR-2026-0999"
        with pytest.raises(NotFound):
            guard.store.save(gone, 1, base={})
    finally:
        guard.close()
