"""The case store: SQLAlchemy over embedded SQLite or PostgreSQL, with Alembic.

``Store``, ``Record`` and ``dumps`` are imported on first use, so that the lean read
path (:mod:`cpkit.store.lean`) and other small modules of this package do not pay for
SQLAlchemy."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpkit.store.repository import Record, Store, dumps

__all__ = ["Record", "Store", "dumps"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from cpkit.store import repository

        return getattr(repository, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
