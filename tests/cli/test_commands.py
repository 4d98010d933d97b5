"""The ``cpkit`` console script as a user runs it: help, exit status, tables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES

CPKIT = str(Path(sys.executable).parent / "cpkit")


def run(*args, env=None):
    return subprocess.run([CPKIT, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_every_command_has_help():
    names = main.list_commands(None)
    assert {"init", "import", "export", "list", "show", "deadlines", "demo"} <= set(names)
    runner = CliRunner()
    for name in names:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_console_script_exit_status_and_stderr():
    ok = run("import", str(FIXTURES / "case_high_physical.json"))
    assert ok.returncode == 0 and "PR-2026-0001" in ok.stderr and ok.stdout == ""
    bad = run("import", str(FIXTURES / "bad" / "risk_level_severe.json"))
    assert bad.returncode == 2
    assert "assessment.risk_factors.site_of_injury: 'severe' is not one of low, medium, high" \
        in bad.stderr
    missing = run("show", "XX-2026-0001")
    assert missing.returncode == 2 and "no such case" in missing.stderr
    assert "Traceback" not in bad.stderr + missing.stderr


def test_failure_other_than_bad_input_exits_1_without_traceback(tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    result = run("list", env={"CPKIT_DB": f"sqlite:///{blocked}/cases.db"})
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_list_filters_by_risk_manager_and_overdue():
    runner = CliRunner()
    for name in ("case_high_physical.json", "case_medium_neglect.json", "case_minimal.json"):
        runner.invoke(main, ["import", str(FIXTURES / name)])
    high = runner.invoke(main, ["list", "--risk", "high"]).stdout
    assert "PR-2026-0001" in high and "GR-2026-0001" not in high
    overdue = runner.invoke(main, ["list", "--overdue", "--as-of", "2026-12-31"]).stdout
    assert "MI-2026-0001" in overdue
    manager = json.loads((FIXTURES / "case_medium_neglect.json").read_text())["case_manager"]
    mine = runner.invoke(main, ["list", "--manager", manager]).stdout
    assert "GR-2026-0001" in mine and "PR-2026-0001" not in mine


def test_show_is_readable_and_redact_hides_identity():
    runner = CliRunner()
    runner.invoke(main, ["import", str(FIXTURES / "case_high_physical.json")])
    child = json.loads((FIXTURES / "case_high_physical.json").read_text())["child"]
    full = runner.invoke(main, ["show", "PR-2026-0001", "--as-of", "2026-11-22"]).stdout
    assert child["family_name"] in full and "Overall risk" in full
    redacted = runner.invoke(main, ["show", "PR-2026-0001", "--redact"]).stdout
    assert child["family_name"] not in redacted and child["address"] not in redacted


def test_deadlines_overdue_as_of_a_date():
    runner = CliRunner()
    runner.invoke(main, ["import", str(FIXTURES / "case_minimal.json")])
    rows = json.loads(runner.invoke(
        main, ["deadlines", "--overdue", "--as-of", "2026-12-31", "--format", "json"]).stdout)
    assert [(r["case_id"], r["name"]) for r in rows] == [("MI-2026-0001", "assessment")]
    assert rows[0]["days_late"] > 0


@pytest.mark.parametrize("count", [12])
def test_demo_seeds_fictional_cases_that_list_shows(count):
    assert run("demo", "--count", str(count)).returncode == 0
    listed = run("list")
    assert listed.returncode == 0
    assert len([line for line in listed.stdout.splitlines() if "-2026-" in line
                or "-2025-" in line]) == count
    again = run("demo", "--count", str(count))  # re-seeding replaces, never duplicates
    assert again.returncode == 0
    assert run("list").stdout.count("\n") == listed.stdout.count("\n")
