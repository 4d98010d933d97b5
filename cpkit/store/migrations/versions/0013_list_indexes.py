"""Indexes for the caseload lists, so that they grow with their result, not the store.

Why: a national caseload over several years is mostly closed cases, and each case row
holds its sealed document, so reading the list columns of every row meant reading the
whole table.

- ``ix_cases_open_risk`` and ``ix_cases_open_manager``: ``cpkit list --risk R`` and
  ``--manager M`` list the cases open now (a closed case's risk is history; a
  manager's caseload is their open cases).  Partial indexes of the open cases, keyed by
  the filter and the code (the list's order); their condition is written in the
  statements of :mod:`cpkit.store.list_sql` word for word (``CASE_OPEN``), which is
  what lets SQLite and PostgreSQL use them.
- ``ix_cases_list``: every column the caseload table reads, in code order, so the full
  caseload (``cpkit list``, the dashboard, ``cpkit caseload``) and the deadline lists'
  join read this index and not the documents (SQLite: a covering index scan, half the
  time of a table scan on 100,000 cases).

Revision ID: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CASE_OPEN = "stage <> 'closed'"  # as cpkit.store.list_sql.CASE_OPEN
OPEN_INDEXES = {"ix_cases_open_risk": "overall_risk", "ix_cases_open_manager": "case_manager"}
# As cpkit.store.schema.LIST_INDEX_COLUMNS: the filters, then cpkit.store.list_sql's
# SUMMARY_COLUMNS.
LIST_COLUMNS = ("case_id", "training", "voided_at", "overall_risk", "current_risk", "stage",
                "case_manager", "next_due", "next_kind", "version", "municipality")


def upgrade() -> None:
    for name, column in OPEN_INDEXES.items():
        op.create_index(name, "cases", [column, "case_id"],
                        sqlite_where=sa.text(CASE_OPEN), postgresql_where=sa.text(CASE_OPEN))
    op.create_index("ix_cases_list", "cases", list(LIST_COLUMNS))


def downgrade() -> None:
    op.drop_index("ix_cases_list", table_name="cases")
    for name in OPEN_INDEXES:
        op.drop_index(name, table_name="cases")
