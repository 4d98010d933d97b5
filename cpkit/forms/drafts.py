"""Drafts: what an assessor typed and has not saved, one file per (user, case, form).

Written on every change, so a closed tab or a dropped connection loses nothing; removed
after a successful save.  Files live under ``<CPKIT_HOME>/drafts`` with mode 0600 and
are named from the user, the case code and the form (sanitised), never from a name.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cpkit.paths import home

NEW = "new"  # the case key of a referral not yet stored


def _safe(part: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", part or "")[:60]
    return cleaned or "_"


def folder() -> Path:
    path = home() / "drafts"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def draft_path(user: str, case_id: str | None, form: str) -> Path:
    return folder() / f"{_safe(user)}__{_safe(case_id or NEW)}__{_safe(form)}.json"


@dataclass(frozen=True)
class Draft:
    document: dict
    base_version: int | None
    saved_at: dt.datetime
    extra: dict


def write(user: str, case_id: str | None, form: str, document: dict,
          base_version: int | None, extra: dict | None = None) -> Path:
    """Write the draft atomically (a crash never leaves half a file) and privately."""
    path = draft_path(user, case_id, form)
    payload = {"case_id": case_id, "form": form, "base_version": base_version,
               "saved_at": dt.datetime.now(dt.UTC).isoformat(), "document": document,
               "extra": extra or {}}
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, default=str)
    os.replace(tmp, path)
    return path


def read(user: str, case_id: str | None, form: str) -> Draft | None:
    path = draft_path(user, case_id, form)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return Draft(payload["document"], payload.get("base_version"),
                     dt.datetime.fromisoformat(payload["saved_at"]), payload.get("extra") or {})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def delete(user: str, case_id: str | None, form: str) -> None:
    draft_path(user, case_id, form).unlink(missing_ok=True)
