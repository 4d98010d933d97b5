"""``cpkit rotate-key``: seal every case with a new identity key, all or nothing.

Order of work, so that no step can leave cases that no key opens:

1. one transaction takes the store's write lock exclusively (every other write waits,
   on SQLite and PostgreSQL alike), so no case can be saved with the old key while
   the others move to the new one;
2. the new key is written to ``key.new`` (0600, synced) beside the key file;
3. every case is opened with the old key and sealed with the new one (cases written
   before encryption are sealed now too), then read back and checked with the new
   key; the store records the new key's fingerprint; one audit row; commit;
4. only then ``key.new`` replaces ``key`` in one rename.  The old key stays in
   ``key`` until every row is re-sealed and verified.

Killed at any point, nothing is lost: before the commit the store is still sealed
with the old key (``key``); after it, with the new one (``key.new``), which every
read and write finds by its fingerprint until :func:`cpkit.crypto.complete_rotation`
(run by ``cpkit check``) finishes the rename.  With ``CPKIT_KEY`` in use there is no key file
to write: the new key is returned for the operator to put in place of the old one.
"""

from __future__ import annotations

import os

from sqlalchemy import select, update

from cpkit import crypto, identity
from cpkit.errors import CpkitError
from cpkit.store import Store, codec, known, sealed
from cpkit.store.schema import case_versions, cases, store_meta
from cpkit.store.signoffs import reseal_comments


class RotationFailed(CpkitError):
    """A re-sealed case did not read back the same: nothing was changed."""


def rotate_key(store: Store, actor: str | None = None) -> tuple[int, str | None]:
    """Re-seal every case; returns how many, and the new key text when CPKIT_KEY is
    in use (else ``None``: the key file was replaced)."""
    new_text = crypto.new_key_text()
    new = crypto.parse_key(new_text, "the new key")
    from_env = bool(os.environ.get("CPKIT_KEY"))
    staged = crypto.staged_key_file()
    try:
        with store.engine.begin() as conn:
            fingerprint = store._lock(conn, exclusive=True)
            old = (crypto.key_for(fingerprint) if fingerprint
                   else crypto.current_key(create=True))
            if not from_env:
                crypto.write_key_file(staged, new_text)
            count = _reseal(conn, old, new)
            reseal_comments(conn, old, new)
            known.rebuild(conn, new)  # the blind index is keyed too
            sealed.reseal(conn, old, new)  # and the free text kept beside the cases
            conn.execute(update(store_meta).where(store_meta.c.name == "key")
                         .values(value=new.fingerprint))
            Store._audit(conn, [(None, None, {"cases": count, "key": new.fingerprint})],
                         actor or identity.current_user(), "rotate_key")
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    if from_env:
        return count, new_text
    crypto.complete_rotation(new.fingerprint)
    return count, None


def _reseal(conn, old: crypto.Key, new: crypto.Key) -> int:
    """Seal every case with ``new``, then read each back with ``new`` and compare."""
    query = select(cases.c.case_id, cases.c.document)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    opened = {}
    for row in conn.execute(query).all():
        document = codec.decode(row.document, old)
        opened[row.case_id] = document
        conn.execute(update(cases).where(cases.c.case_id == row.case_id)
                     .values(document=codec.encode(document, new)))
    for row in conn.execute(select(cases.c.case_id, cases.c.document)):
        if codec.decode(row.document, new) != opened[row.case_id]:
            raise RotationFailed(f"{row.case_id}: the case did not read back the same "
                                 "with the new key; nothing was changed")
    _reseal_versions(conn, old, new)
    return len(opened)


def _reseal_versions(conn, old: crypto.Key, new: crypto.Key) -> None:
    """Every kept version of every case (minutes read them), sealed with ``new``."""
    v = case_versions.c
    for row in conn.execute(select(v.case_id, v.version, v.document)).all():
        document = codec.decode(row.document, old)
        conn.execute(update(case_versions)
                     .where(v.case_id == row.case_id, v.version == row.version)
                     .values(document=codec.encode(document, new)))
