"""Who sees what, attacked: a case manager turning a live case into a training case
(every trainer would see the child), sign-off comments naming the child stored in
clear or shown to an agency member."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cpkit.access import PermissionDenied
from cpkit.cli import main
from cpkit.dashboard.signoff import sign_off
from cpkit.store.reports import add_report
from tests.access.conftest import guard_for

COMMENT = "Ëndrina Çelaj's grandmother must be named in the minutes"


def test_a_case_manager_cannot_make_a_live_case_a_training_case(access_store):
    arta = guard_for(access_store, "arta")
    record = arta.get("PR-2026-0001", "edit")
    record.case.training = True
    with pytest.raises(PermissionDenied, match="only an admin may change"):
        arta.save(record.case, record.version)
    assert "PR-2026-0001" not in guard_for(access_store, "tina").visible_ids("show")


def test_nor_through_import_replace(access_store, tmp_path):
    import json

    from cpkit import exchange

    record = guard_for(access_store, "arta").get("PR-2026-0001", "export")
    document = exchange.dump_case(record.case, record.case.referral.date)
    document["training"] = True
    path = tmp_path / "training.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--replace", str(path)],
                                env={"CPKIT_USER": "arta"})
    assert result.exit_code == 1 and "only an admin may change" in result.stderr
    assert access_store.get("PR-2026-0001").case.training is False


def test_an_admin_changes_the_flag_and_the_audit_says_so(access_store):
    runner = CliRunner()
    refused = runner.invoke(main, ["training-flag", "PR-2026-0001", "--training"],
                            env={"CPKIT_USER": "sara"})
    assert refused.exit_code == 1
    done = runner.invoke(main, ["training-flag", "PR-2026-0001", "--training"],
                         env={"CPKIT_USER": "ada"})
    assert done.exit_code == 0, done.output
    assert access_store.get("PR-2026-0001").case.training is True
    rows = [r for r in guard_for(access_store, "ada").audit_rows("PR-2026-0001")
            if r["action"] == "set_training"]
    assert len(rows) == 1 and rows[0]["actor"] == "ada"
    assert rows[0]["detail"]["fields"] == ["training"]


@pytest.fixture
def returned_report(access_store):
    record = access_store.get("PR-2026-0001")
    report_id = add_report(access_store, case_id="PR-2026-0001", case_version=record.version,
                           kind="minutes", fmt="html", lang="en", redacted=False,
                           meeting_date=None, path="/nonexistent/report.html", sha256="0" * 64,
                           actor="arta")
    sign_off(access_store, report_id, "return", COMMENT, guard=guard_for(access_store, "sara"))
    return report_id


def test_sign_off_comments_are_sealed_at_rest(access_store, returned_report):
    engine = create_engine(access_store.url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT comment FROM signoffs")).scalar()
    engine.dispose()
    assert "Ëndrina" not in stored and "grandmother" not in stored
    shown = CliRunner().invoke(main, ["reports", "PR-2026-0001"], env={"CPKIT_USER": "sara"})
    assert COMMENT in shown.stdout
    # and they follow the key when it is rotated
    assert CliRunner().invoke(main, ["rotate-key"], env={"CPKIT_USER": "ada"}).exit_code == 0
    shown = CliRunner().invoke(main, ["reports", "PR-2026-0001"], env={"CPKIT_USER": "sara"})
    assert COMMENT in shown.stdout


def test_an_agency_member_never_sees_a_comment_naming_the_child(access_store,
                                                               returned_report):
    shown = CliRunner().invoke(main, ["reports", "PR-2026-0001"], env={"CPKIT_USER": "edi"})
    assert shown.exit_code == 0, shown.output
    assert "Ëndrina" not in shown.stdout and "grandmother" not in shown.stdout
    assert "comment withheld" in shown.stdout


def report_row(store, tmp_path, redacted: bool) -> dict:
    import hashlib

    from cpkit.store.reports import get_report

    path = tmp_path / f"minutes-{'redacted' if redacted else 'internal'}.html"
    path.write_text("<p>Ëndrina Çelaj</p>" if not redacted else "<p>[child]</p>")
    record = store.get("PR-2026-0001")
    report_id = add_report(store, case_id="PR-2026-0001", case_version=record.version,
                           kind="minutes", fmt="html", lang="en", redacted=redacted,
                           meeting_date=None, path=str(path),
                           sha256=hashlib.sha256(path.read_bytes()).hexdigest(), actor="arta")
    return get_report(store, report_id)


def test_viewing_a_report_follows_the_identity_rule_and_is_audited(access_store, tmp_path):
    internal = report_row(access_store, tmp_path, redacted=False)
    redacted = report_row(access_store, tmp_path, redacted=True)
    edi = guard_for(access_store, "edi")
    with pytest.raises(PermissionDenied, match="internal report"):
        edi.read_report(internal)
    assert b"[child]" in edi.read_report(redacted)
    assert "Ëndrina".encode() in guard_for(access_store, "sara").read_report(internal)
    rows = [(r["actor"], r["detail"]["redacted"]) for r in
            guard_for(access_store, "ada").audit_rows("PR-2026-0001")
            if r["action"] == "view_report"]
    assert rows == [("edi", True), ("sara", False)]
