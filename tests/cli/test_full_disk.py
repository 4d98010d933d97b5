"""Exports on a full disk, for real (a 64 KiB tmpfs): the command fails in words, the
previous file is kept whole, no temporary file is left behind."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 64 KiB tmpfs (root only; where mounting is not allowed the test is skipped
    with the reason, never passed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError:
        pass
    finally:
        os.close(fd)


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
