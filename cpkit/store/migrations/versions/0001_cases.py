"""Cases, their deadlines, the append-only audit trail and case-code sequences.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = """
CREATE TRIGGER audit_no_{op} BEFORE {OP} ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
"""
APPEND_ONLY_PG = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("training", sa.Boolean, nullable=False),
        sa.Column("municipality", sa.String(200)),
        sa.Column("case_manager", sa.String(200)),
        sa.Column("overall_risk", sa.String(10)),
        sa.Column("current_risk", sa.String(10)),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("next_due", sa.Date),
        sa.Column("next_kind", sa.String(40)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(40),
                  sa.ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("done_on", sa.Date),
    )
    op.create_index("ix_deadlines_open", "deadlines", ["done_on", "due"])
    op.create_index("ix_deadlines_case", "deadlines", ["case_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(40)),
        sa.Column("case_version", sa.Integer),
        sa.Column("detail", sa.JSON),
        sa.Column("origin", sa.String(200)),
    )
    op.create_index("ix_audit_case", "audit", ["case_id"])
    op.create_table(
        "code_sequences",
        sa.Column("prefix", sa.String(10), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name in ("update", "delete"):
            op.execute(APPEND_ONLY_SQLITE.format(op=name, OP=name.upper()))
    else:
        op.execute(APPEND_ONLY_PG)


def downgrade() -> None:
    for table in ("code_sequences", "audit", "deadlines", "cases"):
        op.drop_table(table)
