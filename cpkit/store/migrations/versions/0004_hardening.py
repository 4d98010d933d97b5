"""The store's own facts (its key's fingerprint, the write lock row), the audit hash
chain, and TRUNCATE of the audit refused on PostgreSQL.

Revision ID: 0004
"""

import json

import sqlalchemy as sa
from alembic import op

# The audit table as it stands at this revision (not the newest schema's).
audit = sa.table(
    "audit", sa.column("id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String), sa.column("action", sa.String),
    sa.column("case_id", sa.String), sa.column("case_version", sa.Integer),
    sa.column("detail", sa.JSON), sa.column("origin", sa.String),
    sa.column("hash", sa.String))

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = """
CREATE TRIGGER audit_no_{op} BEFORE {OP} ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
"""
NO_TRUNCATE_PG = """
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"""


def upgrade() -> None:
    meta = op.create_table(
        "store_meta",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text),
    )
    bind = op.get_bind()
    op.bulk_insert(meta, [{"name": "key", "value": _sealed_with(bind)}])
    op.add_column("audit", sa.Column("hash", sa.String(64)))
    rows = bind.execute(sa.select(audit).order_by(audit.c.id)).mappings().all()
    if rows:
        _chain_existing(bind, rows)
    if bind.dialect.name == "postgresql":
        op.execute(NO_TRUNCATE_PG)


def _chain_existing(bind, rows) -> None:
    """Hash the rows written before the chain existed (the append-only triggers are
    lifted for this one migration, inside its transaction)."""
    from cpkit.store.chain import chain_hash

    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER audit_no_update")
    else:
        op.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_change")
    previous = ""
    for row in rows:
        previous = chain_hash(previous, row)
        bind.execute(sa.update(audit).where(audit.c.id == row["id"]).values(hash=previous))
    if sqlite:
        op.execute(APPEND_ONLY_SQLITE.format(op="update", OP="UPDATE"))
    else:
        op.execute("ALTER TABLE audit ENABLE TRIGGER audit_no_change")


def _sealed_with(bind) -> str | None:
    """The fingerprint of the key the store's cases are sealed with, if any."""
    cases = sa.table("cases", sa.column("document"))
    for (text,) in bind.execute(sa.select(cases.c.document)):
        stored = json.loads(text)
        if isinstance(stored, dict) and "sealed" in stored:
            return stored["sealed"].get("kid")
    return None


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_no_truncate ON audit")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("hash")
    op.drop_table("store_meta")
