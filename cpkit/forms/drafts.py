"""Drafts: what an assessor typed and has not saved, one file per (user, case, form).

Written on every change, so a closed tab or a dropped connection loses nothing; removed
after a successful save.  Files live under ``<CPKIT_HOME>/drafts`` with mode 0600.

Why sealed and hashed: a draft holds what the form holds, the child's identity
included, so it is sealed with the store's key like the case (AES-GCM, bound to its
file name), never plain text on disk.  Its file name is a hash of the exact user name,
case code and form: two users whose names differ only in characters a sanitiser would
fold (``arta.m`` and ``arta@m``) never share a draft, and the name tells nothing.

Each browser tab keeps its own draft (the hash, then the tab's id): one tab's save
never removes another tab's typing.  A draft also keeps the document the typing
started from (``base``), so that restoring it merges (:mod:`cpkit.merge`) rather than
putting back an old copy of a field someone saved since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cpkit import crypto
from cpkit.access.served import served
from cpkit.errors import CpkitError
from cpkit.paths import home, write_private

NEW = "new"  # the case key of a referral not yet stored
FORMAT = "cpkit-draft/2"


def folder() -> Path:
    path = home() / "drafts"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def draft_path(user: str, case_id: str | None, form: str, tab: str = "") -> Path:
    """The draft file of exactly this user, case and form (a hash: no folding), and
    browser tab."""
    exact = json.dumps([user, case_id or NEW, form], ensure_ascii=False)
    digest = hashlib.sha256(exact.encode("utf-8")).hexdigest()
    return folder() / (f"{digest}-{_tab(tab)}.draft" if tab else f"{digest}.draft")


def _tab(tab: str) -> str:
    return "".join(c for c in tab if c.isalnum())[:32] or "_"


def _paths(user: str, case_id: str | None, form: str) -> list[Path]:
    """The drafts of every tab of this user, case and form."""
    plain = draft_path(user, case_id, form)
    return [plain, *plain.parent.glob(f"{plain.stem}-*.draft")]


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
    base: dict | None = None  # the stored document the typing started from (to merge)
    tab: str = ""


def write(user: str, case_id: str | None, form: str, document: dict,
          base_version: int | None, extra: dict | None = None, store=None, *,
          base: dict | None = None, tab: str = "") -> Path:
    """Write the draft sealed, atomically (a crash never leaves half a file) and
    privately.  ``store`` (the form's) gives the first key of an empty store."""
    path = draft_path(user, case_id, form, tab)
    payload = {"user": user, "case_id": case_id, "form": form, "tab": tab, "base": base,
               "base_version": base_version,
               "saved_at": dt.datetime.now(dt.UTC).isoformat(), "document": document,
               "extra": extra or {}}
    plain = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    sealed = crypto.seal(plain, f"cpkit-draft:{path.name}", _key(store))
    write_private(path, json.dumps({"v": FORMAT, "sealed": sealed}))
    return path


def read(user: str, case_id: str | None, form: str, tab: str | None = None) -> Draft | None:
    """This user's draft of this case and form from ``tab`` (``None``: the newest of any
    tab), or ``None`` (none, damaged, or sealed with a key that is no longer the store's:
    then it is left where it is)."""
    paths = [draft_path(user, case_id, form, tab)] if tab is not None else \
        _paths(user, case_id, form)
    found = [d for d in (_load(p, user, case_id, form) for p in paths) if d is not None]
    return max(found, key=lambda d: d.saved_at) if found else None


def _load(path: Path, user: str, case_id: str | None, form: str) -> Draft | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("v") != FORMAT:
            return None
        payload = json.loads(crypto.unseal(stored["sealed"], f"cpkit-draft:{path.name}"))
        if [payload.get("user"), payload.get("case_id"), payload.get("form")] != \
                [user, case_id, form]:
            return None
        return Draft(payload["document"], payload.get("base_version"),
                     dt.datetime.fromisoformat(payload["saved_at"]), payload.get("extra") or {},
                     payload.get("base"), payload.get("tab") or "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, CpkitError):
        return None


def delete(user: str, case_id: str | None, form: str, tab: str | None = None) -> None:
    """Remove the draft of ``tab`` (``None``: of every tab)."""
    paths = [draft_path(user, case_id, form, tab)] if tab is not None else \
        _paths(user, case_id, form)
    for path in paths:
        path.unlink(missing_ok=True)


# --- through the user's guard (a form's kernel has neither the key nor the folder) ------

@served
def keep(guard, case_id: str | None, form: str, document: dict, base_version: int | None,
         *, base: dict | None = None, tab: str = "") -> None:
    """:func:`write` for the guard's user (by the host, for a form's kernel)."""
    write(guard.user, case_id, form, document, base_version, store=guard.store, base=base,
          tab=tab)


@served
def newest(guard, case_id: str | None, form: str, tab: str | None = None) -> Draft | None:
    """:func:`read` for the guard's user (by the host, for a form's kernel)."""
    return read(guard.user, case_id, form, tab)


@served
def forget(guard, case_id: str | None, form: str, tab: str | None = None) -> None:
    """:func:`delete` for the guard's user (by the host, for a form's kernel)."""
    delete(guard.user, case_id, form, tab)
