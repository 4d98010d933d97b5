"""People are shown by their names in documents: a progress note, an agency's report or
an acknowledged warning recorded by login reads "Arta Morina" in the minutes."""

from __future__ import annotations

import datetime as dt

from cpkit.access import Guard
from cpkit.access.users import shown_by_names
from cpkit.model import Progress
from cpkit.reports.context import read_for_render
from tests.access.conftest import populate

CASE = "PR-2026-0001"


def test_logins_become_display_names_for_documents(store):
    populate(store)
    record = store.get(CASE)
    case = record.case
    action = case.care_plan.actions[0]
    action.progress.append(Progress(date=dt.date(2026, 11, 1), by="arta", note="Visited."))
    store.save(case, record.version)
    shown = shown_by_names(store, store.get(CASE).case)
    assert shown.care_plan.actions[0].progress[-1].by == "Arta Morina"
    assert store.get(CASE).case.care_plan.actions[0].progress[-1].by == "arta"  # stored as is
    ready = read_for_render(Guard.for_user(store, "sara"), CASE, "care-plan", redact=True,
                            lang="en", fmt="html")
    assert ready.record.case.care_plan.actions[0].progress[-1].by == "Arta Morina"
