"""``cpkit backup DIR`` / ``cpkit restore DIR``: a consistent copy of the store.

SQLite is copied with its online backup API (a consistent copy while others write);
PostgreSQL with ``pg_dump`` (custom format) and put back with ``pg_restore``.  The
identity key is never put in the backup: a backup is sealed data, and the key is
kept (and backed up) separately, so a stolen backup alone opens nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from cpkit.errors import BadInput, CpkitError

MANIFEST = "cpkit-backup.json"
SQLITE_FILE, PG_FILE = "cases.db", "cases.dump"


def _libpq(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(
        f"*/bin/{name}"), reverse=True)), None)
    if not found:
        raise CpkitError(f"{name} is not installed (Debian package postgresql-client)")
    return str(found)


def backup(store, folder: Path) -> dict:
    """Copy ``store`` into ``folder`` (created, private); the manifest says what it is."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BadInput(f"{folder}: not empty; back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        target.chmod(0o600)
        name = SQLITE_FILE
    else:
        name = PG_FILE
        done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner",
                               f"--file={folder / PG_FILE}", _libpq(url)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise CpkitError(f"pg_dump failed: {done.stderr.strip()[:300]}")
        (folder / PG_FILE).chmod(0o600)
    manifest = {"format": "cpkit-backup/1", "database": url.get_backend_name(), "file": name,
                "at": dt.datetime.now(dt.UTC).isoformat(), "key_included": False}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def restore(store, folder: Path) -> dict:
    """Put the backup in ``folder`` back as ``store``'s content (replacing it)."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise BadInput(f"{folder}: not a cpkit backup ({MANIFEST} missing or damaged)") \
            from err
    url = store.engine.url
    if manifest.get("database") != url.get_backend_name():
        raise BadInput(f"{folder}: a {manifest.get('database')} backup cannot be restored "
                       f"into a {url.get_backend_name()} store")
    store.engine.dispose()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(folder / SQLITE_FILE)
        dest = sqlite3.connect(url.database)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    else:
        done = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                               "--single-transaction", f"--dbname={_libpq(url)}",
                               str(folder / PG_FILE)], capture_output=True, text=True)
        if done.returncode != 0:
            raise CpkitError(f"pg_restore failed: {done.stderr.strip()[:300]}")
    return manifest
