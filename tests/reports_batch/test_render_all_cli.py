"""``cpkit render --all / --cases FILE / --overdue``: summary, exit status, access."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.store.reports import report_rows
from tests.conftest import AS_OF


def run(*args: str):
    return CliRunner().invoke(main, ["render", *args, "--as-of", AS_OF.isoformat()],
                              catch_exceptions=False)


def test_render_all_minutes_prints_paths_and_a_summary(home_store, tmp_path):
    result = run("--all", "--report", "minutes", "--workers", "1", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    paths = [Path(p) for p in result.stdout.split()]
    assert sorted(p.parent.name for p in paths) == ["GJ-2026-0001", "PR-2026-0001"]
    assert all(p.is_file() and p.suffix == ".html" for p in paths)
    assert "2 rendered, 1 skipped, 0 failed (3 cases)" in result.stderr
    assert "skipped MI-2026-0001 minutes: MI-2026-0001: no meeting (CMR)" in result.stderr
    assert "Ëndrina" not in result.output
    assert len(report_rows(home_store)) == 2


def test_a_case_file_with_an_unknown_code_fails_that_case_only(home_store, tmp_path):
    listed = tmp_path / "cmr-this-month.txt"
    listed.write_text("ZZ-2026-0404\nGJ-2026-0001\n", encoding="utf-8")
    result = run("--cases", str(listed), "--report", "closure", "--workers", "1",
                 "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "1 rendered, 0 skipped, 1 failed (2 cases)" in result.stderr
    assert "FAILED ZZ-2026-0404 closure: ZZ-2026-0404: no such case in the store" \
        in result.stderr
    assert (tmp_path / "out" / "GJ-2026-0001").is_dir()
    assert "Traceback" not in result.output


def test_overdue_with_no_overdue_case_renders_nothing(home_store):
    result = CliRunner().invoke(main, ["render", "--overdue", "--report", "minutes",
                                       "--as-of", "2000-01-01"])
    assert result.exit_code == 0
    assert "No case to render." in result.stderr
    assert report_rows(home_store) == []


@pytest.mark.parametrize("args", [
    ["PR-2026-0001", "--all"],
    ["--all", "--overdue"],
    ["--all", "--meeting", "2026-10-29"],
    [],
    ["PR-2026-0001", "--workers", "2"],
])
def test_case_id_or_one_selection_is_required(home_store, args):
    result = run(*args, "--report", "minutes")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert report_rows(home_store) == []


def test_a_malformed_case_file_is_bad_input(home_store, tmp_path):
    listed = tmp_path / "cases.txt"
    listed.write_text("PR-2026-0001\n../../etc/passwd\n", encoding="utf-8")
    result = run("--cases", str(listed), "--report", "minutes")
    assert result.exit_code == 2
    assert "line 2: not a case code" in result.stderr
    assert "passwd" not in result.output
