"""PostgreSQL: append audit rows, hash chain included, in one statement under the lock.

Why: every audit append (each save, each read of a case) is serialised by one lock held
until commit (two writers must never chain to the same row).  With 0011 the writer took
the lock and read the head in one call, then hashed its rows in Python and inserted
them in a second round trip: while it waited for the answer, was scheduled again and
sent the rows, every other writer waited.  ``cpkit_audit_append()`` takes the same
advisory lock, reads the head with a fresh snapshot (a VOLATILE function's every query
takes one, so the row committed by the writer who held the lock before is seen) and
chains and inserts the rows itself: the lock is held for this one statement and the
commit.  The writer works out each row's canonical body before
(:func:`cpkit.store.chain.chain_body`); the hash is the one :func:`cpkit.store.chain.
chain_hash` computes, ``sha256(previous || E'\\n' || body)`` in UTF-8 as hex, so the
chain is verified as before (``cpkit check``).  ``cpkit_audit_head()`` is kept for a
downgrade.

Revision ID: 0012
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AUDIT_LOCK = 0x63706B6974  # as cpkit.store.repository.AUDIT_LOCK: the same lock

# p_case_id, p_case_version, p_detail: JSON arrays (one item per row; NUL-checked as
# text before they reach the database); p_body: each row's chain body.
APPEND = f"""
CREATE OR REPLACE FUNCTION cpkit_audit_append(
  p_at timestamptz, p_actor text, p_action text, p_origin text,
  p_case_id json, p_case_version json, p_detail json, p_body text[]) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  previous text;
BEGIN
  PERFORM pg_advisory_xact_lock({AUDIT_LOCK});
  previous := coalesce((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '');
  FOR i IN 1 .. coalesce(array_length(p_body, 1), 0) LOOP
    previous := encode(sha256(convert_to(previous || E'\\n' || p_body[i], 'UTF8')), 'hex');
    INSERT INTO audit (at, actor, action, case_id, case_version, detail, origin, hash)
    VALUES (p_at, p_actor, p_action, p_case_id ->> (i - 1),
            (p_case_version ->> (i - 1))::integer, p_detail -> (i - 1), p_origin, previous);
  END LOOP;
  RETURN previous;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS cpkit_audit_append(timestamptz, text, text, "
                   "text, json, json, json, text[])")
