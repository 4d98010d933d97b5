"""What the batch reads from the store per report: each case's facts read together for a
few cases and passed on (the round trips to a PostgreSQL server were most of the
batch's time there), without a weaker decision: refused cases refused, every report
audited once, a case whose row cannot be read failing alone."""

from __future__ import annotations

import contextlib

from sqlalchemy import event, update
from sqlalchemy.engine import Engine

from cpkit import exchange
from cpkit.access import Guard
from cpkit.reports import batch
from cpkit.store import Store
from cpkit.store.schema import cases
from tests.conftest import AS_OF, fixture_document

CODES = ["PR-2026-0001", "PR-2026-0002", "PR-2026-0003"]
MISSING = "ZZ-2026-0099"
FACTS = "SELECT cases.case_id, cases.training, cases.case_manager, cases.document"
USERS = "FROM users ORDER BY"


def _store_with_users(url: str) -> Store:
    document = fixture_document("case_high_physical.json")
    store = Store(url)
    store.import_cases([exchange.load_case({**document, "case_id": c}) for c in CODES])
    Guard.for_user(store, "boss").add_user("boss", ["admin", "supervisor"])
    Guard.for_user(store, "boss").add_user("outsider", ["trainer"])
    return store


@contextlib.contextmanager
def _statements():
    """Every statement any engine runs meanwhile (the batch opens its own stores)."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def test_a_batch_reads_each_case_twice_a_report_and_the_users_once(store_url, tmp_path):
    store = _store_with_users(store_url)
    try:
        options = batch.Options(kinds=("minutes",), store_url=store_url, as_of=AS_OF,
                                out_dir=tmp_path / "out", actor="boss")
        with _statements() as seen:
            summary = batch.render_batch(CODES, options)
        assert [o.status for o in summary.outcomes] == ["rendered"] * 3
        # One read of the three cases' facts and versions, then per report the guarded
        # read (decided on the facts it reads with the document) and the version check
        # after execution (whose facts authorise the file and the record).
        assert sum(s.startswith(FACTS) for s in seen) == 1 + 2 * len(CODES)
        assert sum(USERS in s for s in seen) == 1
        audit = store.audit_rows()
        for code in CODES:
            actions = [r["action"] for r in audit if r["case_id"] == code]
            assert actions.count("render") == 1
            assert sum(a.startswith("read_") for a in actions) == 1
    finally:
        store.close()


def test_the_batch_refuses_in_one_read_what_the_user_may_not_render(store_url):
    store = _store_with_users(store_url)
    try:
        with _statements() as seen:
            allowed, refused = batch.authorise(Guard.for_user(store, "outsider"),
                                               [*CODES, MISSING], ("minutes",))
        assert allowed == [MISSING]  # fails later as "no such case"
        assert [(o.case_id, o.status) for o in refused] == [(c, "failed") for c in CODES]
        assert sum(s.startswith(FACTS) for s in seen) == 1
    finally:
        store.close()


def test_a_case_whose_row_cannot_be_read_fails_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = _store_with_users(url)
    try:
        with store.engine.begin() as conn:
            conn.execute(update(cases).where(cases.c.case_id == CODES[1])
                         .values(document="not a document"))
        options = batch.Options(kinds=("minutes",), store_url=url, as_of=AS_OF,
                                out_dir=tmp_path / "out", actor="boss")
        summary = batch.render_batch([*CODES, MISSING], options)
    finally:
        store.close()
    assert [(o.case_id, o.status) for o in summary.outcomes] == [
        (CODES[0], "rendered"), (CODES[1], "failed"), (CODES[2], "rendered"),
        (MISSING, "failed")]
    assert summary.failed[1].reason == f"{MISSING}: no such case in the store"
    assert "not a document" not in summary.failed[0].reason
