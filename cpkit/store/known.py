"""The blind index of children in the store: kept on every write, searched at intake.

The tokens (:mod:`cpkit.matching`) are written in the same transaction as the case, so
the index never disagrees with the cases; ``cpkit rotate-key`` rebuilds it with the new
key.  A search reads tokens only: no case is opened, nothing identifying is decoded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from cpkit import crypto
from cpkit.matching import ChildTokens, Verdict, child_tokens, compare, index_key
from cpkit.matching.score import PARTS_NEEDED
from cpkit.model import Case
from cpkit.store import codec
from cpkit.store.bulk import insert_rows
from cpkit.store.schema import cases, identity_index


@dataclass(frozen=True)
class Candidate:
    """A stored case that may be the same child (code, stage and risk only)."""

    case_id: str
    verdict: Verdict
    stage: str | None = None
    risk: str | None = None


def key_bytes(key: crypto.Key | None = None) -> bytes:
    """The blind-index key for ``key`` (default: the identity key in use)."""
    return index_key((key or crypto.current_key()).secret)


def tokens_of(case: Case, key: bytes) -> ChildTokens:
    child = case.child
    return child_tokens(key, child.given_name, child.family_name, child.date_of_birth,
                        sex=child.sex)


def refresh(conn: Connection, saved: Iterable[Case], key: crypto.Key | None = None, *,
            stored: list[str] | None = None) -> None:
    """Replace the index rows of ``saved`` (inside the caller's transaction); only the
    ``stored`` codes can have rows already (default: every one of ``saved``)."""
    saved = list(saved)
    if saved:
        write(conn, index_rows(saved, key),
              [c.case_id for c in saved] if stored is None else stored)


def index_rows(saved: Iterable[Case], key: crypto.Key | None = None) -> list[dict]:
    """The index rows of ``saved`` (no database needed: an import works them out while
    the rows of the cases before are written)."""
    secret = key_bytes(key)
    return [{"case_id": c.case_id, "part": part, "kind": kind, "token": token}
            for c in saved for part, kind, token in tokens_of(c, secret).rows()]


def write(conn: Connection, rows: list[dict], stored: list[str]) -> None:
    """Write index ``rows`` (:func:`index_rows`), replacing those of the ``stored`` codes."""
    for start in range(0, len(stored), 500):
        conn.execute(delete(identity_index)
                     .where(identity_index.c.case_id.in_(stored[start:start + 500])))
    insert_rows(conn, identity_index, rows)


def rebuild(conn: Connection, key: crypto.Key | None = None) -> int:
    """Index every stored case again (after a migration or a key rotation)."""
    stored = conn.execute(select(cases.c.document)).all()
    if not stored:
        return 0
    documents = [Case.model_validate(codec.decode(row.document, key)) for row in stored]
    conn.execute(delete(identity_index))
    refresh(conn, documents, key)
    return len(documents)


def search(conn: Connection, probe: ChildTokens, *, municipality: str | None = None,
           exclude: str | None = None) -> list[Candidate]:
    """Live cases (of ``municipality`` when given) that may be the child of ``probe``,
    most certain first."""
    wanted = list(probe.lookup_tokens())
    if not wanted:
        return []
    ix = identity_index.c
    # Cases sharing at least two name parts (score.PARTS_NEEDED) with the probe ...
    paired = (select(ix.case_id).where(ix.kind == "name", ix.token.in_(wanted))
              .group_by(ix.case_id).having(func.count(ix.part.distinct()) >= PARTS_NEEDED))
    query = (select(cases.c.case_id, cases.c.stage, cases.c.current_risk)
             .where(cases.c.case_id.in_(paired), cases.c.training.is_(False),
                    cases.c.voided_at.is_(None)))  # a voided case holds no child
    for kind in ("year", "sex"):  # ... and no known year or sex that differs
        token = getattr(probe, kind)
        if token:
            query = query.where(cases.c.case_id.not_in(
                select(ix.case_id).where(ix.kind == kind, ix.token != token)))
    if municipality:
        query = query.where(cases.c.municipality == municipality)
    columns = {r.case_id: r for r in conn.execute(query) if r.case_id != exclude}
    codes = list(columns)
    if not codes:
        return []
    rows: dict[str, list] = {}
    for row in conn.execute(select(identity_index.c.case_id, identity_index.c.part,
                                   identity_index.c.kind, identity_index.c.token)
                            .where(identity_index.c.case_id.in_(codes))):
        rows.setdefault(row.case_id, []).append((row.part, row.kind, row.token))
    found = [Candidate(code, compare(probe, ChildTokens.from_rows(r)), columns[code].stage,
                       columns[code].current_risk) for code, r in rows.items()]
    order = {"same": 0, "possible": 1}
    return sorted((c for c in found if c.verdict.candidate),
                  key=lambda c: (order[c.verdict.level], c.verdict.typos, c.case_id))
