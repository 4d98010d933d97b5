"""The disk full under a render, for real (a small tmpfs; #19 faults): the report's
folder full, or the store's.  Either way the user is told in words (no traceback),
no report file and no row appear (nothing partial that looks valid), ``cpkit check``
says the store is sound, and the render succeeds once there is room."""

from __future__ import annotations

from click.testing import CliRunner

from cpkit.cli import main
from cpkit.store.reports import report_rows
from tests.conftest import FIXTURES, fill

RENDER = ("render", "PR-2026-0001", "--report", "minutes", "--as-of", "2026-11-22")


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_sound() -> None:
    checked = cli("check")
    assert checked.exit_code == 0 and "The store is sound." in checked.output, checked.output


def test_a_full_report_folder_leaves_no_file_and_no_row(home_store, small_disk):
    out = small_disk / "reports"
    out.mkdir()
    # Room for a part of the files only: the notebook or the report cannot be staged.
    fill(small_disk, leave=8 * 4096)
    failed = cli(*RENDER, "-o", str(out))
    assert failed.exit_code == 1, failed.output
    assert "could not write" in failed.stderr and "No space left on device" in failed.stderr
    assert str(out) in failed.stderr
    assert "Traceback" not in failed.output
    assert list(out.iterdir()) == []  # not even a hidden staged file
    assert report_rows(home_store) == []
    assert_sound()

    (small_disk / "filler").unlink()
    done = cli(*RENDER, "-o", str(out))
    assert done.exit_code == 0, done.output
    assert len(report_rows(home_store)) == 1
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".ipynb"]
    assert_sound()


def test_a_full_store_disk_refuses_the_render_in_words(full_home, tmp_path):
    imported = cli("import", str(FIXTURES / "case_high_physical.json"))
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "out"
    fill(full_home)
    failed = cli(*RENDER, "-o", str(out))
    assert failed.exit_code == 1, failed.output
    assert f"the disk of the store file {full_home / 'cases.db'} is full" in failed.stderr
    assert "Traceback" not in failed.output
    assert not out.exists() or [p for p in out.rglob("*") if p.is_file()] == []
    (full_home / "filler").unlink()
    assert_sound()
    exported = cli("export", "--all")
    assert exported.exit_code == 0 and "PR-2026-0001" in exported.stdout
