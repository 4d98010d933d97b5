"""``cpkit render``: refusals leave no file (exit 2); --distributed closes the deadline."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpkit import exchange
from cpkit.cli import main
from cpkit.rules.deadlines import case_deadlines
from cpkit.store import Store
from cpkit.store.reports import report_rows
from tests.conftest import fixture_case, fixture_document


def run(*args: str):
    return CliRunner().invoke(main, ["render", *args], catch_exceptions=False)


@pytest.mark.parametrize(("args", "message"), [
    (["PR-2026-0001", "--report", "closure"], "the case is not closed"),
    (["MI-2026-0001", "--report", "minutes"], "no meeting (CMR) has been held"),
    (["PR-2026-0001", "--report", "minutes", "--meeting", "2026-10-30"],
     "no meeting (CMR) was held on 2026-10-30"),
    (["GJ-2026-0001", "--report", "invitation"], "no meeting is planned"),
    (["ZZ-2026-0099", "--report", "minutes"], "no such case"),
    (['x"; import os; os.system("id")#', "--report", "minutes"], "not a case code"),
    (["GJ-2026-0001", "--report", "closure", "--distributed", "2026-07-04"],
     "--distributed applies to minutes and care plans"),
    (["PR-2026-0001", "--report", "minutes", "--distributed", "2026-10-01"],
     "is before the meeting"),
])
def test_refused_reports_exit_2_with_a_clear_message_and_no_file(home_store, cpkit_home,
                                                                  args, message):
    result = run(*args, "--format", "pdf")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and "Ëndrina" not in result.output
    assert not (cpkit_home / "reports").exists()
    assert report_rows(home_store) == []


def test_unknown_report_kind_is_a_usage_error(home_store):
    result = run("PR-2026-0001", "--report", "letter")
    assert result.exit_code == 2


def test_distributed_minutes_close_the_deadline(cpkit_home):
    doc = fixture_document("case_high_physical.json")
    del doc["meetings"][-1]["minutes_distributed_on"]
    store = Store()
    store.import_cases([exchange.load_case(doc)])
    before = store.get("PR-2026-0001")
    open_minutes = [d for d in case_deadlines(before.case) if d.kind == "minutes" and d.latest]
    assert open_minutes[0].done_on is None

    result = run("PR-2026-0001", "--report", "minutes", "--as-of", "2026-11-22",
                 "--distributed", "2026-11-06")
    assert result.exit_code == 0, result.output
    path = cpkit_home / "reports" / "PR-2026-0001" / "PR-2026-0001_minutes_2026-10-29.html"
    assert result.stdout.strip() == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    after = store.get("PR-2026-0001")
    assert after.version == before.version + 1
    assert after.case.meetings[-1].minutes_distributed_on == dt.date(2026, 11, 6)
    done = [d for d in case_deadlines(after.case) if d.kind == "minutes" and d.latest]
    assert done[0].done_on == dt.date(2026, 11, 6)
    [row] = report_rows(store)
    assert row["distributed_on"] == dt.date(2026, 11, 6)
    assert row["case_version"] == before.version and row["meeting_date"] == dt.date(2026, 10, 29)
    actions = [a["action"] for a in store.audit_rows("PR-2026-0001")]
    # the render reads the redacted copy and records the report; marking it distributed
    # reads the case to change it and saves it through the guard (an edit)
    assert actions[-4:] == ["read_redacted", "render", "read_identity", "distribute"]
    store.close()


def test_render_reads_the_same_store_in_the_kernel_on_either_database(store, tmp_path):
    from cpkit.reports.render import render_report

    store.import_cases([fixture_case("case_closed.json")])
    result = render_report(store, "GJ-2026-0001", "closure", as_of=dt.date(2026, 11, 22),
                           out_dir=tmp_path / "out")
    page = result.path.read_text(encoding="utf-8")
    assert "03.07.2026" in page and "GJ-2026-0001" in page and "Valmir" not in page
    [row] = report_rows(store)
    assert row["path"] == str(result.path) and row["case_version"] == 1
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700


def test_minutes_in_each_language_from_one_command_each(home_store, cpkit_home, monkeypatch):
    """A Serbian-speaking officer and an Albanian-speaking social worker each get the
    minutes of the same case in their language; CPKIT_LANG is the default."""
    monkeypatch.setenv("CPKIT_LANG", "sr")
    serbian = run("PR-2026-0001", "--report", "minutes")
    albanian = run("PR-2026-0001", "--report", "minutes", "--lang", "sq")
    assert serbian.exit_code == 0 and albanian.exit_code == 0
    sr = Path(serbian.stdout.strip()).read_text(encoding="utf-8")
    sq = Path(albanian.stdout.strip()).read_text(encoding="utf-8")
    assert 'lang="sr"' in sr and "Visok rizik" in sr
    assert 'lang="sq"' in sq and "Rrezik i lartë" in sq
    assert "High risk" not in sr + sq
    # The heading names the municipality (recorded "Prishtinë") as each language does.
    assert '<span class="doc-municipality">Priština</span>' in sr
    assert '<span class="doc-municipality">Prishtinë</span>' in sq


def test_the_chronology_renders_redacted_as_html_and_pdf(home_store, cpkit_home):
    import subprocess

    child = fixture_document("case_closed.json")["child"]
    for fmt in ("html", "pdf"):
        result = run("GJ-2026-0001", "--report", "chronology", "--format", fmt)
        assert result.exit_code == 0, result.output
        path = Path(result.stdout.strip().splitlines()[-1])
        text = (path.read_text(encoding="utf-8") if fmt == "html" else subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
        assert "Case chronology" in text and "Initial CMR held" in text
        for value in (child["given_name"], child["family_name"]):
            assert value not in text
