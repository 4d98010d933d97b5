"""Two agencies writing their parts of one CMR at once both keep theirs (#19).

``cpkit meeting respond|report`` and the agency page save against the version they
started from, with it as the base of the three-way merge: a save made in between is
merged, by ids, never refused nor overwritten.  Tested in one process (the change of
one made while the other's is on its way) on SQLite, and with two real ``cpkit``
processes on PostgreSQL, both held at the store's write lock after reading the case
and let go together.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from cpkit.access import Guard
from cpkit.cli import main
from cpkit.errors import MergeConflict
from cpkit.rules import meeting_parts
from cpkit.store import Store
from cpkit.store.schema import store_meta
from tests.access.conftest import access_store, populate  # noqa: F401  (the fixture)
from tests.conftest import fresh_pg_database

CASE = "PR-2026-0001"  # education and police_domestic_violence both involved
NEXT = (dt.date.today() + dt.timedelta(days=10)).isoformat()
DAY = dt.date.fromisoformat(NEXT)
ROOT = Path(__file__).resolve().parents[2]
CLI = "from cpkit.cli import main; main()"


def run(user, *args):
    return CliRunner().invoke(main, list(args), env={"CPKIT_USER": user})


def add_police_member(store: Store) -> None:
    Guard.for_user(store, "ada").add_user("poli", ["agency_member"],
                                          "police_domestic_violence", "Poli Krasniqi")


def reports_of(store: Store) -> dict[str, str]:
    meeting = meeting_parts.find_meeting(store.get(CASE).case, DAY)
    return {r.agency: r.text for r in meeting.progress_reports}


def answers_of(store: Store) -> dict[str, str | None]:
    meeting = meeting_parts.find_meeting(store.get(CASE).case, DAY)
    return {i.agency: i.answer for i in meeting.invited}


def plan_review(user: str = "arta") -> None:
    # A review is a follow-up CMR only after an earlier one: hold an initial first.
    for kind, day in (("initial", (dt.date.today() - dt.timedelta(days=30)).isoformat()),
                      ("review", NEXT)):
        planned = run(user, "meeting", "plan", CASE, "--date", day, "--kind", kind)
        assert planned.exit_code == 0, planned.output


def test_a_report_saved_while_another_is_on_its_way_is_merged(access_store):  # noqa: F811
    add_police_member(access_store)
    plan_review()
    edi = Guard.for_user(access_store, "edi")
    poli = Guard.for_user(access_store, "poli")

    def education_reports(case):
        # The police's report is saved while the school's is being written.
        poli.write_agency_part(CASE, "police_domestic_violence", lambda c: meeting_parts.report(
            c, DAY, "police_domestic_violence", dt.date.today(), by="Poli Krasniqi",
            text="no further incidents", actions={}), "progress_report")
        return meeting_parts.report(case, DAY, "education", dt.date.today(), by="edi",
                                    text="attends daily", actions={})

    saved = edi.write_agency_part(CASE, "education", education_reports, "progress_report")
    assert reports_of(access_store) == {"police_domestic_violence": "no further incidents",
                                        "education": "attends daily"}
    assert saved.merged and saved.merged["onto_version"] == saved.version - 1
    last = access_store.audit_rows(CASE)[-1]
    assert (last["actor"], last["action"]) == ("edi", "progress_report")
    assert last["detail"]["merge"]["from_version"] == saved.version - 2


def test_the_agency_page_saves_against_the_version_it_showed(access_store):  # noqa: F811
    """The page passes the version it was opened at: another agency's answer saved
    since is kept, and the page's own answer applied (no refusal, nothing lost)."""
    add_police_member(access_store)
    plan_review()
    shown = access_store.get(CASE).version
    assert run("poli", "meeting", "respond", CASE, "--meeting", NEXT, "--answer",
               "attending").exit_code == 0
    Guard.for_user(access_store, "edi").write_agency_part(
        CASE, "education", lambda c: meeting_parts.answer(
            c, DAY, "education", "apologies", dt.date.today(), name="edi"),
        "answer_invitation", expected_version=shown)
    answers = answers_of(access_store)
    assert (answers["police_domestic_violence"], answers["education"]) == (
        "attending", "apologies")


def test_the_same_answer_changed_on_both_sides_is_not_decided_silently(
        access_store):  # noqa: F811
    """The case manager records the school's answer while the school's own page still
    shows the old version: the school's different answer is a conflict, nothing
    written, the case manager's answer kept."""
    plan_review()
    shown = access_store.get(CASE).version
    recorded = run("arta", "meeting", "respond", CASE, "--meeting", NEXT, "--answer",
                   "attending", "--agency", "education")
    assert recorded.exit_code == 0, recorded.output
    before = access_store.get(CASE)
    with pytest.raises(MergeConflict) as raised:
        Guard.for_user(access_store, "edi").write_agency_part(
            CASE, "education", lambda c: meeting_parts.answer(
                c, DAY, "education", "apologies", dt.date.today()),
            "answer_invitation", expected_version=shown)
    assert any("answer" in c.path for c in raised.value.result.conflicts)
    after = access_store.get(CASE)
    assert after.version == before.version and answers_of(access_store)["education"] == \
        "attending"


def _cli(url: str, home: Path, user: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "CPKIT_DB": url, "CPKIT_HOME": str(home), "CPKIT_USER": user,
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _waiting_on_locks(engine, at_least: int, deadline: float,
                      procs: list[subprocess.Popen]) -> None:
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock'")
    while time.monotonic() < deadline:
        ended = [p for p in procs if p.poll() is not None]
        if ended:
            raise AssertionError(f"a writer ended before the lock: {ended[0].communicate()}")
        with engine.connect() as conn:
            if conn.execute(query).scalar() >= at_least:
                return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} writers came to the store's lock")


@pytest.mark.postgres
def test_two_agencies_reporting_at_once_in_two_processes_both_kept(cpkit_home):
    with fresh_pg_database("meeting") as url:
        store = Store(url)
        try:
            populate(store)
            add_police_member(store)
            os.environ["CPKIT_DB"] = url
            try:
                plan_review()
            finally:
                del os.environ["CPKIT_DB"]
            holder = create_engine(url)
            watcher = create_engine(url)
            try:
                with holder.begin() as conn:
                    # rotate-key's lock: every writer reads the case, then waits here.
                    conn.execute(select(store_meta.c.value).where(store_meta.c.name == "key")
                                 .with_for_update())
                    procs = [
                        _cli(url, cpkit_home, "edi", "meeting", "report", CASE, "--meeting",
                             NEXT, "--text", "attends daily"),
                        _cli(url, cpkit_home, "poli", "meeting", "report", CASE, "--meeting",
                             NEXT, "--text", "no further incidents"),
                    ]
                    _waiting_on_locks(watcher, 2, time.monotonic() + 120, procs)
                outs = [p.communicate(timeout=120) for p in procs]
            finally:
                holder.dispose()
                watcher.dispose()
            for proc, (_out, err) in zip(procs, outs, strict=True):
                assert proc.returncode == 0, err
            assert reports_of(store) == {"education": "attends daily",
                                         "police_domestic_violence": "no further incidents"}
            rows = [r for r in store.audit_rows(CASE) if r["action"] == "progress_report"]
            assert len(rows) == 2
            assert sum(1 for r in rows if r["detail"].get("merge")) == 1
        finally:
            store.close()
