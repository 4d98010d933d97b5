"""The lean list road (:mod:`cpkit.access.listing`, no SQLAlchemy) gives every user
exactly the rows the Guard gives, and falls back to the Guard where it must."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.access import PermissionDenied
from cpkit.access.guard import Guard
from cpkit.access.listing import Lists, open_lists
from tests.access.conftest import USERS

DAY = dt.date(2027, 12, 31)


def _compare(guard, lists) -> None:
    for training in (False, True):
        assert lists.summaries(training=training) == guard.summaries(training=training)
        assert (lists.deadline_rows(DAY, training=training)
                == guard.deadline_rows(DAY, training=training))
    assert lists.summaries(overdue_on=DAY) == guard.summaries(overdue_on=DAY)
    assert lists.summaries(risk="high") == guard.summaries(risk="high")
    assert (lists.summaries(manager="Arta Morina")
            == guard.summaries(manager="Arta Morina"))
    for open_only in (False, True):  # the open cases only: an index of its own
        assert (lists.summaries(risk="medium", open_only=open_only)
                == guard.summaries(risk="medium", open_only=open_only))
    assert (lists.deadline_rows(DAY, overdue_only=True)
            == guard.deadline_rows(DAY, overdue_only=True))


@pytest.mark.parametrize("user", sorted(USERS))
def test_every_user_lists_what_the_guard_lists(access_store, user):
    lists = open_lists(user, announce=False)
    assert isinstance(lists, Lists)
    guard = Guard.for_user(access_store, user)
    assert lists.principal == guard.principal
    _compare(guard, lists)
    if user in ("sara", "arta", "edi", "prob"):  # not a comparison of two empty lists
        assert lists.summaries() and lists.deadline_rows(DAY)
    lists.close()


def test_an_unknown_user_is_refused_on_the_lean_road(access_store):
    with pytest.raises(PermissionDenied, match="not a configured user"):
        open_lists("nobody", announce=False)


def test_single_user_mode_lists_everything(home_store):
    lists = open_lists("anyone", announce=False)
    assert isinstance(lists, Lists) and lists.single_user
    _compare(Guard.for_user(home_store, "anyone"), lists)
    lists.close()


def test_a_store_at_another_schema_is_left_to_the_store(home_store):
    """A store to migrate (or newer than this version) is never read the lean way."""
    import sqlite3

    from cpkit.paths import database_url
    from cpkit.store.lean import open_reader

    url = database_url()
    reader = open_reader(url)
    assert reader is not None
    reader.close()
    home_store.close()
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    conn.execute("UPDATE alembic_version SET version_num = 'older'")
    conn.commit()
    conn.close()
    assert open_reader(url) is None
    assert open_reader("postgresql://nobody@localhost/cpkit") is None


def test_no_store_yet_takes_the_guard(cpkit_home):
    found = open_lists("anyone", announce=False)
    assert isinstance(found, Guard)
    assert found.summaries() == []


@pytest.mark.parametrize("user", ["sara", "arta", "prob"])
def test_both_databases_are_read_the_lean_way(task_force, monkeypatch, user):
    """SQLite through sqlite3 and PostgreSQL through psycopg: the Store's rows."""
    monkeypatch.setenv("CPKIT_DB", task_force.url)
    lists = open_lists(user, announce=False)
    assert isinstance(lists, Lists)
    _compare(Guard.for_user(task_force, user), lists)
    assert lists.summaries() and lists.deadline_rows(DAY)
    lists.close()
