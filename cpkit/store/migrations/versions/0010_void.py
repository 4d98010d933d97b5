"""A case created by mistake can be voided: kept, marked void with a reason.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): never a batch copy of ``cases``, whose
    # dependants (deadlines, versions, reports) cascade on delete.
    op.add_column("cases", sa.Column("voided_at", sa.DateTime(timezone=True)))
    op.add_column("cases", sa.Column("voided_by", sa.String(200)))
    op.add_column("cases", sa.Column("void_reason", sa.JSON))


def downgrade() -> None:
    for column in ("void_reason", "voided_by", "voided_at"):
        op.drop_column("cases", column)
