"""The store on both databases: transactions, versions, audit, case codes."""

import threading

import pytest
from sqlalchemy import text

from cpkit.errors import Conflict, InvalidCase, NotFound
from cpkit.exchange import load_case
from tests.conftest import CASE_FILES, fixture_case, fixture_document


def export_all(store):
    return [r.case.to_document() for r in store.records()]


def test_import_then_get_gives_the_same_case(store):
    store.import_cases([fixture_case("case_high_physical.json")])
    record = store.get("PR-2026-0001")
    assert record.version == 1
    assert record.case.to_document() == fixture_document("case_high_physical.json")


def test_import_is_all_or_nothing(store):
    store.import_cases([fixture_case("case_minimal.json")])
    before = export_all(store)
    clash = fixture_case("case_minimal.json")  # already stored: refused
    with pytest.raises(InvalidCase):
        store.import_cases([fixture_case("case_closed.json"), clash])
    assert export_all(store) == before


def test_failure_inside_the_transaction_rolls_back(store, monkeypatch):
    before = export_all(store)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(store), "_audit", staticmethod(boom))
    with pytest.raises(RuntimeError):
        store.import_cases([fixture_case("case_closed.json")])
    assert export_all(store) == before
    assert not store.exists("GJ-2026-0001")


def test_save_from_a_stale_version_is_refused(store):
    store.import_cases([fixture_case("case_minimal.json")])
    first, second = store.get("MI-2026-0001"), store.get("MI-2026-0001")
    first.case.case_manager = "Sw. One"
    store.save(first.case, first.version)
    second.case.case_manager = "Sw. Two"
    with pytest.raises(Conflict) as err:
        store.save(second.case, second.version)
    assert "reload" in str(err.value)
    assert store.get("MI-2026-0001").case.case_manager == "Sw. One"


