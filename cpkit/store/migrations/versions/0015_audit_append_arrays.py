"""PostgreSQL: ``cpkit_audit_append()`` reads its JSON arrays once, not once per row.

Why: 0012's function took row ``i``'s code, version and detail as ``p_case_id ->>
(i - 1)`` and the like; on a ``json`` (text) array that operator parses the array from
its start each time, so appending N rows cost N squared: the audit rows of an import
of 10,000 cases took about 13 seconds of the server's CPU, more than the rest of the
import.  Here the three arrays are unpacked into PostgreSQL arrays once (in order),
then indexed.  Everything else is 0012's: the same signature (callers and
``cpkit_save_case()`` unchanged), the same lock, the same head read, the same hash
(``sha256(previous || E'\\n' || body)``), one insert per row in order, so the chain
is verified as before (``cpkit check``).  A downgrade puts 0012's body back.

Revision ID: 0015
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

AUDIT_LOCK = 0x63706B6974  # as cpkit.store.repository.AUDIT_LOCK: the same lock

APPEND = f"""
CREATE OR REPLACE FUNCTION cpkit_audit_append(
  p_at timestamptz, p_actor text, p_action text, p_origin text,
  p_case_id json, p_case_version json, p_detail json, p_body text[]) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  previous text;
  codes text[] := ARRAY(SELECT e FROM json_array_elements_text(p_case_id)
                        WITH ORDINALITY AS t(e, n) ORDER BY n);
  versions integer[] := ARRAY(SELECT e::integer FROM json_array_elements_text(p_case_version)
                              WITH ORDINALITY AS t(e, n) ORDER BY n);
  details json[] := ARRAY(SELECT e FROM json_array_elements(p_detail)
                          WITH ORDINALITY AS t(e, n) ORDER BY n);
BEGIN
  PERFORM pg_advisory_xact_lock({AUDIT_LOCK});
  previous := coalesce((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '');
  FOR i IN 1 .. coalesce(array_length(p_body, 1), 0) LOOP
    previous := encode(sha256(convert_to(previous || E'\\n' || p_body[i], 'UTF8')), 'hex');
    INSERT INTO audit (at, actor, action, case_id, case_version, detail, origin, hash)
    VALUES (p_at, p_actor, p_action, codes[i], versions[i], details[i], p_origin, previous);
  END LOOP;
  RETURN previous;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        spec = importlib.util.spec_from_file_location(
            "cpkit_migration_0012", Path(__file__).with_name("0012_audit_append.py"))
        before = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(before)
        op.execute(before.APPEND)
