"""PostgreSQL: a save written in one statement, committed without waiting for the writer.

Why: a save took the store's key lock, locked the case's row, then (in the writer's
Python: merge, validation, derived columns, sealing) updated the row, rewrote the
deadline rows, kept the version and appended the audit row, each a round trip, and
committed: about nine round trips, the case's row locked across most of them and the
audit chain's lock across the last.  Under twenty writers on two cores each round trip
also waits for the writer to get a CPU again, so a shared case's row lock (and the
chain's) was held for that wait: in the hub benchmark half of the writers' time was
spent waiting for another writer's row lock.

``cpkit_save_case()`` writes what the writer worked out against the version it read
(the Guard's one read of the row), in one statement run in autocommit: it takes the
store's key lock shared and checks the key the document was sealed with, locks the
row and checks that its version and void mark are still the ones read, then updates
the row, replaces the deadline rows only when they changed, keeps the version and
appends the audit row (``cpkit_audit_append``, last: the chain's lock is held for its
own insert and the commit, which follows in the server with no round trip).  When the
row changed since it was read it writes nothing and returns the row as it is now
(``stale``), for the writer to merge again or to report a conflict; a key that is not
the one recorded returns ``key``.  Every guarantee of the transaction it replaces
holds: all of the save or none, the version checked on the locked row, one audit row
chained under the lock (``cpkit check`` verifies it as before).

Revision ID: 0014
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SIGNATURE = ("text, integer, boolean, text, text, timestamptz, text, text, text, "
             "boolean, text, text, text, text, text, date, text, json, json, text")

# p_deadlines: a JSON array of {name, kind, due, done_on, meeting, agency} (NUL-checked
# as text before it reaches the database); p_detail: the audit row's detail; p_body:
# its chain body (cpkit.store.chain.chain_body), worked out by the writer.
SAVE = """
CREATE OR REPLACE FUNCTION cpkit_save_case(
  p_case_id text, p_read_version integer, p_read_voided boolean, p_key text,
  p_document text, p_at timestamptz, p_actor text, p_action text, p_origin text,
  p_training boolean, p_municipality text, p_case_manager text, p_overall_risk text,
  p_current_risk text, p_stage text, p_next_due date, p_next_kind text,
  p_deadlines json, p_detail json, p_body text)
RETURNS TABLE (status text, version integer, document text, voided boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  stored_key text;
  cur record;
  saved integer := p_read_version + 1;
BEGIN
  SELECT m.value INTO stored_key FROM store_meta m WHERE m.name = 'key' FOR SHARE;
  IF stored_key IS DISTINCT FROM p_key THEN
    RETURN QUERY SELECT 'key'::text, NULL::integer, NULL::text, NULL::boolean;
    RETURN;
  END IF;
  SELECT c.version, c.document, c.voided_at IS NOT NULL AS voided INTO cur
    FROM cases c WHERE c.case_id = p_case_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'missing'::text, NULL::integer, NULL::text, NULL::boolean;
    RETURN;
  END IF;
  IF cur.version <> p_read_version OR cur.voided <> p_read_voided THEN
    RETURN QUERY SELECT 'stale'::text, cur.version, cur.document, cur.voided;
    RETURN;
  END IF;
  UPDATE cases c SET version = saved, updated_at = p_at, training = p_training,
    municipality = p_municipality, case_manager = p_case_manager,
    overall_risk = p_overall_risk, current_risk = p_current_risk, stage = p_stage,
    next_due = p_next_due, next_kind = p_next_kind, document = p_document
    WHERE c.case_id = p_case_id;
  -- The deadline rows are replaced only when they changed (most saves leave them).
  IF EXISTS (SELECT d.name, d.kind, d.due, d.done_on, d.meeting, d.agency
               FROM deadlines d WHERE d.case_id = p_case_id
             EXCEPT ALL SELECT * FROM json_to_recordset(p_deadlines) AS n(
               name text, kind text, due date, done_on date, meeting date, agency text))
     OR EXISTS (SELECT * FROM json_to_recordset(p_deadlines) AS n(
                  name text, kind text, due date, done_on date, meeting date, agency text)
                EXCEPT ALL SELECT d.name, d.kind, d.due, d.done_on, d.meeting, d.agency
                  FROM deadlines d WHERE d.case_id = p_case_id) THEN
    DELETE FROM deadlines d WHERE d.case_id = p_case_id;
    INSERT INTO deadlines (case_id, name, kind, due, done_on, meeting, agency)
      SELECT p_case_id, n.name, n.kind, n.due, n.done_on, n.meeting, n.agency
        FROM json_to_recordset(p_deadlines) AS n(
          name text, kind text, due date, done_on date, meeting date, agency text);
  END IF;
  INSERT INTO case_versions (case_id, version, saved_at, actor, document)
    VALUES (p_case_id, saved, p_at, p_actor, p_document);
  PERFORM cpkit_audit_append(p_at, p_actor, p_action, p_origin, json_build_array(p_case_id),
                             json_build_array(saved), json_build_array(p_detail),
                             ARRAY[p_body]);
  RETURN QUERY SELECT 'saved'::text, saved, NULL::text, false;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SAVE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS cpkit_save_case({SIGNATURE})")
