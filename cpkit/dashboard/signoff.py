"""Sign-off of rendered reports: a supervisor approves a report or returns it with a
comment, and every report shows where it stands.

A report's status comes from the latest decision on it:

- ``awaiting``: rendered, nobody has decided yet;
- ``approved``: approved (by whom, when), and the case is still as it was rendered;
- ``changed``: approved, but the case has been saved since: its current version is
  newer than the version the approved report shows ("changed since approval");
- ``returned``: sent back with a comment saying what to put right.

The version recorded with a decision is the case version the *report* was rendered
from, not the case's version at the moment of approval: a supervisor approves what
they read, so a report that was already out of date when approved shows as changed.

Who may decide is the access policy's ``sign_off`` operation (supervisors; trainers
on training cases; anyone in single-user mode), checked here on every decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import select

from cpkit import identity
from cpkit.errors import BadInput
from cpkit.i18n import N_, _, gettext
from cpkit.i18n.formatting import format_date
from cpkit.store import Store
from cpkit.store.reports import get_report, report_rows
from cpkit.store.schema import cases
from cpkit.store.signoffs import add_signoff, latest_signoffs

STATES = ("awaiting", "approved", "changed", "returned")
STATE_LABELS = {
    "awaiting": N_("awaiting sign-off"),
    "approved": N_("approved by {name} on {date}"),
    "changed": N_("changed since approval (approved by {name} on {date})"),
    "returned": N_("returned by {name} on {date}: {comment}"),
}
# What the command line and the widgets call the two decisions.
DECISIONS = {"approve": "approved", "return": "returned"}
COMMENT_MAX = 2000


@dataclass(frozen=True)
class Approval:
    """The approval a rendered report carries: who approved it and when."""

    report_id: int
    name: str
    at: dt.datetime
    case_version: int
    changed: bool = False  # the case was saved after the approved version

    @property
    def on(self) -> dt.date:
        return self.at.date()

    def text(self, lang: str | None = None) -> str:
        """"approved by NAME on DATE" (or "changed since approval ...") in ``lang``."""
        key = "changed" if self.changed else "approved"
        return gettext(STATE_LABELS[key], lang).format(name=self.name,
                                                       date=format_date(self.on, lang))


@dataclass(frozen=True)
class ReportStatus:
    """A rendered report (its ``reports`` row) and where its sign-off stands."""

    report: dict
    state: str
    by: str | None = None
    at: dt.datetime | None = None
    comment: str | None = None
    current_version: int | None = None

    @property
    def report_id(self) -> int:
        return int(self.report["id"])

    @property
    def case_id(self) -> str:
        return self.report["case_id"]

    @property
    def awaiting(self) -> bool:
        return self.state == "awaiting"

    def text(self, lang: str | None = None) -> str:
        """The status as a supervisor reads it, in ``lang``."""
        return gettext(STATE_LABELS[self.state], lang).format(
            name=self.by or "", date=format_date(self.at, lang) if self.at else "",
            comment=self.comment or "")


def current_versions(store: Store, case_ids: Iterable[str]) -> dict[str, int]:
    """The stored version of each case (only the version column: nothing identifying)."""
    wanted = sorted(set(case_ids))
    found: dict[str, int] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            rows = conn.execute(select(cases.c.case_id, cases.c.version)
                                .where(cases.c.case_id.in_(wanted[start:start + 500])))
            found.update({r.case_id: r.version for r in rows})
    return found


def status_from(report: dict, decision: dict | None, current_version: int | None) -> ReportStatus:
    """The status of ``report`` given its latest ``decision`` and the case's version."""
    if decision is None:
        return ReportStatus(report, "awaiting", current_version=current_version)
    state = decision["decision"]
    if state == "approved" and current_version is not None \
            and current_version > decision["case_version"]:
        state = "changed"
    return ReportStatus(report, state, decision["actor"], decision["at"], decision["comment"],
                        current_version)


def report_statuses(store: Store, case_ids: Iterable[str] | None = None) -> list[ReportStatus]:
    """Every rendered report (of the cases named, or all), oldest first, with its status."""
    wanted = None if case_ids is None else set(case_ids)
    if wanted is not None and len(wanted) == 1:
        reports = report_rows(store, next(iter(wanted)))
    else:
        reports = [r for r in report_rows(store) if wanted is None or r["case_id"] in wanted]
    if not reports:
        return []
    decisions = latest_signoffs(store, [r["id"] for r in reports])
    versions = current_versions(store, {r["case_id"] for r in reports})
    return [_named(store, status_from(r, decisions.get(r["id"]), versions.get(r["case_id"])))
            for r in reports]


