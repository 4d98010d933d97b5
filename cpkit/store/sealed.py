"""Sealed free text outside the case documents, listed once so a key rotation re-seals it.

Each entry: the table, the prefix of the seal's context, the column the seal is bound to
(with the prefix: ``cpkit-transfer:PR-2026-0001``), and the sealed columns.  ``cpkit
rotate-key`` calls :func:`reseal` in its transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, select, update

from cpkit import crypto
from cpkit.store import codec
from cpkit.store.schema import cases, referrals_in, transfers

SEALED: list[tuple[Table, str, str, tuple[str, ...]]] = [
    (transfers, "cpkit-transfer", "case_id", ("reason", "decline_reason")),
    (referrals_in, "cpkit-referral", "token", ("document", "decline_reason")),
    (cases, "cpkit-void", "case_id", ("void_reason",)),
]


def row_by_id(engine, table: Table, row_id: int, what: str):
    """The row ``row_id`` of ``table`` (a transfer, a referral); :class:`NotFound` naming
    ``what`` when there is none."""
    from cpkit.errors import NotFound

    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).first()
    if row is None:
        raise NotFound(f"{what} {row_id}: no such {what}")
    return row


def context(prefix: str, case_id: str) -> str:
    return codec.text_context(prefix, case_id)


def reseal(conn: Connection, old: crypto.Key, new: crypto.Key) -> int:
    """Re-seal every sealed column with ``new``; how many values."""
    count = 0
    for table, prefix, bound_to, columns in SEALED:
        key = table.c.id if "id" in table.c else table.c[bound_to]  # cases: by code
        wanted = dict.fromkeys([key, table.c[bound_to], *(table.c[c] for c in columns)])
        for row in conn.execute(select(*wanted)).all():
            where = context(prefix, getattr(row, bound_to))
            values = {c: codec.seal_text(codec.open_text(getattr(row, c), where, old), where, new)
                      for c in columns if getattr(row, c) is not None}
            if values:
                conn.execute(update(table).where(key == getattr(row, key.name)).values(**values))
                count += len(values)
    return count
