"""``cpkit void``: a case created by mistake leaves every list and stays readable."""

import json

from cpkit.cli import main

CASE = "PR-2026-0001"



def codes(runner, *args) -> set[str]:
    result = runner.invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return {row["case_id"] for row in json.loads(result.stdout)}


def test_void_takes_the_case_out_of_every_list(runner):
    assert CASE in codes(runner, "list") and CASE in codes(runner, "deadlines")
    done = runner.invoke(main, ["void", CASE, "--reason", "Entered twice by mistake."])
    assert done.exit_code == 0, done.stderr
    assert "is void" in done.stderr
    assert CASE not in codes(runner, "list")
    assert CASE not in codes(runner, "deadlines")
    caseload = runner.invoke(main, ["caseload", "--format", "csv"])
    assert caseload.exit_code == 0 and CASE not in caseload.stdout
    exported = json.loads(runner.invoke(main, ["export", "--all"]).stdout)
    assert CASE not in {c["case_id"] for c in exported}
    shown = runner.invoke(main, ["show", CASE])  # kept, and says so
    assert shown.exit_code == 0 and "Void since" in shown.stdout
    assert "Entered twice by mistake." in shown.stdout
    audit = runner.invoke(main, ["audit", CASE])
    assert "void" in audit.stdout


def test_bad_input_exits_2_and_writes_nothing(runner):
    missing = runner.invoke(main, ["void", CASE, "--reason", "  "])
    assert missing.exit_code == 2 and "reason" in missing.stderr
    unknown = runner.invoke(main, ["void", "XX-2026-0099", "--reason", "mistake"])
    assert unknown.exit_code == 2 and "no such case" in unknown.stderr
    assert CASE in codes(runner, "list")
    assert runner.invoke(main, ["void", CASE, "--reason", "mistake"]).exit_code == 0
    again = runner.invoke(main, ["void", CASE, "--reason", "mistake"])
    assert again.exit_code == 2 and "void already" in again.stderr


def test_someone_else_may_not_void_a_case(runner, monkeypatch):
    assert runner.invoke(main, ["user", "add", "test-assessor", "--role", "admin"]).exit_code == 0
    assert runner.invoke(main, ["user", "add", "arta", "--role", "case_manager"]).exit_code == 0
    monkeypatch.setenv("CPKIT_USER", "arta")
    refused = runner.invoke(main, ["void", CASE, "--reason", "mistake"])
    assert refused.exit_code == 1 and "may not" in refused.stderr
    from cpkit.store import Store, voids

    store = Store()
    assert voids.void_of(store, CASE) is None  # nothing written
    store.close()
