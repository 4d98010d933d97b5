"""The store's tables (SQLAlchemy Core).  The case document is the truth; the other
case columns are copies of derived values, refreshed on every save, for fast lists.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from cpkit.store.list_sql import CASE_OPEN

metadata = MetaData()
# The caseload table's index (migration 0013): the filters, then the columns it shows.
LIST_INDEX_COLUMNS = ("case_id", "training", "voided_at", "overall_risk", "current_risk",
                      "stage", "case_manager", "next_due", "next_kind", "version",
                      "municipality")

cases = Table(
    "cases", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("training", Boolean, nullable=False, default=False),
    Column("municipality", String(200)),
    Column("case_manager", String(200)),
    Column("overall_risk", String(10)),
    Column("current_risk", String(10)),
    Column("stage", String(20), nullable=False),
    Column("next_due", Date),
    Column("next_kind", String(40)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("document", Text, nullable=False),
    # A case created by mistake, voided (cpkit.store.voids): kept, out of every list.
    Column("voided_at", DateTime(timezone=True)),
    Column("voided_by", String(200)),
    Column("void_reason", JSON),  # sealed: free text may name the child
    # The lists' indexes (migration 0013): the open cases by risk and by case manager
    # (the filtered lists), and every column of the caseload table (the full lists).
    *(Index(f"ix_cases_open_{key}", column, "case_id", sqlite_where=text(CASE_OPEN),
            postgresql_where=text(CASE_OPEN))
      for key, column in (("risk", "overall_risk"), ("manager", "case_manager"))),
    Index("ix_cases_list", *LIST_INDEX_COLUMNS),
)

deadlines = Table(
    "deadlines", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"),
           nullable=False),
    Column("name", String(80), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("due", Date, nullable=False),
    Column("done_on", Date),
    Column("meeting", Date),  # the meeting it belongs to, where it repeats
    Column("agency", String(40)),  # the agency that owes it, where one does
    Index("ix_deadlines_open", "done_on", "due"),
    Index("ix_deadlines_case", "case_id"),
)

# Every saved version of every case (sealed like ``cases.document``): minutes read
# the case as it stood at the meeting.
case_versions = Table(
    "case_versions", metadata,
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"),
           primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("document", Text, nullable=False),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("case_id", String(40)),
    Column("case_version", Integer),
    Column("detail", JSON),
    Column("origin", String(200)),
    Column("hash", String(64)),  # chained to the previous row: see cpkit.store.chain
    Index("ix_audit_case", "case_id"),
)

# The store's own facts.  Row "key": the fingerprint of the identity key the store is
# sealed with (NULL while it holds nothing sealed); every write locks this row (shared,
# or exclusive for rotate-key), so no write can use a key the store is leaving.
store_meta = Table(
    "store_meta", metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text),
)

code_sequences = Table(
    "code_sequences", metadata,
    Column("prefix", String(10), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"),
           nullable=False),
    Column("case_version", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("format", String(10), nullable=False),
    Column("lang", String(10), nullable=False),
    Column("redacted", Boolean, nullable=False),
    Column("meeting_date", Date),
    Column("path", String(1000), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("distributed_on", Date),
    Index("ix_reports_case", "case_id"),
)

signoffs = Table(
    "signoffs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("comment", Text),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("case_version", Integer, nullable=False),
    Index("ix_signoffs_report", "report_id"),
)

users = Table(
    "users", metadata,
    Column("name", String(200), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("agency", String(40)),
    Column("display_name", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

grants = Table(
    "grants", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", String(200), ForeignKey("users.name", ondelete="CASCADE"),
           nullable=False),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"),
           nullable=False),
    Column("identity", Boolean, nullable=False),
    Column("granted_by", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_grants_user", "user_name"),
)

# Blind-index tokens of each case's child (keyed hashes of name parts, birth date, year
# and sex: see cpkit.matching), for "is this child already known?" without plaintext.
identity_index = Table(
    "identity_index", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"),
           nullable=False),
    Column("part", Integer, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("token", String(32), nullable=False),
    Index("ix_identity_index_token", "token"),
    Index("ix_identity_index_case", "case_id"),
)

# Notifications: each user's inbox, and the mail that carries them (case codes and what
# happened only: never a child's name, birth date or address).
contacts = Table(
    "contacts", metadata,
    Column("user_name", String(200), ForeignKey("users.name", ondelete="CASCADE"),
           primary_key=True),
    Column("email", String(320)),
    Column("delivery", String(10), nullable=False),  # immediate, daily or off
    Column("lang", String(10)),
    Column("last_digest_on", Date),
)

notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("case_id", String(40)),
    Column("kind", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("dedupe", String(300), nullable=False, unique=True),
    Column("read_at", DateTime(timezone=True)),
    Column("mailed", Boolean, nullable=False, default=False),
    Index("ix_notifications_recipient", "recipient"),
)

mail_log = Table(
    "mail_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient", String(200), nullable=False),
    Column("address", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("notification_ids", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", String(500)),
    Index("ix_mail_log_status", "status"),
)

# A case moving to another case manager, or to another municipality's Center for Social
# Work: requested, then accepted or declined.  Reasons are free text: sealed like a case.
transfers = Table(
    "transfers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"),
           nullable=False),
    Column("from_user", String(200), nullable=False),
    Column("to_user", String(200), nullable=False),
    Column("to_municipality", String(200)),
    Column("reason", JSON),
    Column("status", String(12), nullable=False),  # requested, accepted, declined
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(200)),
    Column("decline_reason", JSON),
    Index("ix_transfers_case", "case_id"),
)

# Referrals from any agency, waiting for the Center for Social Work's intake.  The whole
# referral (the child, the concern, consent) is sealed, bound to ``token``.
referrals_in = Table(
    "referrals_in", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(32), nullable=False, unique=True),
    Column("municipality", String(200)),
    Column("referring_agency", String(40), nullable=False),
    Column("referrer", String(200), nullable=False),
    Column("identified_on", Date),
    Column("referred_at", DateTime(timezone=True), nullable=False),
    Column("document", JSON, nullable=False),
    Column("status", String(12), nullable=False),  # received, accepted, declined
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(200)),
    Column("decline_reason", JSON),
    Column("case_id", String(40)),
    Index("ix_referrals_in_status", "status"),
)
