"""Audit: each audited operation leaves exactly one row, naming who, what, when and from
where; the trail is append-only on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cpkit.access import Guard
from cpkit.cli import main
from tests.access.conftest import populate
from tests.conftest import fixture_case


def _rows(store):
    return store.audit_rows()


def _one_new_row(store, before: int, action: str, actor: str, case_id: str | None):
    rows = _rows(store)[before:]
    assert len(rows) == 1, [(r["action"], r["case_id"]) for r in rows]
    row = rows[0]
    assert (row["action"], row["actor"], row["case_id"]) == (action, actor, case_id)
    assert row["at"] is not None and row["origin"]
    return row


def _show(guard, store):
    return guard.get("PR-2026-0001", "show")


def _show_redacted(guard, store):
    return guard.get("PR-2026-0001", "show", redact=True)


def _export(guard, store):
    return guard.records(["PR-2026-0001"], purpose="export")


def _render(guard, store):
    return guard.get("PR-2026-0001", "render", redact=True)


def _record_render(guard, store):
    guard.record_render("PR-2026-0001", case_version=1, kind="minutes", fmt="html",
                        lang="en", redacted=True, meeting_date=None, path="/nowhere.html",
                        sha256="0" * 64)


def _edit(guard, store):
    record = store.get("PR-2026-0001")
    record.case.assessment.needs.append("Swimming lessons")
    guard.save(record.case, record.version)


def _close(guard, store):
    record = store.get("PR-2026-0001")
    guard.save(record.case, record.version, action="close")


def _sign_off(guard, store):
    guard.authorise("sign_off", "PR-2026-0001")
    guard.record_event("sign_off", "PR-2026-0001", {"decision": "approved"})


def _import(guard, store):
    guard.import_cases([fixture_case("case_minimal.json")])


OPERATIONS = [
    (_show, "read_identity", "PR-2026-0001"),
    (_show_redacted, "read_redacted", "PR-2026-0001"),
    (_export, "export", "PR-2026-0001"),
    (_render, "read_redacted", "PR-2026-0001"),  # the host's read for a report
    (_record_render, "render", "PR-2026-0001"),  # the report it wrote
    (_edit, "update", "PR-2026-0001"),
    (_close, "close", "PR-2026-0001"),
    (_sign_off, "sign_off", "PR-2026-0001"),
    (_import, "import", "MI-2026-0001"),
]


@pytest.mark.parametrize(("operation", "action", "case_id"), OPERATIONS,
                         ids=[a for _, a, _ in OPERATIONS])
def test_one_row_per_operation(store, operation, action, case_id):
    """On both databases, through the guard, as a supervisor."""
    populate(store)
    guard = Guard.for_user(store, "sara")
    before = len(_rows(store))
    operation(guard, store)
    row = _one_new_row(store, before, action, "sara", case_id)
    assert "Ëndrina" not in str(row["detail"])


@pytest.mark.parametrize(("args", "action"), [
    (["show", "PR-2026-0001"], "read_identity"),
    (["show", "PR-2026-0001", "--redact"], "read_redacted"),
    (["export", "PR-2026-0001"], "export"),
    (["export", "PR-2026-0001", "--for-child"], "export"),
    (["import", "tests/fixtures/case_minimal.json"], "import"),
    (["user", "grant", "edi", "PR-2026-0001"], "grant"),
])
def test_one_row_per_cli_command(access_store, args, action):
    before = len(_rows(access_store))
    user = "ada" if args[0] == "user" else "sara"
    result = CliRunner().invoke(main, args, env={"CPKIT_USER": user})
    assert result.exit_code == 0, result.output
    expected_case = "MI-2026-0001" if args[0] == "import" else "PR-2026-0001"
    _one_new_row(access_store, before, action, user, expected_case)


def test_refused_reads_open_nothing_and_lists_are_not_audited(access_store):
    before = len(_rows(access_store))
    runner = CliRunner()
    assert runner.invoke(main, ["show", "FE-2026-0001"], env={"CPKIT_USER": "edi"}).exit_code == 1
    assert runner.invoke(main, ["list"], env={"CPKIT_USER": "edi"}).exit_code == 0
    assert len(_rows(access_store)) == before


def test_audit_rows_cannot_be_changed_or_deleted(store):
    """Append-only, enforced by the database itself (triggers), on both databases."""
    store.record_event("export", None, {"note": "first"}, "sara")
    rows = _rows(store)
    for statement in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert _rows(store) == rows
    store.record_event("export", None, None, "sara")
    assert len(_rows(store)) == len(rows) + 1


def test_update_merges_a_part_and_conflicts_name_the_saver_by_display_name(access_store):
    from cpkit.errors import MergeConflict
    from tests.access.conftest import guard_for

    arta, sara = guard_for(access_store, "arta"), guard_for(access_store, "sara")
    stale = sara.get("PR-2026-0001", "edit")
    base = stale.case.to_document()

    def note(case):
        case.assessment.wellbeing.health.notes = "Arta's note."

    arta.update("PR-2026-0001", note, action="note")
    stale.case.assessment.wellbeing.health.notes = "Sara's note."
    with pytest.raises(MergeConflict) as caught:
        sara.save(stale.case, stale.version, base=base)
    assert caught.value.saved_by == "Arta Morina"
    assert sara.last_saved("PR-2026-0001", caught.value.current)[0] == "Arta Morina"
