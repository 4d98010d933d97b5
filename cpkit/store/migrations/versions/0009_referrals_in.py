"""Referrals from any agency, waiting for intake.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referrals_in",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("municipality", sa.String(200)),
        sa.Column("referring_agency", sa.String(40), nullable=False),
        sa.Column("referrer", sa.String(200), nullable=False),
        sa.Column("identified_on", sa.Date),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decline_reason", sa.JSON),
        sa.Column("case_id", sa.String(40)),
    )
    op.create_index("ix_referrals_in_status", "referrals_in", ["status"])


def downgrade() -> None:
    op.drop_table("referrals_in")
