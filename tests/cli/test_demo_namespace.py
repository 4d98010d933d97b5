"""``cpkit demo`` never overwrites a real case: its cases live under DEMO-, no real case
may take such a code, and a store holding real cases is refused unless told."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]
CPKIT = str(Path(sys.executable).parent / "cpkit")


def export_all(runner) -> str:
    result = runner.invoke(main, ["export", "--all", "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_demo_refuses_a_store_with_real_cases_and_changes_nothing(cpkit_home):
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(FIXTURES / "case_high_physical.json")]
                         ).exit_code == 0
    before = export_all(runner)
    refused = runner.invoke(main, ["demo", "--count", "3"])
    assert refused.exit_code == 2 and "holds 1 real case(s)" in refused.stderr
    assert "--beside-live-cases" in refused.stderr
    assert export_all(runner) == before


def test_beside_real_cases_the_demo_touches_none_of_them(cpkit_home):
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(FIXTURES / "case_high_physical.json")]
                         ).exit_code == 0
    before = json.loads(export_all(runner))
    # its own process, as a user runs it (the demo renders a report with a kernel)
    done = subprocess.run([CPKIT, "demo", "--count", "14", "--beside-live-cases"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    after = json.loads(export_all(runner))
    codes = [c["case_id"] for c in after]
    assert "PR-2026-0001" in codes and "DEMO-PR-2026-0001" in codes
    assert all(c.startswith("DEMO-") for c in codes if c != "PR-2026-0001")
    assert [c for c in after if c["case_id"] == "PR-2026-0001"] == before


def test_no_real_case_may_take_a_demo_code(cpkit_home, tmp_path):
    document = json.loads((FIXTURES / "case_minimal.json").read_text(encoding="utf-8"))
    document["case_id"] = "DEMO-MI-2026-0001"
    path = tmp_path / "sneaky.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2 and "reserved for the fictional cases" in result.stderr
