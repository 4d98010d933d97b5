"""Malformed documents are refused with exit status 2, the field named, nothing stored."""

import json

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
TABLE = json.loads((BAD / "index.json").read_text(encoding="utf-8"))


def full_export(runner) -> str:
    result = runner.invoke(main, ["export", "--all", "--as-of", "2026-11-22"])
    assert result.exit_code == 0
    training = runner.invoke(main, ["export", "--all", "--training", "--as-of", "2026-11-22"])
    return result.stdout + training.stdout


def materialise(entry, tmp_path):
    if "file" in entry:
        return BAD / entry["file"]
    spec = entry["generate"]
    document = json.loads((FIXTURES / spec["base"]).read_text(encoding="utf-8"))
    *parents, leaf = spec["path"].split(".")
    target = document
    for key in parents:
        target = target[key]
    if "depth" in spec:
        target[leaf] = "PLACE"
        text = json.dumps(document).replace('"PLACE"', "[" * spec["depth"] + "]" * spec["depth"])
    else:
        target[leaf] = "x" * spec["bytes"]
        text = json.dumps(document)
    path = tmp_path / "generated.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_has_at_least_twenty_malformed_documents():
    assert len(TABLE) >= 20


def ids(entry) -> str:
    if "file" in entry:
        return entry["file"]
    spec = entry["generate"]
    return f"generated-{spec['path']}-{spec.get('depth') or spec.get('bytes')}"


@pytest.mark.parametrize("entry", TABLE, ids=[ids(e) for e in TABLE])
def test_malformed_document_is_refused_and_the_store_is_unchanged(entry, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(FIXTURES / "case_high_physical.json")]).exit_code == 0
    before = full_export(runner)
    result = runner.invoke(main, ["import", str(materialise(entry, tmp_path))])
    assert result.exit_code == 2, result.output
    assert entry["field"] in result.output
    assert "Traceback" not in result.output
    assert full_export(runner) == before


def test_a_bad_case_in_a_file_stores_none_of_that_file(tmp_path):
    good = json.loads((FIXTURES / "case_minimal.json").read_text(encoding="utf-8"))
    bad = {**good, "case_id": "MI-2026-0999", "referral": {"date": "2026-13-01"}}
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([good, bad]), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(path)])
    assert result.exit_code == 2
    assert "cases[1] (MI-2026-0999): referral.date" in result.output
    assert json.loads(runner.invoke(main, ["export", "--all"]).stdout) == []


def test_importing_an_existing_code_is_refused_unless_replace(tmp_path):
    runner = CliRunner()
    path = str(FIXTURES / "case_minimal.json")
    assert runner.invoke(main, ["import", path]).exit_code == 0
    again = runner.invoke(main, ["import", path])
    assert again.exit_code == 2 and "already in the store" in again.output
    assert runner.invoke(main, ["import", "--replace", path]).exit_code == 0


def test_errors_about_the_child_do_not_echo_identifying_values(tmp_path):
    document = json.loads((FIXTURES / "case_minimal.json").read_text(encoding="utf-8"))
    document["child"]["date_of_birth"] = "2019-02-31"
    path = tmp_path / "dob.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2
    assert "child.date_of_birth" in result.output and "2019-02-31" not in result.output


def test_messages_come_in_the_users_language(tmp_path, monkeypatch):
    document = json.loads((FIXTURES / "case_minimal.json").read_text(encoding="utf-8"))
    document["referral"]["date"] = "2026-02-30"
    path = tmp_path / "date.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    english = CliRunner().invoke(main, ["import", str(path)]).output
    assert "referral.date: '2026-02-30' is not a valid date (YYYY-MM-DD)" in english
    monkeypatch.setenv("CPKIT_LANG", "sq")
    albanian = CliRunner().invoke(main, ["import", str(path)])
    assert albanian.exit_code == 2
    assert "referral.date: '2026-02-30' nuk është datë e vlefshme" in albanian.output
