"""PostgreSQL: the stored case documents kept out of line without compression.

Why: a case's stored text is mostly its sealed part, base64 of AES-GCM ciphertext,
which does not compress (six bits of every eight are random); but its first kilobyte
(the clear keys, the key order) does, so PostgreSQL's compressor did not give up early
and ran over the whole text (about 14 KB) before storing it uncompressed anyway: on
every save twice, for ``cases.document`` and for the version kept in
``case_versions.document``, about a fifth of the server's CPU for a save (the update
0.23 -> 0.14 ms, the kept version 0.23 -> 0.11 ms measured with auto_explain).
``STORAGE EXTERNAL`` stores a long value out of line as before, without trying to
compress it.  The values stored are the same text; the size on disk the same (no
stored document was compressed: ``pg_column_size`` equals its length).  A value
written before keeps its storage until it is written again.  SQLite has no such
setting: nothing to do there.

Revision ID: 0016
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = (("cases", "document"), ("case_versions", "document"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTENDED")
