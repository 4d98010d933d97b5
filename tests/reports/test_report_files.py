"""Report files under attack and fault: an approved report's file is never overwritten
(a new render is a new file and a new row); what a killed render left is cleaned at
the next start, while a render at work elsewhere keeps its files."""

from __future__ import annotations

import datetime as dt
import os
import time

from cpkit.dashboard.signoff import approve
from cpkit.reports.render import render_report
from cpkit.store.reports import report_rows
from tests.conftest import fixture_case

DAY = dt.date(2026, 11, 22)


def render(store, out_dir):
    return render_report(store, "GR-2026-0001", "minutes", fmt="html", as_of=DAY,
                         out_dir=out_dir, actor="sw.assessor")


def test_an_approved_reports_file_is_never_overwritten(sqlite_store, tmp_path):
    sqlite_store.import_cases([fixture_case("case_medium_neglect.json")])
    first = render(sqlite_store, tmp_path)
    approved = first.path.read_bytes()
    approve(sqlite_store, first.report_id, actor="sup.supervisor")
    second = render(sqlite_store, tmp_path)
    assert second.path != first.path and second.report_id != first.report_id
    assert second.path.name == first.path.stem + "-2.html"
    assert first.path.read_bytes() == approved
    assert second.notebook_path.exists() and first.notebook_path.exists()
    third = render(sqlite_store, tmp_path)  # not approved yet: it may be rendered over
    assert third.path == second.path
    assert [r["path"] for r in report_rows(sqlite_store, "GR-2026-0001")] == [
        str(first.path), str(second.path), str(third.path)]


def test_leftovers_of_a_killed_render_are_cleaned_at_the_next_start(sqlite_store, tmp_path):
    sqlite_store.import_cases([fixture_case("case_medium_neglect.json")])
    old = time.time() - 2 * 3600
    stale_part = tmp_path / ".cpkit-dead.part"
    orphan = tmp_path / "GR-2026-0001_minutes_internal.ipynb"
    busy_part = tmp_path / ".cpkit-busy.part"
    for path in (stale_part, orphan, busy_part):
        path.write_text("{}")
    for path in (stale_part, orphan):
        os.utime(path, (old, old))
    done = render(sqlite_store, tmp_path)
    assert not stale_part.exists() and not orphan.exists()
    assert busy_part.exists()  # another render's file, still young: kept
    assert done.path.exists() and done.notebook_path.exists()
