"""The dashboard's overdue list against hand-worked protocol deadlines, holidays included.

Kosovo's holidays as the calendar knows them: 25 December (Catholic Christmas), 1 and
2 January (New Year; 2 January 2027 is a Saturday, observed on Monday 4 January),
7 January (Orthodox Christmas), Easter Mondays (Catholic 29 March 2027, Orthodox
13 April 2026), 6 April 2026 (Catholic Easter Monday), 9 April (Constitution Day).
"""

import datetime as dt

import pytest

from cpkit.access import Guard
from cpkit.dashboard import data
from tests.dashboard.helpers_dashboard import minimal_case

D = dt.date


def _overdue(store, as_of):
    return data.load(Guard.for_user(store), as_of).overdue


@pytest.mark.parametrize("referred, due, as_of, late", [
    # Thu 24 Dec 2026: 25 Dec, 1 Jan, 4 Jan (New Year observed) and 7 Jan are not
    # working days: Dec 28-31 (4), Jan 5-6 (6), Jan 8 (7), Jan 11-15 (12), Jan 18-19 (14).
    (D(2026, 12, 24), D(2027, 1, 19), D(2027, 1, 26), 7),
    # Mon 22 Mar 2027: Easter Monday 29 Mar and Constitution Day Fri 9 Apr are skipped:
    # Mar 23-26 (4), Mar 30-Apr 2 (8), Apr 5-8 (12), Apr 12-13 (14).
    (D(2027, 3, 22), D(2027, 4, 13), D(2027, 4, 20), 7),
    # Mon 30 Mar 2026: Catholic Easter Monday 6 Apr, 9 Apr, Orthodox Easter Monday 13 Apr:
    # Mar 31-Apr 3 (4), Apr 7-8 (6), Apr 10 (7), Apr 14-17 (11), Apr 20-22 (14).
    (D(2026, 3, 30), D(2026, 4, 22), D(2026, 5, 1), 9),
])
def test_assessment_deadline_over_the_holidays(store, referred, due, as_of, late):
    store.import_cases([minimal_case("MI-2026-0101", referred)])
    rows = _overdue(store, as_of)
    assert list(rows["kind"]) == ["assessment"]
    assert rows.loc[0, "due"] == due
    assert rows.loc[0, "days_late"] == late
    # the day it falls due it is not yet overdue; the day after it is, one day late
    assert _overdue(store, due).empty
    assert list(_overdue(store, due + dt.timedelta(days=1))["days_late"]) == [1]


def test_minutes_over_new_year_count_calendar_weeks(sqlite_store):
    """Minutes are due two (calendar) weeks after the CMR, holidays or not."""
    case = minimal_case("MI-2026-0102", D(2025, 11, 3))
    doc = case.to_document()
    doc["assessment"] = {"started_on": "2025-11-04", "completed_on": "2025-11-17"}
    doc["meetings"] = [{"date": "2025-12-22", "kind": "initial", "agreed_risk_level": "low"}]
    from cpkit import exchange

    sqlite_store.import_cases([exchange.load_case(doc)])
    rows = _overdue(sqlite_store, D(2026, 1, 12))
    minutes = rows[rows["kind"] == "minutes"]
    assert list(minutes["due"]) == [D(2026, 1, 5)]
    assert list(minutes["days_late"]) == [7]
    assert list(minutes["meeting"]) == ["2025-12-22"]  # the meeting it belongs to


def test_overdue_list_orders_longest_late_first_and_flags_the_caseload(sqlite_store):
    sqlite_store.import_cases([minimal_case("MI-2026-0103", D(2026, 10, 1)),
                               minimal_case("MI-2026-0104", D(2026, 11, 2)),
                               minimal_case("MI-2026-0105", D(2026, 11, 20))])
    board = data.load(Guard.for_user(sqlite_store), D(2026, 11, 30))
    # 1 Oct + 14 working days = 21 Oct (40 days late); 2 Nov -> 20 Nov (10 days late)
    assert list(board.overdue["case_id"]) == ["MI-2026-0103", "MI-2026-0104"]
    assert list(board.overdue["days_late"]) == [40, 10]
    flags = board.caseload.set_index("case_id")
    assert flags.loc["MI-2026-0103", "overdue"] and flags.loc["MI-2026-0103", "days_late"] == 40
    assert not flags.loc["MI-2026-0105", "overdue"]
    assert flags.loc["MI-2026-0105", "overdue_kinds"] == ""
