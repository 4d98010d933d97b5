"""`cpkit import` reports the protocol's warnings (stderr, --format json), never refusing
a document for a warning alone; refusals still write nothing (exit 2)."""

import json

from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES


def test_import_reports_warnings_and_imports_the_case():
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "case_minimal.json"),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    [entry] = summary["files"]
    assert entry["imported"] == ["MI-2026-0001"] and entry["error"] is None
    [warning] = entry["warnings"]
    assert warning["rule"] == "consent.child_assent"
    assert warning["field"] == "consent.child_assent" and warning["case"] == "MI-2026-0001"
    assert "assent should be sought" in warning["message"]
    assert "warning: MI-2026-0001: consent.child_assent" in result.stderr


def test_import_json_names_the_refusal_and_stores_nothing(tmp_path):
    document = json.loads((FIXTURES / "case_minimal.json").read_text(encoding="utf-8"))
    document["child"]["date_of_birth"] = "2000-01-01"  # 26 at referral
    path = tmp_path / "adult.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(path), "--format", "json"])
    assert result.exit_code == 2
    [entry] = json.loads(result.stdout)["files"]
    assert entry["imported"] == [] and "child.date_of_birth" in entry["error"]
    assert "2000-01-01" not in result.output
    assert json.loads(runner.invoke(main, ["export", "--all"]).stdout) == []


def test_show_lists_pending_warnings_and_a_redacted_summary_keeps_the_birthday_out():
    import datetime as dt

    from cpkit.exchange import load_case
    from cpkit.summary_text import case_summary
    from tests.conftest import fixture_document

    document = fixture_document("case_minimal.json")
    document["child"]["date_of_birth"] = "2008-12-20"  # turns 18 on 2026-12-20
    case = load_case(document)
    text = case_summary(case, dt.date(2026, 12, 1))
    assert "Protocol warnings not yet acknowledged" in text
    assert "child.date_of_birth: the child turns 18 on 2026-12-20" in text
    redacted = case_summary(case, dt.date(2026, 12, 1), redact=True)
    assert "2026-12-20" not in redacted and "2008-12-20" not in redacted
