"""Users and their roles, for need-to-know access.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("agency", sa.String(40)),
        sa.Column("display_name", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_name", sa.String(200),
                  sa.ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
        sa.Column("case_id", sa.String(40),
                  sa.ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
        sa.Column("identity", sa.Boolean, nullable=False),
        sa.Column("granted_by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_grants_user", "grants", ["user_name"])


def downgrade() -> None:
    op.drop_table("grants")
    op.drop_table("users")
