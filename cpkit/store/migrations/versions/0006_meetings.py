"""The CMR cycle: deadlines name their meeting and agency; every saved case version kept.

Revision ID: 0006

``case_versions`` keeps each version of a case as it was saved (sealed like the
case), so minutes read the case as it stood at the meeting.  The versions stored
before this migration are not known; each case's current version is its first kept
one.  The deadline rows of stored cases are recomputed by ``cpkit init``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("meeting", sa.Date))
        batch.add_column(sa.Column("agency", sa.String(40)))
    op.create_table(
        "case_versions",
        sa.Column("case_id", sa.String(40),
                  sa.ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO case_versions (case_id, version, saved_at, actor, document) "
               "SELECT case_id, version, updated_at, 'cpkit init', document FROM cases")


def downgrade() -> None:
    op.drop_table("case_versions")
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_column("agency")
        batch.drop_column("meeting")