def test_two_concurrent_saves_from_the_same_version_one_wins_nothing_lost(store):
    store.import_cases([fixture_case("case_minimal.json")])
    base = store.get("MI-2026-0001")
    outcomes, barrier = [], threading.Barrier(2)

    def save(manager):
        case = base.case.model_copy(deep=True)
        case.case_manager = manager
        barrier.wait()
        try:
            store.save(case, base.version)
            outcomes.append(("saved", manager))
        except Conflict:
            outcomes.append(("conflict", manager))

    threads = [threading.Thread(target=save, args=(m,)) for m in ("Sw. A", "Sw. B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o for o, _ in outcomes) == ["conflict", "saved"]
    winner = next(m for o, m in outcomes if o == "saved")
    record = store.get("MI-2026-0001")
    assert (record.version, record.case.case_manager) == (2, winner)


def test_invalid_save_is_refused_and_nothing_changes(store):
    store.import_cases([fixture_case("case_high_physical.json")])
    record = store.get("PR-2026-0001")
    record.case.closure = {"date": "2026-11-01", "reason": "risk_reduced"}
    with pytest.raises(InvalidCase):
        store.save(record.case, record.version)
    assert store.get("PR-2026-0001").version == 1


def test_every_change_appends_an_audit_row_with_the_fields_changed(store):
    store.import_cases([fixture_case("case_minimal.json")], actor="importer")
    record = store.get("MI-2026-0001")
    record.case.case_manager = "Sw. Audit"
    store.save(record.case, record.version, actor="assessor")
    rows = store.audit_rows("MI-2026-0001")
    assert [(r["action"], r["actor"], r["case_version"]) for r in rows] == [
        ("import", "importer", 1), ("update", "assessor", 2)]
    assert rows[1]["detail"] == {"fields": ["case_manager"]}


def test_audit_rows_cannot_be_changed_or_deleted(store):
    store.import_cases([fixture_case("case_minimal.json")])
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(statement))
    assert len(store.audit_rows()) == 1


def test_case_codes_are_generated_from_municipality_and_year_never_names(store):
    document = fixture_document("case_minimal.json")
    del document["case_id"]
    first = store.create(load_case(document))
    second = store.create(load_case(document))
    assert first.case.case_id == "MI-2026-0001" or first.case.case_id.startswith("MI-2026-")
    assert second.case.case_id != first.case.case_id
    child = document["child"]
    for code in (first.case.case_id, second.case.case_id):
        assert child["given_name"].lower() not in code.lower()
        assert child["family_name"].lower() not in code.lower()


def test_generated_codes_skip_codes_already_imported(store):
    store.import_cases([fixture_case("case_minimal.json")])  # MI-2026-0001
    document = fixture_document("case_minimal.json")
    del document["case_id"]
    assert store.create(load_case(document)).case.case_id == "MI-2026-0002"


def test_unknown_case_is_not_found(store):
    with pytest.raises(NotFound):
        store.get("XX-2026-0001")


def test_overdue_deadlines_across_the_caseload(store):
    import datetime as dt

    store.import_cases([fixture_case(name) for name in CASE_FILES])
    as_of = dt.date(2026, 12, 15)  # after the review CMRs the fixtures planned
    rows = store.deadline_rows(as_of, overdue_only=True)
    assert rows and all(r["due"] < as_of for r in rows)
    assert all(r["done_on"] is None for r in rows)
    overdue_cases = {r["case_id"] for r in rows}
    listed = {r["case_id"] for r in store.summaries(overdue_on=as_of)}
    assert listed == overdue_cases


def test_training_cases_never_mix_with_the_live_caseload(store):
    from cpkit import exchange
    from tests.conftest import FIXTURES

    store.import_cases(exchange.load_cases(exchange.read_file(FIXTURES / "cases_array.json")[0]))
    live = {r["case_id"] for r in store.summaries()}
    training = {r["case_id"] for r in store.summaries(training=True)}
    assert "PR-2026-0002" in training and "PR-2026-0002" not in live


def test_a_case_changed_after_validation_is_checked_again_on_write(store):
    case = fixture_case("case_high_physical.json")
    case.closure = {"date": "2026-11-01", "reason": "risk_reduced"}  # no CMR agreed it
    with pytest.raises(InvalidCase) as err:
        store.import_cases([case])
    assert [p.path for p in err.value.problems][0] == "closure.agreed_at_meeting"
    assert not store.exists("PR-2026-0001")


def test_the_newest_migration_is_read_as_alembic_reads_it():
    """The store skips Alembic when at the newest schema: it must know the same head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from cpkit.store.repository import MIGRATIONS, head_revisions

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revisions() == frozenset(ScriptDirectory.from_config(config).get_heads())


def test_a_store_at_the_newest_schema_is_opened_without_alembic(tmp_path):
    import subprocess
    import sys

    from cpkit.store import Store

    url = f"sqlite:///{tmp_path / 'cases.db'}"
    Store(url).close()  # created and migrated
    probe = (f"import sys\nfrom cpkit.store import Store\ns = Store({url!r})\n"
             "assert s.at_head()\nprint('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "False"


# -- saves against the version the user started from: merged field by field ------------


def _stale_pair(store):
    store.import_cases([fixture_case("case_high_physical.json")], actor="arta")
    first, second = store.get("PR-2026-0001"), store.get("PR-2026-0001")
    return first, second


def test_stale_save_with_its_base_merges_different_parts(store):
    first, second = _stale_pair(store)
    base = second.case.to_document()
    first.case.assessment.wellbeing.health.notes = "Saved first."
    store.save(first.case, first.version, actor="arta")
    second.case.care_plan.actions[0].status = "done"
    record = store.save(second.case, second.version, actor="besa", base=base)
    stored = store.get("PR-2026-0001")
    assert record.version == stored.version == 3
    assert stored.case.assessment.wellbeing.health.notes == "Saved first."
    assert stored.case.care_plan.actions[0].status == "done"
    row = store.audit_rows("PR-2026-0001")[-1]
    assert row["actor"] == "besa" and row["case_version"] == 3
    assert row["detail"]["merge"] == {
        "from_version": 1, "onto_version": 2,
        "automatic": ["care_plan.actions[0].status"],
        "kept": ["assessment.wellbeing.health.notes"]}
    assert record.merged == row["detail"]["merge"]


def test_stale_save_of_the_same_field_writes_nothing_and_says_who(store):
    from cpkit.errors import MergeConflict

    first, second = _stale_pair(store)
    base = second.case.to_document()
    first.case.assessment.wellbeing.health.notes = "Saved first."
    store.save(first.case, first.version, actor="arta")
    second.case.assessment.wellbeing.health.notes = "Typed second."
    second.case.care_plan.actions[0].status = "done"
    with pytest.raises(MergeConflict) as caught:
        store.save(second.case, second.version, actor="besa", base=base)
    err = caught.value
    assert isinstance(err, Conflict) and (err.expected, err.current) == (1, 2)
    assert err.saved_by == "arta" and err.saved_at is not None
    [conflict] = err.result.conflicts
    assert (conflict.path, conflict.theirs, conflict.mine) == (
        "assessment.wellbeing.health.notes", "Saved first.", "Typed second.")
    assert "Typed second" not in str(err) and "Saved first" not in str(err)
    assert store.get("PR-2026-0001").version == 2
    assert store.get("PR-2026-0001").case.care_plan.actions[0].status != "done"
    # decided: saved against the stored version, the audit names the decided field
    from cpkit.merge import resolve

    chosen = load_case(resolve(err.result, {conflict.path: "Typed second."}))
    store.save(chosen, err.current, actor="besa", base=err.theirs, decided=[conflict.path])
    stored = store.get("PR-2026-0001").case
    assert stored.assessment.wellbeing.health.notes == "Typed second."
    assert stored.care_plan.actions[0].status == "done"
    assert store.audit_rows("PR-2026-0001")[-1]["detail"]["merge"] == {
        "decided": ["assessment.wellbeing.health.notes"]}
