"""A new SQLite store copied from an empty store at the newest schema, not migrated.

Why: a new store ran every migration, fifteen of them, after importing Alembic: half a
second before anything else, on the first command of a new installation, every
trainer's practice store, the demo, and every test that makes a store.  The result
never differs: an empty store at the newest migration.  So the first new store made
with a set of migrations is kept, once migrated, as a template (an SQLite copy,
``VACUUM INTO``) in the user's cache folder, named by a digest of the migrations and
the library versions that wrote it; a later new store is that template replayed into
the new file (its schema's own SQL and its rows, in one transaction), a few
milliseconds.  A template that is missing, unreadable or not at the newest schema is
not used: the store is migrated as before (and the template made again).  It holds
no case and no key: an empty store's schema, its append-only triggers and its
migration stamp.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import cache
from importlib import metadata
from pathlib import Path

from cpkit.paths import private_dir
from cpkit.store.heads import MIGRATIONS, head_revisions


@cache
def template() -> Path:
    """Where the template for this set of migrations is kept."""
    import platformdirs

    digest = hashlib.sha256()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")) + [MIGRATIONS / "env.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("SQLAlchemy", "alembic"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    digest.update(sqlite3.sqlite_version.encode())
    folder = Path(os.environ.get("CPKIT_STORE_TEMPLATES")
                  or platformdirs.user_cache_dir("cpkit"))
    return folder / f"empty-store-{digest.hexdigest()[:24]}.sqlite"


def copy_into(target: sqlite3.Connection) -> bool:
    """Make the empty database of ``target`` a new store from the template; ``False``
    (nothing done) when there is no usable template, or the database is no longer
    empty (another process made the store meanwhile).

    The template is attached and replayed in one write transaction that first checks
    the database is still empty: its tables, indexes and triggers created by their
    own SQL, its rows (the migration stamp, the store's settings) copied.  So two
    processes making the same new store at once make it once, and never overwrite
    what the first one has written since."""
    path = template()
    if not path.is_file():
        return False
    try:
        target.execute(f"ATTACH DATABASE ? AS {_TEMPLATE}", (str(path),))
    except sqlite3.Error:
        return False
    try:
        return _usable(target) and _replayed(target)
    except sqlite3.Error:
        return False
    finally:
        target.execute(f"DETACH DATABASE {_TEMPLATE}")


_TEMPLATE = "cpkit_template"
_ORDER = {"table": 0, "index": 1, "view": 2, "trigger": 3}


def _usable(target: sqlite3.Connection) -> bool:
    """Whether the attached template is whole and stamped with the newest migration."""
    if target.execute(f"PRAGMA {_TEMPLATE}.quick_check").fetchone() != ("ok",):
        return False
    stamped = {row[0] for row in target.execute(
        f"SELECT version_num FROM {_TEMPLATE}.alembic_version")}
    return bool(stamped) and stamped == head_revisions()


def _replayed(target: sqlite3.Connection) -> bool:
    """The template's schema and rows made in ``target``, if it is still empty."""
    target.execute("BEGIN IMMEDIATE")
    try:
        if target.execute("SELECT count(*) FROM main.sqlite_master").fetchone()[0]:
            target.execute("ROLLBACK")
            return False
        made = target.execute(
            f"SELECT type, name, sql FROM {_TEMPLATE}.sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
        for _kind, _name, sql in sorted(made, key=lambda row: _ORDER[row[0]]):
            target.execute(sql)
        for kind, name, _sql in made:
            if kind == "table":
                target.execute(f'INSERT INTO main."{name}" SELECT * FROM {_TEMPLATE}."{name}"')
        target.execute("COMMIT")
        return True
    except BaseException:
        target.execute("ROLLBACK")
        raise


def keep(store: sqlite3.Connection) -> None:
    """Keep ``store``, a new store just migrated, as the template (if none is kept
    yet).  Written beside it under a name of its own, then renamed into place: two
    processes making one at once leave one whole template.  A failure is not the
    store's: it is ignored (the next new store is migrated)."""
    path = template()
    if path.exists():
        return
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        private_dir(path.parent)
        part.unlink(missing_ok=True)
        store.execute("VACUUM INTO ?", (str(part),))
        os.chmod(part, 0o600)
        os.replace(part, path)
    except (OSError, sqlite3.Error):
        part.unlink(missing_ok=True)
