"""Blind-index tokens for finding a child already known, filled for stored cases.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_index",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(40),
                  sa.ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
    )
    op.create_index("ix_identity_index_token", "identity_index", ["token"])
    op.create_index("ix_identity_index_case", "identity_index", ["case_id"])
    from cpkit.store import known  # the stored cases' tokens (needs the identity key)

    known.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("identity_index")
