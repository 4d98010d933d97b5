"""Identifying data encrypted at rest: raw store bytes, wrong or missing key, tampering,
rotate-key, and the private modes of the key and store files."""

from __future__ import annotations

import os
import re
import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text, update

from cpkit import crypto
from cpkit.access import Guard
from cpkit.cli import main
from cpkit.store import Store
from cpkit.store.schema import cases
from tests.conftest import CASE_FILES, fixture_case, fixture_document

BASE64 = rb"A-Za-z0-9+/="


def secrets_of_fixtures() -> list[str]:
    """Every name, birth date and address of every fixture's child."""
    found = []
    for name in CASE_FILES:
        child = fixture_document(name).get("child", {})
        for key in ("given_name", "family_name", "date_of_birth", "address"):
            if child.get(key):
                found.append(child[key])
    assert len(found) >= 4 * 7
    return found


def leaked(raw: bytes) -> list[str]:
    """The identifying values found in ``raw`` (outside base64 runs, where a short
    name could turn up by chance)."""
    out = []
    for value in secrets_of_fixtures():
        needle = re.escape(value.encode("utf-8"))
        if re.search(rb"(?<![" + BASE64 + rb"])" + needle + rb"(?![" + BASE64 + rb"])", raw):
            out.append(value)
    return out


def test_raw_sqlite_bytes_hold_no_identity(tmp_path):
    path = tmp_path / "store.db"
    store = Store(f"sqlite:///{path}")
    store.import_cases([fixture_case(n) for n in CASE_FILES])
    record = store.get("PR-2026-0001")
    record.case.assessment.needs.append("Ëndrina Çelaj needs a quiet room")
    store.save(record.case, record.version)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("store.db"))
    assert b"PR-2026-0001" in raw  # the case code is there, in the clear, by design
    assert leaked(raw) == []
    store.engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("store.db"))
    assert leaked(raw) == []
    assert store.get("PR-2026-0001").case.child.given_name == "Ëndrina"


@pytest.mark.postgres
def test_raw_postgresql_tables_hold_no_identity(pg_url):
    store = Store(pg_url)
    store.import_cases([fixture_case(n) for n in CASE_FILES])
    engine = create_engine(pg_url)
    dump = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            dump += [r[0] for r in conn.execute(text(f'SELECT t::text FROM "{table}" t'))]
    engine.dispose()
    raw = "\n".join(dump).encode("utf-8")
    assert b"PR-2026-0001" in raw
    assert leaked(raw) == []
    assert store.get("GR-2026-0002").case.child.given_name == "Милица"
    store.close()


def test_wrong_key_is_a_clear_error(sqlite_store, monkeypatch):
    sqlite_store.import_cases([fixture_case("case_high_physical.json")])
    monkeypatch.setenv("CPKIT_KEY", crypto.new_key_text())
    with pytest.raises(crypto.KeyMismatch, match="the key in use is not this store's key"):
        sqlite_store.get("PR-2026-0001")


