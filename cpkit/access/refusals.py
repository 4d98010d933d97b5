"""Refusals answered before a command imports its machinery (SQLAlchemy, the case
model, the render pipeline and its kernel): no such case, not allowed, no such report.

Read the lean way (:func:`cpkit.access.listing.open_lean`: ``sqlite3`` or ``psycopg``,
a store at the newest schema) and decided by the same policy, from the same facts, as
:class:`cpkit.access.guard.Guard` (:func:`~cpkit.access.listing.facts_of`), raising the
very exception the Guard would raise at that point.  Nothing here reads a case's sealed
part or writes: a refused request leaves no audit row on either road.  When a request
passes (or the store cannot be read the lean way), the command goes on through the
Guard, which decides again: this is a shortcut to the same answer, never a second
gate that could let something through.
"""

from __future__ import annotations

from cpkit.access.listing import announce_single_user, case_facts, open_lean
from cpkit.access.policy import CaseFacts, PermissionDenied, Principal, decide
from cpkit.errors import BadInput, NotFound


def _refused(who: Principal, operation: str, facts: CaseFacts, reason: str = "") -> None:
    if not decide(who, operation, facts).allowed:
        raise PermissionDenied(who.name, operation, facts.case_id, reason)


def _checked(check) -> None:
    """Run ``check(reader, who)`` on the lean road; its refusal is said as the Guard's
    road says it (the single-user notice first)."""
    found = open_lean()
    if found is None:
        return
    reader, who = found
    try:
        check(reader, who)
    except (NotFound, PermissionDenied, BadInput):
        announce_single_user(who)
        raise
    finally:
        reader.close()


def refuse_case(operation: str, case_id: str) -> None:
    """Refuse ``operation`` on ``case_id`` as the Guard would (no such case, not
    allowed); return when the Guard must decide."""
    _checked(lambda reader, who: _refused(who, operation, case_facts(reader, case_id)))


def refuse_report(report_id: int, *, to_file: bool) -> None:
    """Refuse viewing report ``report_id`` as ``cpkit view`` would, in its order: no
    such report, a PDF without a file to write it to, not allowed to see the case, an
    internal report for someone who may not see the child's identity."""
    from cpkit.i18n import _

    def check(reader, who: Principal) -> None:
        report = reader.report_row(report_id)
        if report is None:
            raise NotFound(f"report {report_id}: no such report")
        if not to_file and report["format"] != "html":
            raise BadInput(_("report {id} is a PDF: give -o FILE to write it").format(
                id=report_id))
        facts = case_facts(reader, report["case_id"])
        _refused(who, "show", facts)
        if not report["redacted"] and not decide(who, "show", facts).identity:
            raise PermissionDenied(who.name, "show", facts.case_id,
                                   "this report shows the child's identity (an internal "
                                   "report); ask for the redacted one")

    _checked(check)
