"""``cpkit check``: is the store sound?  Every problem found, each named plainly.

- every case decrypts with the key in use and validates (format and rules);
- every report row has its file, with the sha256 recorded when it was written, and
  every report file its row (:mod:`cpkit.store.report_files`: what a killed or
  out-of-disk render left, which ``repair`` finishes or removes);
- the audit trail is intact: its hash chain (:func:`cpkit.store.chain.verify_chain`)
  and ids that only grow;
- the deadline table is what the rules compute from each case now.

A check only reads, unless asked to repair what an interrupted render left (nothing
else: a damaged case or audit trail is for a person and ``cpkit restore``).
Messages name case codes, report ids and audit ids, never a child's details.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from cpkit.errors import CpkitError
from cpkit.store import codec, report_files
from cpkit.store.chain import verify_chain
from cpkit.store.schema import audit, cases, deadlines


@dataclass
class CheckReport:
    cases: int = 0
    reports: int = 0
    audit_rows: int = 0
    audit_head: str = ""
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems


def check_store(store, repair: bool = False) -> CheckReport:
    """Check ``store`` (a :class:`cpkit.store.Store`) and say what is wrong; ``repair``:
    first finish or remove what an interrupted render left (listed in ``repaired``)."""
    out = CheckReport()
    out.reports, found = report_files.survey(store)
    if repair:
        done, found = report_files.repair(found)
        out.repaired += [str(p) for p in done]
    out.problems += [str(p) for p in found]
    with store.engine.connect() as conn:
        _check_cases(conn, out)
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


def _check_audit(conn, out: CheckReport) -> None:
    ids = [r.id for r in conn.execute(select(audit.c.id).order_by(audit.c.id))]
    if any(b <= a for a, b in zip(ids, ids[1:], strict=False)):
        out.problems.append("audit: row ids do not only grow")
    chain = verify_chain(conn)
    out.audit_rows, out.audit_head = len(ids), chain.head
    if not chain.intact:
        out.problems.append(f"audit: the hash chain is broken: {chain.problem}")
