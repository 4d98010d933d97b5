"""PostgreSQL: take the audit chain's lock and read its head in one call.

Why: every audit append (each save, each read of a case) is serialised by one lock held
until commit (two writers must never chain to the same row).  Taking the lock and then
reading the newest row's hash were two round trips made while holding it; every other
writer waited for both.  ``cpkit_audit_head()`` takes the same advisory lock and reads
the head with a fresh snapshot (a VOLATILE function's every query takes one, so the
row committed by the writer who held the lock before is seen), in one round trip.

Revision ID: 0011
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

AUDIT_LOCK = 0x63706B6974  # as cpkit.store.repository.AUDIT_LOCK: the same lock

HEAD = f"""
CREATE OR REPLACE FUNCTION cpkit_audit_head() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({AUDIT_LOCK});
  RETURN (SELECT hash FROM audit ORDER BY id DESC LIMIT 1);
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(HEAD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS cpkit_audit_head()")
