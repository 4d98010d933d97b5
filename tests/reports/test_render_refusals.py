"""A render that is refused for want of no kernel (unknown case, no such document, not
allowed) is answered before the render pipeline is imported: no kernel manager can
have been created, nothing is written, nothing waits for a kernel.

Checked in a real ``cpkit`` process by the modules it loaded (never by a timer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.access.conftest import populate

PROBE = """
import atexit, json, sys
from cpkit.cli import main
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.__stderr__))
main(sys.argv[1:])
"""
PIPELINE = ("jupyter_client", "nbclient", "nbformat", "nbconvert", "papermill",
            "cpkit.reports.render", "cpkit.reports.engine")
# Not even the store's or the model's libraries for a refusal that needs no case content
# (no such case, not allowed: cpkit.access.refusals) or that the stored document shows
# (no closure, no care plan, no meeting held: cpkit.reports.missing).
LEAN = ("sqlalchemy", "pydantic", "cpkit.model", "cpkit.store.repository")


def render(*args: str, user: str | None = None) -> tuple[int, str, set[str]]:
    env = {**os.environ, **({"CPKIT_USER": user} if user else {})}
    done = subprocess.run([sys.executable, "-c", PROBE, "render", *args], env=env,
                          capture_output=True, text=True, timeout=180)
    *messages, modules = done.stderr.strip().splitlines()
    return done.returncode, "\n".join(messages), set(json.loads(modules))


@pytest.mark.parametrize(("args", "message"), [
    (["ZZ-2026-0099", "--report", "minutes"], "no such case"),
    (["MI-2026-0001", "--report", "care-plan"], "no care plan has been agreed"),
    (["MI-2026-0001", "--report", "minutes"], "no meeting (CMR) has been held"),
    (["PR-2026-0001", "--report", "closure"], "the case is not closed"),
    (["PR-2026-0001", "--report", "minutes", "--meeting", "2026-10-30"],
     "no meeting (CMR) was held on 2026-10-30"),
])
def test_no_such_case_or_document_is_refused_before_any_kernel(home_store, cpkit_home,
                                                                 args, message):
    status, said, loaded = render(*args)
    assert status == 2 and message in said and "Traceback" not in said
    assert not {m for m in loaded if m.startswith(PIPELINE)}
    assert not (cpkit_home / "reports").exists()
    if "--meeting" not in args:  # the stored document shows it (cpkit.reports.missing)
        assert not {m for m in loaded if m.startswith(LEAN)}


def test_a_user_who_may_not_render_is_refused_before_any_kernel(cpkit_home):
    from cpkit.store import Store

    store = Store()
    populate(store)
    store.close()
    status, said, loaded = render("PR-2026-0001", "--report", "care-plan", user="tina")
    assert status == 1 and "user tina may not" in said
    assert not {m for m in loaded if m.startswith(PIPELINE + LEAN)}


def test_the_stored_document_refuses_only_what_the_model_refuses():
    """cpkit.reports.missing.in_document (no case model) gives exactly select_meeting's
    refusal wherever it gives one, over every scenario of the demo generator."""
    import datetime as dt

    from cpkit.demo import SCENARIOS, generate_cases
    from cpkit.reports.context import NoDocument, select_meeting
    from cpkit.reports.missing import in_document

    cases = [*generate_cases(40, seed=5, today=dt.date(2026, 11, 22), scenarios=SCENARIOS),
             *generate_cases(10, seed=6, today=dt.date(2026, 11, 22), scenarios=("closed",))]
    answered = 0
    for case in cases:
        for kind in ("closure", "care-plan", "minutes", "invitation", "chronology"):
            quick = in_document(case.to_document(), kind)
            try:
                select_meeting(case, kind, None)
                model = None
            except NoDocument as err:
                model = str(err)
            assert quick is None or str(quick) == model, (case.case_id, kind)
            answered += quick is not None
    assert answered  # not a comparison of nothing


@pytest.mark.postgres
def test_refusals_on_postgresql_start_no_kernel_nor_the_guards_machinery(pg_url,
                                                                          monkeypatch):
    """On PostgreSQL too (psycopg, no SQLAlchemy): no such case, not allowed, and a
    document the stored case shows it does not have."""
    from cpkit.store import Store

    store = Store(pg_url)
    populate(store)
    monkeypatch.setenv("CPKIT_DB", pg_url)
    for args, user, status, message in (
            (["ZZ-2026-0099", "--report", "minutes"], "sara", 2, "no such case"),
            (["PR-2026-0001", "--report", "care-plan"], "tina", 1, "user tina may not"),
            (["PR-2026-0001", "--report", "closure"], "sara", 2, "the case is not closed")):
        code, said, loaded = render(*args, user=user)
        assert code == status and message in said and "Traceback" not in said, said
        assert not {m for m in loaded if m.startswith(PIPELINE + LEAN)}, args
    read = [r for r in store.audit_rows(actor="sara") if r["action"].startswith("read")]
    assert [r["detail"] for r in read] == [  # the case was read: the Guard's row
        {"purpose": "render", "redacted": True, "kind": "closure", "format": "html"}]
    assert store.verify_audit().intact
    store.close()