def _named(store: Store, status: ReportStatus) -> ReportStatus:
    """The status with the supervisor shown by their display name, not their login."""
    from cpkit.access.users import display_name

    return replace(status, by=display_name(store, status.by)) if status.by else status


def report_status(store: Store, report_id: int) -> ReportStatus:
    """The status of one report; :class:`cpkit.errors.NotFound` when there is none."""
    report = get_report(store, report_id)
    decision = latest_signoffs(store, [report_id]).get(report_id)
    version = current_versions(store, [report["case_id"]]).get(report["case_id"])
    return _named(store, status_from(report, decision, version))


def sign_off(store: Store, report_id: int, decision: str, comment: str | None = None, *,
             actor: str | None = None, guard=None) -> ReportStatus:
    """Record ``decision`` (``approve`` or ``return``) on report ``report_id``.

    A return needs a comment (what is to be put right).  The user must be allowed to
    sign off the report's case (:class:`cpkit.access.PermissionDenied` otherwise);
    the decision leaves one ``sign_off`` audit row (without the comment, which is
    free text).
    """
    from cpkit.access import Guard

    if decision not in DECISIONS:
        raise BadInput(_("decision must be one of: {choices}").format(
            choices=", ".join(DECISIONS)))
    comment = (comment or "").strip() or None
    if decision == "return" and not comment:
        raise BadInput(_("a returned report needs a comment saying what to put right"))
    if comment and len(comment) > COMMENT_MAX:
        raise BadInput(_("the comment is longer than {count} characters").format(
            count=COMMENT_MAX))
    report = get_report(store, report_id)
    guard = guard or Guard.for_user(store, actor or identity.current_user())
    guard.authorise("sign_off", report["case_id"])
    actor = guard.user
    add_signoff(store, report_id=report_id, decision=DECISIONS[decision], comment=comment,
                actor=actor, case_version=report["case_version"])
    guard.record_event("sign_off", report["case_id"],
                       {"report_id": report_id, "decision": DECISIONS[decision]})
    if decision == "return":
        from cpkit.notify.events import report_returned

        report_returned(store, report, actor)
    return report_status(store, report_id)


def approve(store: Store, report_id: int, *, comment: str | None = None,
            actor: str | None = None, guard=None) -> ReportStatus:
    """Approve a rendered report."""
    return sign_off(store, report_id, "approve", comment, actor=actor, guard=guard)


def return_report(store: Store, report_id: int, comment: str, *, actor: str | None = None,
                  guard=None) -> ReportStatus:
    """Return a rendered report with a comment."""
    return sign_off(store, report_id, "return", comment, actor=actor, guard=guard)


def approval_for(store: Store, case_id: str, kind: str,
                 meeting_date: dt.date | None = None) -> Approval | None:
    """The approval standing for report ``kind`` of ``case_id`` (and the meeting).

    The latest decision on any rendered copy of that report counts: an approval, or
    nothing when the latest decision returned it or nobody has decided.  The approval
    says whether the case has changed since (``changed``), so a new rendering can
    show "changed since approval" instead of passing off old approval as current.
    """
    reports = [r for r in report_rows(store, case_id)
               if r["kind"] == kind and r["meeting_date"] == meeting_date]
    if not reports:
        return None
    decisions = latest_signoffs(store, [r["id"] for r in reports])
    if not decisions:
        return None
    latest = max(decisions.values(), key=lambda d: d["id"])
    if latest["decision"] != "approved":
        return None
    version = current_versions(store, [case_id]).get(case_id)
    at = latest["at"]
    if at.tzinfo is None:  # SQLite hands back naive times: they were written in UTC
        at = at.replace(tzinfo=dt.UTC)
    return Approval(latest["report_id"], latest["actor"], at, latest["case_version"],
                    changed=version is not None and version > latest["case_version"])


def withhold_comments(guard, statuses: list) -> list:
    """Sign-off comments only for those who may see the case with the child's identity:
    a supervisor's comment may name the child, and nothing redacts free text for an
    agency member reliably enough to show it."""
    import dataclasses

    identity = {case: guard.decision("show", case).identity
                for case in {s.case_id for s in statuses if s.comment}}
    note = _("(comment withheld: you see this case without the child's identity)")
    return [s if not s.comment or identity[s.case_id] else dataclasses.replace(s, comment=note)
            for s in statuses]
