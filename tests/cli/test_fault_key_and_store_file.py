"""A corrupted or missing key file, and a store file that may not be written, for real
(#19 faults): each command says so in words naming the file, shows no garbage and no
traceback, and writes nothing; with the file put right, the store is as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.store import Store
from tests.conftest import FIXTURES

CHILD = "Ëndrina"  # the high-risk fixture's given name: never in a refusal


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def snapshot() -> tuple[list, int]:
    """Every case in full, and the number of audit rows."""
    store = Store()
    try:
        return ([r.case.to_document() for r in store.records()], len(store.audit_rows()))
    finally:
        store.close()


@pytest.fixture
def filled(cpkit_home) -> Path:
    assert cli("import", str(FIXTURES / "case_high_physical.json")).exit_code == 0
    return cpkit_home


WRITES = (["import", str(FIXTURES / "case_minimal.json")],
          ["meeting", "plan", "PR-2026-0001", "--date", "2027-01-15", "--kind", "review"])


@pytest.mark.parametrize("damage", [b"", b"\x00\xff garbage \xfe", b"c2hvcnQ=\n"],
                         ids=["empty", "garbage", "too-short"])
def test_a_corrupted_key_file_is_named_and_nothing_is_written(filled, damage):
    key = filled / "key"
    good = key.read_bytes()
    before = snapshot()
    key.write_bytes(damage)
    for args in (["show", "PR-2026-0001"], ["export", "--all"], *WRITES):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert str(key) in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output and CHILD not in result.output
        assert "garbage" not in result.output  # the file's content is never echoed
    assert key.read_bytes() == damage  # never replaced by a new key
    checked = cli("check")
    assert checked.exit_code == 1 and str(key) in checked.output
    key.write_bytes(good)
    assert snapshot()[0] == before[0]
    assert cli("check").exit_code == 0


def test_a_missing_key_file_is_named_and_nothing_is_written(filled):
    key = filled / "key"
    good = key.read_bytes()
    before = snapshot()
    key.unlink()
    for args in WRITES:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert f"{key} does not exist" in result.stderr and "Traceback" not in result.output
    assert not key.exists()
    key.write_bytes(good)
    key.chmod(0o600)
    assert snapshot() == before


@pytest.fixture
def read_only_store(filled):
    """cases.db on a read-only bind mount of itself: refused even to root (a chmod is
    not, as these tests run as root), the folder beside it writable."""
    store = filled / "cases.db"
    mounted = subprocess.run(["mount", "--bind", str(store), str(store)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.strip()}")
    try:
        done = subprocess.run(["mount", "-o", "remount,ro,bind", str(store)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        yield store
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)


def test_a_read_only_store_file_is_said_and_nothing_is_written(read_only_store):
    before = snapshot()  # reading still works
    for args in WRITES:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert f"the store file {read_only_store} is read-only" in result.stderr, \
            result.stderr
        assert "Traceback" not in result.output
    # Every read of a case leaves an audit row: with none writable, nothing is shown.
    shown = cli("show", "PR-2026-0001")
    assert shown.exit_code == 1 and "is read-only" in shown.stderr
    assert CHILD not in shown.output
    listed = cli("list")  # the caseload needs no audit row
    assert listed.exit_code == 0 and "PR-2026-0001" in listed.output
    assert snapshot() == before
