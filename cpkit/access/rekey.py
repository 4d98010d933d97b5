"""``cpkit rotate-key``: seal every case with a new identity key, all or nothing.

Order of work, so that no step can leave cases that no key opens:

1. the new key is written to ``key.new`` (0600) beside the key file;
2. one transaction opens every case with the old key and seals it with the new one
   (cases written before encryption are sealed now too); one audit row;
3. after the commit the old key file becomes ``key.old``, ``key.new`` becomes
   ``key``, and ``key.old`` is deleted.  If the process dies in between, the error
   on the next start names the file that fits.

With ``CPKIT_KEY`` in use there is no key file to write: the new key is returned for
the operator to put in place of the old one.
"""

from __future__ import annotations

import os

from sqlalchemy import select, update

from cpkit import crypto, identity
from cpkit.store import Store, codec
from cpkit.store.schema import cases


def rotate_key(store: Store, actor: str | None = None) -> tuple[int, str | None]:
    """Re-seal every case; returns how many, and the new key text when CPKIT_KEY is
    in use (else ``None``: the key file was replaced)."""
    old = crypto.current_key(create=True)
    new_text = crypto.new_key_text()
    new = crypto.parse_key(new_text, "the new key")
    from_env = bool(os.environ.get("CPKIT_KEY"))
    path = crypto.key_file()
    staged = path.with_name(path.name + ".new")
    if not from_env:
        crypto.write_key_file(staged, new_text)
    try:
        with store.engine.begin() as conn:
            query = select(cases.c.case_id, cases.c.document)
            if store.engine.dialect.name == "postgresql":
                query = query.with_for_update()
            rows = conn.execute(query).all()
            for row in rows:
                document = codec.decode(row.document, old)
                conn.execute(update(cases).where(cases.c.case_id == row.case_id)
                             .values(document=codec.encode(document, new)))
            Store._audit(conn, [(None, None, {"cases": len(rows), "key": new.fingerprint})],
                         actor or identity.current_user(), "rotate_key")
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    if from_env:
        return len(rows), new_text
    retired = path.with_name(path.name + ".old")
    os.replace(path, retired)
    os.replace(staged, path)
    retired.unlink()
    return len(rows), None
