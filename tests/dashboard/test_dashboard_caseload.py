"""The caseload table, counts and workload; training cases kept out; CSV and XLSX."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from click.testing import CliRunner

from cpkit.access import Guard
from cpkit.cli import main
from cpkit.dashboard import data, export
from cpkit.demo import generate_cases
from tests.conftest import AS_OF
from tests.dashboard.helpers_dashboard import minimal_case


@pytest.fixture
def demo_store(store):
    store.import_cases(generate_cases(24, seed=3, today=AS_OF))
    store.import_cases(generate_cases(6, seed=4, today=AS_OF, training=True))
    return store


def test_tables_match_the_cases_recomputed_and_leave_out_training(demo_store):
    board = data.load(Guard.for_user(demo_store), AS_OF)
    live = [r.case for r in demo_store.records(training=False)]
    everything = [r.case for r in demo_store.records()]
    assert len(everything) == 30 and len(live) == 24
    summaries, late = data.rows_from_cases(everything, AS_OF)  # the slow way round
    naive = data.build(summaries, late, AS_OF)
    columns = [c for c in data.CASELOAD_COLUMNS if c != "version"]
    assert board.caseload[columns].equals(naive.caseload[columns])
    assert board.overdue.equals(naive.overdue)
    assert set(board.caseload["case_id"]) == {c.case_id for c in live}
    assert not any(code.split("-")[-1].startswith("9") for code in board.caseload["case_id"])
    assert not board.overdue.empty  # the demo always has something overdue
    assert board.by_risk.sum() == 24 and board.by_stage.sum() == 24
    assert list(board.by_stage.index) == ["referral", "assessment", "planning", "review",
                                          "closed"]
    assert board.by_stage["closed"] == 4  # every sixth generated case is closed
    workload = board.workload
    open_cases = board.caseload[board.caseload["stage"] != "closed"]
    assert workload["open"].sum() == len(open_cases)
    assert workload["overdue"].sum() == board.caseload["overdue"].sum()


def test_counts_by_risk_stage_and_manager_by_hand(sqlite_store):
    doc_high = {"assessment": {"risk_factors": {"abuse_severity": "high"}}}
    sqlite_store.import_cases([
        minimal_case("MI-2026-0201", dt.date(2026, 11, 2), manager="Sw. A", **doc_high),
        minimal_case("MI-2026-0202", dt.date(2026, 11, 18), manager="Sw. A"),
        minimal_case("MI-2026-0203", dt.date(2026, 11, 18), manager="Sw. B"),
        minimal_case("MI-2026-0204", dt.date(2026, 11, 2), manager="Sw. B", training=True),
    ])
    board = data.load(Guard.for_user(sqlite_store), AS_OF)
    assert board.by_risk.to_dict() == {"high": 1, "medium": 0, "low": 0, "": 2}
    assert board.by_stage.to_dict() == {"referral": 2, "assessment": 1, "planning": 0,
                                        "review": 0, "closed": 0}
    assert board.workload.to_dict("index") == {
        "Sw. A": {"open": 2, "high": 1, "overdue": 1}, "Sw. B": {"open": 1, "high": 0,
                                                                 "overdue": 0}}
    assert board.managers == ["Sw. A", "Sw. B"]
    assert list(board.overdue["case_id"]) == ["MI-2026-0201"]  # not the training one
    only = data.filter_caseload(board.caseload, manager="Sw. A", overdue=True)
    assert list(only["case_id"]) == ["MI-2026-0201"]
    assert list(data.filter_caseload(board.caseload, risk="high")["case_id"]) == ["MI-2026-0201"]
    assert list(data.filter_caseload(board.caseload, stage="referral")["case_id"]) == [
        "MI-2026-0202", "MI-2026-0203"]
    ranked = data.sort_caseload(board.caseload, "overall_risk", ascending=False)
    assert ranked.iloc[0]["case_id"] == "MI-2026-0201"
    assert list(data.sort_caseload(board.caseload, "days_late", False)["case_id"])[0] == \
        "MI-2026-0201"
    with pytest.raises(ValueError):
        data.sort_caseload(board.caseload, "child_name")


@pytest.mark.parametrize("lang", ["en", "sq"])
def test_the_cli_csv_is_the_dashboards_csv(demo_store, monkeypatch, lang):
    """``cpkit caseload --format csv`` (the lean road: no SQLAlchemy, no pandas) writes
    byte for byte what the dashboard's export writes from its DataFrames."""
    monkeypatch.setenv("CPKIT_DB", demo_store.url)
    board = data.load(Guard.for_user(demo_store), AS_OF)
    done = CliRunner().invoke(main, ["caseload", "--format", "csv", "--as-of",
                                     AS_OF.isoformat(), "--lang", lang])
    assert done.exit_code == 0, done.output
    assert done.stdout == export.caseload_csv(board, lang)
    # as pandas wrote it before (the sheet the workbook is made of)
    assert done.stdout == export.caseload_sheet(board, lang).to_csv(index=False,
                                                                    lineterminator="\n")
    assert done.stdout.count("\n") == 25  # the header and the 24 live cases
    assert board.caseload["overdue"].any() and not board.caseload["overdue"].all()


def test_caseload_csv_and_xlsx(sqlite_store, tmp_path, cpkit_home):
    sqlite_store.import_cases([
        minimal_case("MI-2026-0301", dt.date(2026, 11, 2), manager="Sw. Čč"),
        minimal_case("MI-2026-0302", dt.date(2026, 11, 18)),
        minimal_case("MI-2026-0303", dt.date(2026, 11, 2), training=True)])
    board = data.load(Guard.for_user(sqlite_store), AS_OF)
    rows = list(csv.DictReader(io.StringIO(export.caseload_csv(board, "en"))))
    assert [r["code"] for r in rows] == ["MI-2026-0301", "MI-2026-0302"]
    first = rows[0]
    assert first["case manager"] == "Sw. Čč"
    assert first["stage"] == "Referral" and first["overall risk"] == "not assessed"
    assert first["overdue"] == "yes" and first["days late"] == "2"  # due Fri 20 Nov 2026
    assert first["which deadlines are overdue"] == ("Assessment completed "
                                                     "(14 working days after the referral)")
    assert rows[1]["overdue"] == "no" and rows[1]["due"] == "2026-12-08"
    assert "Erion" not in export.caseload_csv(board)  # codes only, never the child

    workbook = openpyxl.load_workbook(io.BytesIO(export.caseload_xlsx(board, "en")))
    sheet = workbook.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["code", "overall risk", "stage"]
    assert [v[0] for v in values[1:]] == ["MI-2026-0301", "MI-2026-0302"]
    assert values[1][9] == 2


def test_caseload_command(tmp_path, cpkit_home):
    from cpkit.store import Store

    store = Store()
    store.import_cases([minimal_case("MI-2026-0401", dt.date(2026, 11, 2))])
    store.close()
    runner = CliRunner()
    result = runner.invoke(main, ["caseload", "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("MI-2026-0401,")
    target = tmp_path / "caseload.xlsx"
    result = runner.invoke(main, ["caseload", "--format", "xlsx", "-o", str(target),
                                  "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert openpyxl.load_workbook(target).active["A2"].value == "MI-2026-0401"
