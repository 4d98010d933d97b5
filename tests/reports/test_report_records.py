"""The store's records of rendered reports, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.errors import NotFound
from cpkit.store.reports import add_report, get_report, report_rows, set_distributed
from tests.conftest import fixture_case


def test_reports_are_recorded_listed_and_marked_distributed(store):
    store.import_cases([fixture_case("case_high_physical.json"),
                        fixture_case("case_closed.json")])
    first = add_report(store, case_id="PR-2026-0001", case_version=1, kind="minutes",
                       fmt="pdf", lang="en", redacted=True, meeting_date=dt.date(2026, 10, 29),
                       path="/x/PR-2026-0001_minutes_2026-10-29.pdf", sha256="a" * 64,
                       actor="assessor-1")
    second = add_report(store, case_id="GJ-2026-0001", case_version=1, kind="closure",
                        fmt="html", lang="sq", redacted=False, meeting_date=None,
                        path="/x/GJ.html", sha256="b" * 64)
    assert second > first
    assert [r["id"] for r in report_rows(store)] == [first, second]
    [row] = report_rows(store, "PR-2026-0001")
    assert row["kind"] == "minutes" and row["redacted"] is True
    assert row["meeting_date"] == dt.date(2026, 10, 29) and row["actor"] == "assessor-1"
    assert row["distributed_on"] is None and row["at"] is not None
    set_distributed(store, first, dt.date(2026, 11, 4))
    assert get_report(store, first)["distributed_on"] == dt.date(2026, 11, 4)
    assert get_report(store, second)["actor"] == "test-assessor"
    with pytest.raises(NotFound):
        set_distributed(store, 9999, dt.date(2026, 11, 4))
    with pytest.raises(NotFound):
        get_report(store, 9999)
