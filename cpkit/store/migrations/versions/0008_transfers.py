"""Transfers of a case between case managers and municipalities.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(40),
                  sa.ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
        sa.Column("from_user", sa.String(200), nullable=False),
        sa.Column("to_user", sa.String(200), nullable=False),
        sa.Column("to_municipality", sa.String(200)),
        sa.Column("reason", sa.JSON),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decline_reason", sa.JSON),
    )
    op.create_index("ix_transfers_case", "transfers", ["case_id"])


def downgrade() -> None:
    op.drop_table("transfers")
