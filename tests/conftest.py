"""Shared fixtures: an isolated CPKIT_HOME, stores on SQLite and PostgreSQL, fixture cases.

The PostgreSQL leg needs ``CPKIT_TEST_PG`` (``make test`` starts a server and sets
it); without it the PostgreSQL store tests fail rather than pass silently, unless
``CPKIT_SKIP_PG=1`` is set for a quick local run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cpkit import exchange
from cpkit.model import Case

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2026, 11, 22)
CASE_FILES = sorted(p.name for p in FIXTURES.glob("case_*.json"))


# The slowest files of a full run (seconds of one worker, 2 workers), heaviest first.
# pytest-xdist's ``--dist loadfile`` hands files out in collection order (the Makefile
# turns off its reordering by test count, which put these one-test journeys last): the
# long browser journeys start first and the short files fill both workers' queues at
# the end (longest first is what balances two workers).  Refresh from a run's
# ``--junitxml`` when the suite changes; a file missing here only runs later.
SLOWEST_FIRST = (
    "tests/e2e/test_every_page.py",  # 380 s
    "tests/e2e/test_referral_journey.py",  # 100-290 s
    "tests/hub/test_hub_logins.py",  # 157 s
    "tests/e2e/test_plausibility_in_the_browser.py",  # 152 s
    "tests/forms/test_forms_serve.py",  # 119 s
    "tests/e2e/test_forms_journey.py",  # 106 s
    "tests/e2e/test_cmr_cycle_journey.py",  # 104 s
    "tests/notebooks/test_nbval_notebooks.py",  # 94 s
    "tests/e2e/test_closed_page_kernel.py",  # 78 s
    "tests/e2e/test_training_exercise.py",  # 78 s
    "tests/e2e/test_documents_in_the_browser.py",  # 75 s
    "tests/e2e/test_forms_languages.py",  # 64 s
    "tests/training/test_training_cli.py",  # 63 s
    "tests/reports/test_report_table_layout.py",  # 62 s
    "tests/e2e/test_wcag_beyond_axe.py",  # 60 s
    "tests/e2e/test_no_lost_work.py",  # 56 s
    "tests/e2e/test_keyboard_only.py",  # 45 s
    "tests/test_installed_wheel.py",  # 44 s
    "tests/reports/test_render_variants.py",  # 43 s
    "tests/reports/test_report_languages.py",  # 37 s
    "tests/reports/test_render_redaction_road.py",  # 37 s
    "tests/e2e/test_access_two_agencies.py",  # 34 s
    "tests/access/test_access_render_road.py",  # 32 s
    "tests/reports_batch/test_dask_cluster.py",  # 32 s
    "tests/access/test_access_matrix.py",  # 31 s
)


def pytest_collection_modifyitems(items: list) -> None:
    """The slowest files first (:data:`SLOWEST_FIRST`), the rest in their own order."""
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """A language chosen in one test (a form's drop-down, ``set_lang``) never leaks into
    the next one in the same worker: ``CPKIT_LANG`` and the defaults decide again."""
    yield
    from cpkit import i18n

    i18n.set_lang(None)


@pytest.fixture(scope="session", autouse=True)
def store_templates(tmp_path_factory) -> Iterator[Path]:
    """New stores' template (:mod:`cpkit.store.fresh`) kept in this run's own folder, not
    the user's cache: a test never leaves its migrations' store to another run.  Set in
    the environment so that the CLI and kernels a test starts use it too."""
    folder = tmp_path_factory.mktemp("store-templates")
    before = os.environ.get("CPKIT_STORE_TEMPLATES")
    os.environ["CPKIT_STORE_TEMPLATES"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("CPKIT_STORE_TEMPLATES", None)
    else:
        os.environ["CPKIT_STORE_TEMPLATES"] = before


@pytest.fixture(autouse=True)
def cpkit_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own data folder and embedded store, as a fresh user would."""
    home = tmp_path / "cpkit-home"
    monkeypatch.setenv("CPKIT_HOME", str(home))
    monkeypatch.delenv("CPKIT_DB", raising=False)
    monkeypatch.setenv("CPKIT_USER", "test-assessor")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return home


@contextmanager
def private_home(home: Path) -> Iterator:
    """``home`` as the data folder and its embedded store, for a module-scoped fixture
    (the autouse ``cpkit_home`` is per test).  Yields the store."""
    from cpkit.store import Store

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CPKIT_HOME", str(home))
        mp.delenv("CPKIT_DB", raising=False)
        mp.setenv("CPKIT_USER", "test-assessor")
        store = Store(f"sqlite:///{home / 'cases.db'}")
        try:
            yield store
        finally:
            store.close()


def _pg_url() -> str | None:
    url = os.environ.get("CPKIT_TEST_PG")
    if url:
        return url
    if os.environ.get("CPKIT_SKIP_PG"):
        pytest.skip("CPKIT_SKIP_PG set: PostgreSQL leg skipped for this local run")
    pytest.fail("CPKIT_TEST_PG is not set: run the tests with `make test`")


@contextmanager
def fresh_pg_database(prefix: str = "cpkit") -> Iterator[str]:
    """A new, empty database on the PostgreSQL test server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(_pg_url())
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database on the test server; dropped afterwards."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """The URL of an empty store, on each of the two databases."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url):
    from cpkit.store import Store

    s = Store(store_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """An embedded store only (for tests about something other than the database)."""
    from cpkit.store import Store

    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def fixture_document(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_case(name: str) -> Case:
    return exchange.load_case(fixture_document(name))


@pytest.fixture
def loaded_store(sqlite_store):
    """The embedded store holding every single-case fixture."""
    sqlite_store.import_cases([fixture_case(n) for n in CASE_FILES], actor="fixtures")
    return sqlite_store


@pytest.fixture
def home_store(cpkit_home):
    """The default store of the test's CPKIT_HOME (the one the CLI opens), holding a
    high-risk case, a closed case and a new referral."""
    from cpkit.store import Store

    store = Store()
    store.import_cases([fixture_case("case_high_physical.json"),
                        fixture_case("case_closed.json"), fixture_case("case_minimal.json")])
    yield store
    store.close()


# --- a full disk, for real (#19 faults): a small tmpfs ------------------------------------

def mount_tmpfs(folder: Path, size: str, mode: str | None = None) -> None:
    """A tmpfs of ``size`` on ``folder`` (root only; where mounting is not allowed the
    test is skipped with the reason, never passed)."""
    options = f"size={size}" + (f",mode={mode}" if mode else "")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 64 KiB tmpfs, for files the kit writes outside its data folder."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount_tmpfs(disk, "64k")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def full_home(cpkit_home) -> Iterator[Path]:
    """The data folder (the store, the drafts, the reports) on a 2 MiB tmpfs."""
    cpkit_home.mkdir(parents=True)
    mount_tmpfs(cpkit_home, "2m", "0700")
    yield cpkit_home
    subprocess.run(["umount", "-l", str(cpkit_home)], check=False)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill ``disk`` with the file ``filler``, then free ``leave`` bytes of it."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError:
        pass
    finally:
        if leave:
            os.ftruncate(fd, max(0, os.fstat(fd).st_size - leave))
        os.close(fd)


def migrate_down_and_up(store, revision: str, added: str, kept: tuple[str, ...] = ()) -> None:
    """Downgrade ``store``'s PostgreSQL schema to ``revision`` (the database function
    ``added`` gone, the ``kept`` ones still there), then upgrade it to the head again."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from cpkit.store.repository import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    exists = text("SELECT count(*) FROM pg_proc WHERE proname = :name")
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        assert conn.execute(exists, {"name": added}).scalar() == 0
        for name in kept:
            assert conn.execute(exists, {"name": name}).scalar() == 1
        command.upgrade(config, "head")
        assert conn.execute(exists, {"name": added}).scalar() == 1
