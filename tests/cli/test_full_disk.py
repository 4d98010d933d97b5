"""Exports on a full disk, for real (a 64 KiB tmpfs): the command fails in words, the
previous file is kept whole, no temporary file is left behind."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES, fill


def test_export_to_a_full_disk_keeps_the_previous_file(cpkit_home, small_disk):
    runner = CliRunner()
    for name in ("case_high_physical.json", "case_probation.json", "case_closed.json"):
        assert runner.invoke(main, ["import", str(FIXTURES / name)]).exit_code == 0
    target = small_disk / "export.json"
    first = runner.invoke(main, ["export", "PR-2026-0001", "-o", str(target)])
    assert first.exit_code == 0, first.output
    before = target.read_bytes()
    fill(small_disk)
    result = runner.invoke(main, ["export", "--all", "-o", str(target)])
    assert result.exit_code == 1
    assert f"could not write {target}: No space left on device" in result.stderr
    assert "previous file" in result.stderr and "Traceback" not in result.output
    assert target.read_bytes() == before
    assert json.loads(before)["case_id"] == "PR-2026-0001"
    assert sorted(p.name for p in small_disk.iterdir()) == ["export.json", "filler"]
