"""Notifications: contacts, each user's inbox, and the mail log (codes only, no names).

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("user_name", sa.String(200),
                  sa.ForeignKey("users.name", ondelete="CASCADE"), primary_key=True),
        sa.Column("email", sa.String(320)),
        sa.Column("delivery", sa.String(10), nullable=False),
        sa.Column("lang", sa.String(10)),
        sa.Column("last_digest_on", sa.Date),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(40)),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("dedupe", sa.String(300), nullable=False, unique=True),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.Column("mailed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_notifications_recipient", "notifications", ["recipient"])
    op.create_table(
        "mail_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("notification_ids", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(500)),
    )
    op.create_index("ix_mail_log_status", "mail_log", ["status"])


def downgrade() -> None:
    op.drop_table("mail_log")
    op.drop_table("notifications")
    op.drop_table("contacts")
