"""The store's key state and audit chain, checked: what ``cpkit check`` calls.

For the no-lost-work issue's ``cpkit check`` (and anyone else): call
``check_key_and_audit(store, repair=...)``; it returns :class:`Finding` rows, each
with ``ok`` (nothing wrong), ``repaired`` (something was wrong and was put right) or
neither (a problem a person must act on; ``cpkit check`` should then exit 1).

What it checks:

- the key: the store's recorded fingerprint, whether the key in use is that key
  (or can be found: ``key.new`` left by a ``rotate-key`` killed at its rename, which
  ``repair`` renames into place; a stale ``key.new`` that fits nothing is removed);
  whether every stored case is sealed with the store's key;
- the audit trail's hash chain (:mod:`cpkit.store.chain`): every row follows from the
  one before; the head hash is reported so it can be compared with a kept copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from cpkit import crypto
from cpkit.store.schema import cases


@dataclass(frozen=True)
class Finding:
    """One line of the check: what was looked at, and what was found."""

    subject: str
    message: str
    ok: bool = True
    repaired: bool = False

    def __str__(self) -> str:
        mark = "ok" if self.ok else ("repaired" if self.repaired else "PROBLEM")
        return f"{mark}: {self.subject}: {self.message}"


def check_key_and_audit(store, repair: bool = False) -> list[Finding]:
    """Check the store's key state and audit chain; ``repair`` finishes an interrupted
    ``rotate-key`` (the only repair that needs no decision by a person)."""
    return [*check_key(store, repair), check_audit(store)]


def check_key(store, repair: bool = False) -> list[Finding]:
    fingerprint = store.key_fingerprint()
    found: list[Finding] = []
    if repair and fingerprint:
        done = crypto.complete_rotation(fingerprint)
        if done:
            found.append(Finding("key", done, ok=False, repaired=True))
    if fingerprint is None:
        found.append(Finding("key", "the store holds nothing sealed yet (no key recorded)"))
        return found
    try:
        key = crypto.key_for(fingerprint)
    except crypto.IdentityKeyError as err:
        found.append(Finding("key", str(err), ok=False))
        return found
    if key.source != "CPKIT_KEY" and key.source != f"key file {crypto.key_file()}":
        found.append(Finding("key", f"the store's key is in {key.source}, not in the key "
                             "file: run `cpkit check --repair` to finish the rotate-key",
                             ok=False))
    others = _sealed_with_other_keys(store, fingerprint)
    if others:
        found.append(Finding("key", f"{len(others)} case(s) sealed with another key: "
                             f"{', '.join(others[:10])}", ok=False))
    else:
        found.append(Finding("key", f"every case is sealed with the store's key "
                             f"({fingerprint})"))
    return found


def _sealed_with_other_keys(store, fingerprint: str) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(cases.c.case_id, cases.c.document)
                            .order_by(cases.c.case_id))
        out = []
        for row in rows:
            stored = json.loads(row.document)
            if isinstance(stored, dict) and stored.get("sealed", {}).get("kid") != fingerprint:
                out.append(row.case_id)
        return out


def check_audit(store) -> Finding:
    report = store.verify_audit()
    if report.intact:
        return Finding("audit", f"{report.rows} row(s), hash chain intact; head {report.head}")
    return Finding("audit", f"{report.problem}; the {report.rows} row(s) before it are "
                   "intact", ok=False)