def test_wrong_or_missing_key_through_cli(cpkit_home, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(main, ["import", "tests/fixtures/case_high_physical.json"]).exit_code == 0
    wrong = runner.invoke(main, ["show", "PR-2026-0001"], env={"CPKIT_KEY": crypto.new_key_text()})
    assert wrong.exit_code == 1
    assert "the key in use is not this store's key (CPKIT_KEY)" in wrong.stderr
    assert "Traceback" not in wrong.output and "Ëndrina" not in wrong.output
    (cpkit_home / "key").unlink()
    missing = runner.invoke(main, ["show", "PR-2026-0001"])
    assert missing.exit_code == 1
    assert "the key in use is not this store's key" in missing.stderr
    assert "does not exist" in missing.stderr
    bad = runner.invoke(main, ["list"], env={"CPKIT_KEY": "not a key"})
    assert bad.exit_code == 0  # listing needs no key: codes and derived columns only
    assert runner.invoke(main, ["show", "PR-2026-0001"],
                         env={"CPKIT_KEY": "not a key"}).exit_code == 1


def test_tampered_seal_is_refused(sqlite_store):
    sqlite_store.import_cases([fixture_case("case_high_physical.json"),
                               fixture_case("case_probation.json")])
    with sqlite_store.engine.begin() as conn:
        docs = dict(conn.execute(cases.select().with_only_columns(cases.c.case_id,
                                                                  cases.c.document)).all())
        conn.execute(update(cases).where(cases.c.case_id == "PE-2026-0001")
                     .values(document=docs["PR-2026-0001"].replace("PR-2026-0001",
                                                                   "PE-2026-0001")))
    with pytest.raises(crypto.SealBroken, match="PE-2026-0001: the encrypted"):
        sqlite_store.get("PE-2026-0001")


def test_key_and_store_files_are_private(cpkit_home):
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    for name in ("key", "cases.db"):
        assert stat.S_IMODE((cpkit_home / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(cpkit_home.stat().st_mode) == 0o700


def test_rotate_key_reseals_every_case(access_store, cpkit_home):
    old = (cpkit_home / "key").read_text()
    runner = CliRunner()
    refused = runner.invoke(main, ["rotate-key"], env={"CPKIT_USER": "sara"})
    assert refused.exit_code == 1 and "rotate the key" in refused.stderr
    result = runner.invoke(main, ["rotate-key"], env={"CPKIT_USER": "ada"})
    assert result.exit_code == 0, result.output
    assert "4 case(s) re-encrypted" in result.stderr
    new = (cpkit_home / "key").read_text()
    assert new != old and stat.S_IMODE((cpkit_home / "key").stat().st_mode) == 0o600
    assert not (cpkit_home / "key.old").exists() and not (cpkit_home / "key.new").exists()
    shown = runner.invoke(main, ["show", "PR-2026-0001"], env={"CPKIT_USER": "sara"})
    assert shown.exit_code == 0 and "Ëndrina" in shown.stdout
    stale = runner.invoke(main, ["show", "PR-2026-0001"],
                          env={"CPKIT_USER": "sara", "CPKIT_KEY": old.strip()})
    assert stale.exit_code == 1 and "is not this store's key" in stale.stderr
    rows = Guard.for_user(access_store, "ada").audit_rows()
    assert [r["action"] for r in rows].count("rotate_key") == 1


def test_rotate_key_with_cpkit_key_prints_the_new_one(store, monkeypatch):
    """On both databases; the key from the environment."""
    first = crypto.new_key_text()
    monkeypatch.setenv("CPKIT_KEY", first)
    store.import_cases([fixture_case(n) for n in CASE_FILES])
    count, new = Guard.for_user(store).rotate_key()
    assert count == len(CASE_FILES) and new and new != first
    with pytest.raises(crypto.KeyMismatch):
        store.get("PR-2026-0001")
    monkeypatch.setenv("CPKIT_KEY", new)
    assert store.get("PR-2026-0001").case.child.family_name == "Çelaj"


def test_a_leftover_key_that_fits_is_named(sqlite_store, cpkit_home):
    sqlite_store.import_cases([fixture_case("case_high_physical.json")])
    key = cpkit_home / "key"
    os.replace(key, cpkit_home / "key.old")
    crypto.write_key_file(key, crypto.new_key_text())
    with pytest.raises(crypto.KeyMismatch, match="key.old fits this store"):
        sqlite_store.get("PR-2026-0001")


def test_plain_documents_from_before_encryption_are_sealed_by_rotation(sqlite_store):
    import json

    sqlite_store.import_cases([fixture_case("case_high_physical.json")])
    plain = json.dumps(fixture_document("case_high_physical.json"), ensure_ascii=False)
    with sqlite_store.engine.begin() as conn:
        conn.execute(update(cases).values(document=plain))
    assert sqlite_store.get("PR-2026-0001").case.child.given_name == "Ëndrina"
    Guard.for_user(sqlite_store).rotate_key()
    with sqlite_store.engine.connect() as conn:
        stored = conn.execute(cases.select().with_only_columns(cases.c.document)).scalar()
    assert "Ëndrina" not in stored
    assert sqlite_store.get("PR-2026-0001").case.child.given_name == "Ëndrina"


def test_a_rotation_renaming_the_key_between_two_reads_still_finds_the_new_key(
        cpkit_home, monkeypatch):
    """A saver reads the key file (the old key), then a rotation renames ``key.new`` to
    the key file, then the saver looks for ``key.new``: gone.  The key file has the new
    key by then, and it is found (seen once as KeyMismatch on PostgreSQL under load)."""
    old = crypto.current_key()  # creates the key file
    new_text = crypto.new_key_text()
    crypto.write_key_file(crypto.staged_key_file(), new_text)
    new = crypto.parse_key(new_text, "test")
    assert old.fingerprint != new.fingerprint
    read_key = crypto.current_key

    def key_then_rename(create: bool = True):
        found = read_key(create)
        if crypto.staged_key_file().exists():  # the rotation's rename, just after
            os.replace(crypto.staged_key_file(), crypto.key_file())
        return found

    monkeypatch.setattr(crypto, "current_key", key_then_rename)
    assert crypto.key_for(new.fingerprint).fingerprint == new.fingerprint


def test_each_seal_has_a_nonce_of_its_own_and_a_forked_process_never_reuses_the_parents():
    nonces = [crypto._nonces.take() for _ in range(3 * crypto._Nonces.BATCH + 5)]
    assert len(set(nonces)) == len(nonces)
    assert {len(n) for n in nonces} == {crypto.NONCE_BYTES}
    crypto._nonces.take()  # a batch begun: the nonces this process takes next
    pool, at = crypto._nonces._pool, crypto._nonces._next
    coming = {pool[i:i + crypto.NONCE_BYTES] for i in range(at, len(pool), crypto.NONCE_BYTES)}
    assert coming
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its nonces come from a batch of its own
        try:
            os.write(write, b"".join(crypto._nonces.take() for _ in range(8)))
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as stream:
        child = stream.read()
    taken = {child[i:i + crypto.NONCE_BYTES] for i in range(0, len(child), crypto.NONCE_BYTES)}
    assert len(taken) == 8 and not taken & (coming | set(nonces))
