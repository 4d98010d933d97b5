"""A supervisor's approval travels with the report: rendered on it, and flagged once
the case changes after the approval."""

import datetime as dt

from cpkit.dashboard.signoff import approve
from cpkit.reports.render import render_report
from tests.conftest import fixture_case


def test_approved_minutes_carry_the_approval_and_a_later_change_shows(sqlite_store, tmp_path):
    store = sqlite_store
    store.import_cases([fixture_case("case_medium_neglect.json")])
    day = dt.date(2026, 11, 22)

    def render():
        result = render_report(store, "GR-2026-0001", "minutes", fmt="html", as_of=day,
                               out_dir=tmp_path, actor="sw.assessor")
        return result, result.path.read_text(encoding="utf-8")

    first, html = render()
    assert "approved by" not in html
    approve(store, first.report_id, actor="sup.supervisor")

    _, html = render()
    assert 'class="doc-approval"' in html and "approved by sup.supervisor" in html
    assert "changed since approval" not in html

    record = store.get("GR-2026-0001")
    record.case.case_manager = "Sw. Someone Else"
    store.save(record.case, record.version)
    _, html = render()
    assert "changed since approval (approved by sup.supervisor" in html
