"""``cpkit check``: is the store sound?  Every problem found, each named plainly.

- every case decrypts with the key in use and validates (format and rules);
- every report row has its file, with the sha256 recorded when it was written;
- the audit trail is intact: its hash chain (:func:`cpkit.store.chain.verify_chain`)
  and ids that only grow;
- the deadline table is what the rules compute from each case now.

A check only reads; it never repairs (that is what ``cpkit restore`` is for).
Messages name case codes, report ids and audit ids, never a child's details.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from cpkit.errors import CpkitError
from cpkit.store import codec
from cpkit.store.chain import verify_chain
from cpkit.store.schema import audit, cases, deadlines, reports


@dataclass
class CheckReport:
    cases: int = 0
    reports: int = 0
    audit_rows: int = 0
    audit_head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems


def check_store(store) -> CheckReport:
    """Check ``store`` (a :class:`cpkit.store.Store`) and say what is wrong."""
    out = CheckReport()
    with store.engine.connect() as conn:
        _check_cases(conn, out)
        _check_reports(conn, out)
        _check_audit(conn, out)
    return out


def _check_cases(conn, out: CheckReport) -> None:
    from cpkit.exchange import load_case
    from cpkit.store.repository import _Prepared

    stored: dict[str, Counter] = {}
    for row in conn.execute(select(deadlines)).mappings():
        stored.setdefault(row["case_id"], Counter())[_deadline_key(row)] += 1
    for row in conn.execute(select(cases.c.case_id, cases.c.document)):
        out.cases += 1
        try:
            case = load_case(codec.decode(row.document), row.case_id)
        except CpkitError as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            out.problems.append(f"case {row.case_id}: does not open or validate: {first}")
            continue
        except ValueError:
            out.problems.append(f"case {row.case_id}: the stored document is damaged")
            continue
        expected = Counter(_deadline_key(d) for d in _Prepared.of(case).deadline_rows)
        if expected != stored.get(row.case_id, Counter()):
            out.problems.append(f"case {row.case_id}: the deadline table does not match the "
                                "rules (run `cpkit init` to recompute it)")


def _deadline_key(row) -> tuple:
    return tuple(str(row[k]) if row[k] is not None else None
                 for k in ("name", "kind", "due", "done_on", "meeting", "agency"))


def _check_reports(conn, out: CheckReport) -> None:
    for row in conn.execute(select(reports.c.id, reports.c.case_id, reports.c.path,
                                   reports.c.sha256).order_by(reports.c.id)):
        out.reports += 1
        path = Path(row.path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out.problems.append(f"report {row.id} ({row.case_id}): its file is missing "
                                f"({path.name})")
            continue
        if digest != row.sha256:
            out.problems.append(f"report {row.id} ({row.case_id}): its file {path.name} "
                                "is not the one recorded (sha256 differs)")


def _check_audit(conn, out: CheckReport) -> None:
    ids = [r.id for r in conn.execute(select(audit.c.id).order_by(audit.c.id))]
    if any(b <= a for a, b in zip(ids, ids[1:], strict=False)):
        out.problems.append("audit: row ids do not only grow")
    chain = verify_chain(conn)
    out.audit_rows, out.audit_head = len(ids), chain.head
    if not chain.intact:
        out.problems.append(f"audit: the hash chain is broken: {chain.problem}")
