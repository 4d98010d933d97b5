"""``cpkit check`` finds what is wrong; ``cpkit backup``/``restore`` round-trip a store
(compared by full exports), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

from click.testing import CliRunner
from sqlalchemy import text

from cpkit.store.backup import backup, restore
from cpkit.store.check import check_store
from tests.conftest import fixture_case

FILES = ("case_high_physical.json", "case_medium_neglect.json", "case_closed.json")


def export_all(store):
    return [r.case.to_document() for r in store.records()]


def _filled(store, tmp_path):
    from cpkit.store.reports import add_report

    store.import_cases([fixture_case(n) for n in FILES], actor="fixtures")
    report = tmp_path / "report.html"
    report.write_bytes(b"<html>minutes</html>")
    add_report(store, case_id="PR-2026-0001", case_version=1, kind="minutes", fmt="html",
               lang="en", redacted=False, meeting_date=None, path=str(report),
               sha256=hashlib.sha256(report.read_bytes()).hexdigest(), actor="fixtures")
    return report


def test_a_sound_store_passes_and_each_damage_is_named(store, tmp_path):
    report = _filled(store, tmp_path)
    found = check_store(store)
    assert found.sound, found.problems
    assert (found.cases, found.reports) == (3, 1) and found.audit_rows >= 3

    report.write_bytes(b"<html>changed</html>")
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM deadlines WHERE case_id = 'GR-2026-0001'"))
    problems = check_store(store).problems
    assert any(p.startswith("report ") and "sha256 differs" in p for p in problems)
    assert any("GR-2026-0001" in p and "deadline table" in p for p in problems)
    report.unlink()
    assert any("file is missing" in p for p in check_store(store).problems)


def test_a_case_that_does_not_open_is_named(store, tmp_path):
    _filled(store, tmp_path)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET document = '{\"garbage\": 1}' "
                          "WHERE case_id = 'GJ-2026-0001'"))
    problems = check_store(store).problems
    assert any(p.startswith("case GJ-2026-0001:") for p in problems), problems


def test_backup_and_restore_round_trip(store, tmp_path):
    _filled(store, tmp_path)
    before = export_all(store)
    manifest = backup(store, tmp_path / "backup")
    assert manifest["key_included"] is False
    assert not any("key" in p.name for p in (tmp_path / "backup").iterdir())
    record = store.get("PR-2026-0001")
    record.case.assessment.summary = "Changed after the backup."
    store.save(record.case, record.version, actor="someone")
    assert export_all(store) != before
    restore(store, tmp_path / "backup")
    assert export_all(store) == before
    assert check_store(store).sound


def test_cli_check_exits_non_zero_on_a_problem(cpkit_home, tmp_path):
    from cpkit.cli import main
    from cpkit.store import Store

    store = Store()
    report = _filled(store, tmp_path)
    store.close()
    runner = CliRunner()
    done = runner.invoke(main, ["check"])
    assert done.exit_code == 0, done.output
    assert "The store is sound." in done.output
    report.unlink()
    done = runner.invoke(main, ["check"])
    assert done.exit_code == 1 and "file is missing" in done.output
    backed = runner.invoke(main, ["backup", str(tmp_path / "b")])
    assert backed.exit_code == 0, backed.output
    assert runner.invoke(main, ["restore", str(tmp_path / "b"), "--yes"]).exit_code == 0
