"""Drafts: what an assessor typed and has not saved, one file per (user, case, form).

Written on every change, so a closed tab or a dropped connection loses nothing; removed
after a successful save.  Files live under ``<CPKIT_HOME>/drafts`` with mode 0600.

Why sealed and hashed: a draft holds what the form holds, the child's identity
included, so it is sealed with the store's key like the case (AES-GCM, bound to its
file name), never plain text on disk.  Its file name is a hash of the exact user name,
case code and form: two users whose names differ only in characters a sanitiser would
fold (``arta.m`` and ``arta@m``) never share a draft, and the name tells nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cpkit import crypto
from cpkit.errors import CpkitError
from cpkit.paths import home, write_private

NEW = "new"  # the case key of a referral not yet stored
FORMAT = "cpkit-draft/2"


def folder() -> Path:
    path = home() / "drafts"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def draft_path(user: str, case_id: str | None, form: str) -> Path:
    """The draft file of exactly this user, case and form (a hash: no folding)."""
    exact = json.dumps([user, case_id or NEW, form], ensure_ascii=False)
    return folder() / f"{hashlib.sha256(exact.encode('utf-8')).hexdigest()}.draft"


def _key(store=None) -> crypto.Key:
    """The key in use; for a store that holds nothing sealed yet, its first key."""
    try:
        return crypto.current_key(create=False)
    except crypto.KeyMismatch:
        raise
    except crypto.IdentityKeyError:
        if store is None:
            raise
        return getattr(store, "store", store).ensure_key()


@dataclass(frozen=True)
class Draft:
    document: dict
    base_version: int | None
    saved_at: dt.datetime
    extra: dict


def write(user: str, case_id: str | None, form: str, document: dict,
          base_version: int | None, extra: dict | None = None, store=None) -> Path:
    """Write the draft sealed, atomically (a crash never leaves half a file) and
    privately.  ``store`` (the form's) gives the first key of an empty store."""
    path = draft_path(user, case_id, form)
    payload = {"user": user, "case_id": case_id, "form": form,
               "base_version": base_version,
               "saved_at": dt.datetime.now(dt.UTC).isoformat(), "document": document,
               "extra": extra or {}}
    plain = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    sealed = crypto.seal(plain, f"cpkit-draft:{path.name}", _key(store))
    write_private(path, json.dumps({"v": FORMAT, "sealed": sealed}))
    return path


def read(user: str, case_id: str | None, form: str) -> Draft | None:
    """This user's draft of this case and form, or ``None`` (none, damaged, or sealed
    with a key that is no longer the store's: then it is left where it is)."""
    path = draft_path(user, case_id, form)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("v") != FORMAT:
            return None
        payload = json.loads(crypto.unseal(stored["sealed"], f"cpkit-draft:{path.name}"))
        if [payload.get("user"), payload.get("case_id"), payload.get("form")] != \
                [user, case_id, form]:
            return None
        return Draft(payload["document"], payload.get("base_version"),
                     dt.datetime.fromisoformat(payload["saved_at"]), payload.get("extra") or {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError, CpkitError):
        return None


def delete(user: str, case_id: str | None, form: str) -> None:
    draft_path(user, case_id, form).unlink(missing_ok=True)
