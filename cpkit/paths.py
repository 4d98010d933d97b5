"""Where cpkit keeps its data: ``CPKIT_HOME`` or the platform's user data folder."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import platformdirs


def home() -> Path:
    """The data folder, created private to the user (mode 0700) on first use."""
    return _home(os.environ.get("CPKIT_HOME") or platformdirs.user_data_dir("cpkit"))


@lru_cache(maxsize=64)
def _home(folder: str) -> Path:
    """Create each data folder once per process (it sits on every store write's path)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def database_url() -> str:
    """``CPKIT_DB`` (any SQLAlchemy URL), else the embedded SQLite store."""
    return os.environ.get("CPKIT_DB") or f"sqlite:///{home() / 'cases.db'}"


# Case codes and anything a user typed become file names only through these.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
COMPONENT_MAX = 120


def safe_component(text: str, *, strict: bool = True) -> str:
    """``text`` as one safe file-name component: no ``..``, separators, NUL or control
    characters, no leading dot, at most 120 characters.

    ``strict`` (for case codes): anything unsafe is refused with :class:`BadInput`.
    Otherwise (for titles and other free input): unsafe characters become ``_``.
    """
    from cpkit.errors import BadInput

    if not isinstance(text, str):
        raise BadInput("a file name must be text")
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip().lstrip(".")
    cleaned = cleaned[:COMPONENT_MAX].rstrip(". ")
    if strict and (cleaned != text or not cleaned):
        raise BadInput(f"{text[:40]!r} cannot be used as a file name (no '..', slashes, "
                       "control characters or leading dots)")
    return cleaned or "_"


def safe_join(base: Path, *parts: str) -> Path:
    """``base / parts`` with each part made safe, and never outside ``base``."""
    from cpkit.errors import BadInput

    root = Path(base).resolve()
    target = root.joinpath(*(safe_component(p, strict=False) for p in parts)).resolve()
    if target != root and root not in target.parents:
        raise BadInput("the file would be written outside its folder")
    return target


def write_private(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` readable by the owner only (0600), replacing it."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return path
