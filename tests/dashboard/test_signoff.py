"""Sign-off: approve, return with a comment, "changed since approval", who may decide."""

import datetime as dt

import pytest
from click.testing import CliRunner

from cpkit.access import PermissionDenied
from cpkit.access.users import add_user
from cpkit.dashboard.signoff import (
    approval_for,
    approve,
    report_status,
    report_statuses,
    return_report,
)
from cpkit.errors import BadInput, NotFound
from cpkit.i18n.formatting import format_date
from cpkit.store.reports import add_report
from tests.conftest import fixture_case

CODE = "PR-2026-0001"
MEETING = dt.date(2026, 10, 29)


def _report(store, tmp_path, version=1, meeting=MEETING) -> int:
    page = tmp_path / f"minutes-{version}.html"
    page.write_text("<html><body><h1>Minutes</h1></body></html>", encoding="utf-8")
    return add_report(store, case_id=CODE, case_version=version, kind="minutes", fmt="html",
                      lang="en", redacted=True, meeting_date=meeting, path=str(page),
                      sha256="0" * 64, actor="renderer")


@pytest.fixture
def with_case(store):
    store.import_cases([fixture_case("case_high_physical.json")])
    return store


def test_approve_then_change_the_case(with_case, tmp_path):
    store = with_case
    rid = _report(store, tmp_path)
    assert report_status(store, rid).state == "awaiting"
    assert report_status(store, rid).text("en") == "awaiting sign-off"
    assert approval_for(store, CODE, "minutes", MEETING) is None

    status = approve(store, rid)
    today = format_date(dt.date.today(), "en")
    assert status.state == "approved" and status.by == "test-assessor"
    assert status.text("en") == f"approved by test-assessor on {today}"
    approval = approval_for(store, CODE, "minutes", MEETING)
    assert approval is not None and approval.name == "test-assessor"
    assert approval.on == dt.date.today() and not approval.changed
    assert approval.text("en") == f"approved by test-assessor on {today}"
    assert approval_for(store, CODE, "minutes", None) is None  # another meeting's minutes
    assert approval_for(store, CODE, "care-plan", MEETING) is None
    assert [r["action"] for r in store.audit_rows(CODE)][-1] == "sign_off"

    record = store.get(CODE)
    record.case.assessment.summary = "Updated after a home visit."
    store.save(record.case, record.version)
    status = report_status(store, rid)
    assert status.state == "changed"
    assert status.text("en").startswith("changed since approval (approved by test-assessor")
    assert approval_for(store, CODE, "minutes", MEETING).changed
    assert "changed since approval" in approval_for(store, CODE, "minutes", MEETING).text()

    # a new rendering of the changed case waits for sign-off again
    fresh = _report(store, tmp_path, version=2)
    assert report_status(store, fresh).state == "awaiting"
    assert [s.state for s in report_statuses(store, [CODE])] == ["changed", "awaiting"]


def test_returned_reports_carry_the_comment(with_case, tmp_path):
    store = with_case
    rid = _report(store, tmp_path)
    with pytest.raises(BadInput):
        return_report(store, rid, "   ")
    assert report_status(store, rid).state == "awaiting"  # nothing recorded
    approve(store, rid)
    status = return_report(store, rid, "The decisions section misses the school's actions.")
    assert status.state == "returned"
    assert status.comment == "The decisions section misses the school's actions."
    assert "misses the school's actions" in status.text("en")
    assert approval_for(store, CODE, "minutes", MEETING) is None  # the return stands
    audit = store.audit_rows(CODE)[-1]
    assert audit["action"] == "sign_off" and "comment" not in (audit["detail"] or {})
    with pytest.raises(NotFound):
        approve(store, 999)


def test_only_a_supervisor_signs_off(with_case, tmp_path):
    store = with_case
    rid = _report(store, tmp_path)
    add_user(store, "boss", ["admin", "supervisor"], None, None, "setup")
    add_user(store, "worker", ["case_manager"], None, "Sw. Someone Else", "setup")
    with pytest.raises(PermissionDenied):
        approve(store, rid, actor="worker")
    assert report_status(store, rid).state == "awaiting"
    assert approve(store, rid, actor="boss").by == "boss"


def test_signoff_and_reports_commands(tmp_path, cpkit_home):
    from cpkit.cli import main
    from cpkit.store import Store

    store = Store()
    store.import_cases([fixture_case("case_high_physical.json")])
    rid = _report(store, tmp_path)
    runner = CliRunner()
    listed = runner.invoke(main, ["reports", CODE])
    assert listed.exit_code == 0 and "awaiting sign-off" in listed.stdout
    refused = runner.invoke(main, ["signoff", str(rid), "--return"])
    assert refused.exit_code == 2 and "comment" in refused.stderr
    done = runner.invoke(main, ["signoff", str(rid), "--return", "--comment", "Add the date."])
    assert done.exit_code == 0, done.output
    assert "returned by test-assessor" in done.stdout and "Add the date." in done.stdout
    assert runner.invoke(main, ["reports", "--awaiting"]).stdout.count(CODE) == 0
    missing = runner.invoke(main, ["signoff", "4242", "--approve"])
    assert missing.exit_code == 2
    assert "4242" in missing.stderr
