"""Where cpkit keeps its data: ``CPKIT_HOME`` or the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def home() -> Path:
    """The data folder, created private to the user (mode 0700) on first use."""
    path = Path(os.environ.get("CPKIT_HOME") or platformdirs.user_data_dir("cpkit"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def database_url() -> str:
    """``CPKIT_DB`` (any SQLAlchemy URL), else the embedded SQLite store."""
    return os.environ.get("CPKIT_DB") or f"sqlite:///{home() / 'cases.db'}"
