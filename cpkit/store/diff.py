"""Which fields a change touched: paths only, so the audit trail holds no case data.

The comparison itself lives with the three-way merge (:mod:`cpkit.merge`), which
reports the fields it merged with the same paths."""

from __future__ import annotations

from cpkit.merge import changed_paths

__all__ = ["changed_paths"]
