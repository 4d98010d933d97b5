"""The case store: SQLAlchemy over embedded SQLite or PostgreSQL, with Alembic."""

from cpkit.store.repository import Record, Store, dumps

__all__ = ["Record", "Store", "dumps"]
