"""``cpkit show`` on the lean road (:mod:`cpkit.access.lean_read`, no SQLAlchemy) prints
exactly what the Guard's road prints and leaves the very audit row the Guard leaves, in
an intact chain, for every user and case; elsewhere it is the Guard's road."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cpkit.access import Guard, lean_read
from cpkit.access.voiding import void_case
from cpkit.cli import main
from tests.access.conftest import LIVE, TRAINING, USERS, both_roads

AS_OF = "2026-11-22"


def show_both(monkeypatch, user: str, *args: str) -> tuple:
    """``cpkit show`` on the lean road, then on the Guard's (:func:`both_roads`)."""
    return both_roads(monkeypatch, ["show", *args, "--as-of", AS_OF], user)


@pytest.mark.parametrize("user", sorted(USERS))
def test_every_user_is_shown_the_same_on_both_roads(access_store, monkeypatch, user):
    assert lean_read.open_lean(user) is not None  # the lean road is the one tried
    shown = 0
    for code in [*LIVE, TRAINING, "ZZ-2026-0099"]:
        for flags in ((), ("--redact",)):
            lean, full = show_both(monkeypatch, user, code, *flags)
            assert lean == full, (code, flags)
            assert "Traceback" not in lean[2]
            shown += lean[0] == 0
    assert access_store.verify_audit().intact
    if user != "ada":  # the admin sees no case
        assert shown


def test_a_void_case_is_shown_the_same_on_both_roads(access_store, monkeypatch):
    void_case(Guard.for_user(access_store, "sara"), LIVE[0], "Entered twice by mistake.")
    lean, full = show_both(monkeypatch, "arta", LIVE[0])
    assert lean == full and lean[0] == 0
    assert "Void since" in lean[1] and "Entered twice by mistake." in lean[1]


def test_single_user_mode_is_shown_the_same_on_both_roads(home_store, monkeypatch):
    lean, full = show_both(monkeypatch, "anyone", "PR-2026-0001")
    assert lean == full and lean[0] == 0 and "single-user mode" in lean[2]
    assert home_store.verify_audit().intact


@pytest.mark.parametrize("user", ["sara", "arta", "edi", "tina"])
def test_both_databases_are_shown_the_same_on_both_roads(task_force, monkeypatch, user):
    """PostgreSQL too is read on the lean road (psycopg; the audit row by the Store's
    own statement): the same output and the same audit row as the Guard's road, the
    chain intact."""
    monkeypatch.setenv("CPKIT_DB", task_force.url)
    monkeypatch.setenv("CPKIT_USER", "sara")
    found = lean_read.read_case(LIVE[1])  # the lean road is the one tried
    assert found is not None and found.case.case_id == LIVE[1]
    found.close()
    shown = 0
    for code in (LIVE[0], LIVE[1], TRAINING):
        for flags in ((), ("--redact",)):
            lean, full = both_roads(monkeypatch, ["show", code, *flags, "--as-of", AS_OF],
                                    user, task_force)
            assert lean == full, (code, flags)
            assert "Traceback" not in lean[2]
            shown += lean[0] == 0
            assert lean[3] == (1 if lean[0] == 0 else 0)
    assert shown and task_force.verify_audit().intact


def test_an_unknown_user_and_a_wrong_key_are_refused_alike(access_store, monkeypatch):
    lean, full = show_both(monkeypatch, "nobody", LIVE[0])
    assert lean == full and lean[0] == 1 and "not a configured user" in lean[2]
    monkeypatch.setenv("CPKIT_KEY", "A" * 43 + "=")  # a well-formed key, not the store's
    lean, full = show_both(monkeypatch, "sara", LIVE[0])
    assert lean == full and lean[0] != 0 and "not this store's key" in lean[2]
    assert lean[3] == 0  # nothing read, nothing recorded


def test_a_full_disk_is_said_alike_and_nothing_shown(full_home, monkeypatch):
    """Every read of a case leaves an audit row: with no room for it, nothing is shown,
    and both roads say why in the same words (a real full disk: a 2 MiB tmpfs)."""
    import sqlite3

    from cpkit.paths import database_url
    from tests.conftest import FIXTURES, fill

    assert CliRunner().invoke(main, ["import", str(FIXTURES / "case_high_physical.json")]
                              ).exit_code == 0
    # the store in use when the disk fills (a server has it open): its write-ahead
    # log's files are there, so the test can still count the audit rows
    in_use = sqlite3.connect(database_url().removeprefix("sqlite:///"))
    in_use.execute("SELECT count(*) FROM audit").fetchone()
    fill(full_home)
    lean, full = show_both(monkeypatch, "anyone", "PR-2026-0001")
    assert lean == full and lean[0] == 1 and lean[3] == 0
    assert "is full: nothing was written" in lean[2] and "Traceback" not in lean[2]
    assert lean[1] == ""
    in_use.close()


def test_a_store_first_opened_on_a_full_disk_is_said_in_words(full_home):
    """Nobody has the store open (cpkit import closed it, its write-ahead log folded in
    and gone) when the disk fills: SQLite cannot make the log's files even to read, and
    says "disk I/O error"; cpkit says the disk is full, for a read as for a write."""
    from tests.conftest import FIXTURES, fill

    assert CliRunner().invoke(main, ["import", str(FIXTURES / "case_high_physical.json")]
                              ).exit_code == 0
    fill(full_home)
    for args in (["show", "PR-2026-0001"], ["list"]):
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 1, (args, done.output)
        assert "is full: nothing was written" in done.stderr, (args, done.stderr)
        assert "unexpected" not in done.stderr and "Traceback" not in done.stderr
