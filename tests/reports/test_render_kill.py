"""``kill -9`` of ``cpkit render`` (one report, and the batch ``--all``) at points
spread across its run (#19 faults): a report file and its row appear together or not
at all, nothing partial is left that looks valid, ``cpkit check`` (after ``--repair``
where the kill fell between the row and the rename) says the store is sound, and a full
export works.

The kill is real (SIGKILL, sent by the render to itself from an audit hook at the
chosen event: tests/reports/killed_cli.py), so the points inside the few milliseconds
between staging, recording and renaming are hit every run, not by luck.  One point is
drawn at random among every file the render opens (imports, kernel, store, report);
the seed is in the failure message and ``CPKIT_KILL_SEED`` replays it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cpkit.cli import main
from cpkit.store.check import check_store
from cpkit.store.reports import report_rows

HELPER = Path(__file__).with_name("killed_cli.py")
SEED = int(os.environ.get("CPKIT_KILL_SEED") or random.randrange(1_000_000))
# The files a render of the minutes opens, about (imports, kernel, store, report).
OPENS = 1700
# The points of one render: the report being staged (its notebook staged, nothing
# recorded); the row recorded, nothing renamed; the notebook renamed, the report not;
# the report just renamed into place (where a render that wrote its files before the
# row would leave a file without a row).
POINTS = ("part:2", "rename:1", "rename:2", "placed:2")


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def kernels_of(runtime: Path) -> list[int]:
    """The kernels a killed render started (they outlive it a moment): found by their
    connection file in the render's own runtime folder."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(runtime) in (proc / "cmdline").read_text(errors="replace"):
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


def killed_render(home: Path, tmp: Path, kill_at: str, *args: str) -> int:
    """Run ``cpkit render ARGS`` until it kills itself at ``kill_at``; its exit status."""
    runtime = tmp / f"runtime-{kill_at.replace(':', '-')}"
    env = {**os.environ, "CPKIT_KILL_AT": kill_at, "CPKIT_KILL_UNDER": str(home / "reports"),
           "JUPYTER_RUNTIME_DIR": str(runtime), "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, str(HELPER), "render", *args], env=env,
                          capture_output=True, text=True, timeout=900)
    for pid in kernels_of(runtime):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode


def assert_sound_after_repair(store, home: Path, where: str) -> None:
    """What a killed render leaves: no visible report file without its row; ``check``
    names only what --repair finishes or removes; then the store is sound, every row
    has its file with its sha256, every row its audit entry, and the export works."""
    rows = report_rows(store)
    recorded = {Path(r["path"]) for r in rows}
    visible = {p for p in (home / "reports").rglob("*") if p.suffix == ".html"
               and not p.name.startswith(".")}
    assert visible <= recorded, f"{where}: a report file without its row"
    checked = cli("check")
    if checked.exit_code != 0:
        problems = [line for line in checked.output.splitlines() if line.startswith("report ")
                    or "/" in line.split(":")[0]]
        assert problems and all("interrupted render" in p or "was interrupted" in p
                                for p in problems), f"{where}: {checked.output}"
        repaired = cli("check", "--repair")
        assert repaired.exit_code == 0, f"{where}: {repaired.output}"
        assert "repaired: " in repaired.output
    again = cli("check")
    assert again.exit_code == 0 and "The store is sound." in again.output, \
        f"{where}: {again.output}"
    rows = report_rows(store)
    for path, row in {r["path"]: r for r in rows}.items():  # the newest row of each file
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == row["sha256"], where
        assert Path(path).with_suffix(".ipynb").is_file(), where
    renders = [a for a in store.audit_rows() if a["action"] == "render"]
    assert len(renders) == len(rows), f"{where}: a report row without its audit entry"
    assert not [p for p in home.rglob("*.part")], f"{where}: a staged file left"
    exported = cli("export", "--all")
    assert exported.exit_code == 0, exported.output
    assert len(json.loads(exported.stdout)) == 3


def test_a_render_killed_at_any_point_leaves_a_sound_store(home_store, cpkit_home, tmp_path):
    rng = random.Random(SEED)
    points = [*POINTS, f"open:{rng.randrange(1, OPENS)}"]
    day = 10
    for point in points:
        day += 1  # another date on the page: another file than the one before
        status = killed_render(cpkit_home, tmp_path, point, "PR-2026-0001", "--report",
                               "minutes", "--as-of", f"2026-11-{day}")
        where = f"kill at {point} (seed {SEED})"
        if not point.startswith("open:"):
            assert status == -signal.SIGKILL, f"{where}: exit {status}"
        assert_sound_after_repair(home_store, cpkit_home, where)
    # The points after the row recorded: the rows are there, their files put in place.
    assert len(report_rows(home_store)) >= 2


def test_a_batch_killed_midway_leaves_a_sound_store(home_store, cpkit_home, tmp_path):
    rng = random.Random(SEED)
    # 2 reports: 2 staged files and 2 renames each, 4 in all
    point = f"{rng.choice(['part', 'rename', 'placed'])}:{rng.randrange(1, 5)}"
    status = killed_render(cpkit_home, tmp_path, point, "--all", "--report", "minutes",
                           "--workers", "1", "--as-of", "2026-11-22")
    where = f"batch killed at {point} (seed {SEED})"
    assert status == -signal.SIGKILL, f"{where}: exit {status}"
    assert_sound_after_repair(home_store, cpkit_home, where)
    assert check_store(home_store).sound
