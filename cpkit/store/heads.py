"""The newest schema migration, known without Alembic or SQLAlchemy.

Kept apart from :mod:`cpkit.store.repository` so that the lean read path
(:mod:`cpkit.store.lean`) can tell whether a store is at the newest schema without
importing SQLAlchemy.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"


@cache
def head_revisions() -> frozenset[str]:
    """The newest migration(s), read from the migration files without Alembic (which
    costs a quarter of a second to import); empty when a file cannot be read so."""
    revisions: dict[str, tuple] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = {name: re.search(rf"^{name}\s*(?::[^=]*)?=\s*(.+)$", source, re.M)
                 for name in ("revision", "down_revision")}
        if not all(found.values()):
            return frozenset()
        try:
            revision = ast.literal_eval(found["revision"].group(1).strip())
            down = ast.literal_eval(found["down_revision"].group(1).strip())
        except (ValueError, SyntaxError):
            return frozenset()
        revisions[revision] = down if isinstance(down, tuple) else (down,)
    below = {d for downs in revisions.values() for d in downs if d}
    return frozenset(set(revisions) - below)
