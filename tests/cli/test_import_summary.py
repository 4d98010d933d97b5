"""``cpkit import``: one summary line per file; a progress bar only on a terminal."""

import datetime as dt
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from cpkit.cli.importing import BAR_FROM
from cpkit.demo import generate_cases

CPKIT = [sys.executable, "-c", "from cpkit.cli import main; main()"]


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A JSON Lines file of enough fictional cases for a progress bar."""
    path = tmp_path_factory.mktemp("import") / "cases.jsonl"
    cases = generate_cases(BAR_FROM + 10, seed=5, today=dt.date(2026, 11, 22))
    path.write_text("".join(json.dumps(c.to_document(), ensure_ascii=False) + "\n"
                            for c in cases), encoding="utf-8")
    return path, [c.case_id for c in cases]


def on_terminal(*args: str) -> tuple[int, str]:
    """Run cpkit with stderr on a pseudo-terminal; its exit status and what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*CPKIT, *args], stdout=subprocess.DEVNULL, stderr=follower,
                               stdin=subprocess.DEVNULL, env=os.environ.copy())
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=120), shown.decode("utf-8", "replace")


def test_a_pipe_gets_one_summary_line_and_no_bar(many):
    path, codes = many
    done = subprocess.run([*CPKIT, "import", str(path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and done.stdout == ""
    # The protocol's warnings are reported too (tests/cli/test_import_warnings.py).
    lines = [line for line in done.stderr.splitlines()
             if "single-user" not in line and ": warning: " not in line
             and "more warning(s)" not in line]
    assert lines == [f"{path}: imported {len(codes)} case(s), {codes[0]} to {codes[-1]}"]
    again = subprocess.run([*CPKIT, "import", "--replace", str(path)], capture_output=True,
                           text=True, timeout=300)
    assert again.stderr.splitlines()[-1].endswith(f", {len(codes)} replaced")


def test_a_terminal_gets_a_progress_bar_then_the_summary(many):
    path, codes = many
    status, shown = on_terminal("import", str(path))
    assert status == 0
    assert "%" in shown and "100%" in shown  # click's bar, drawn to the end
    assert f"imported {len(codes)} case(s), {codes[0]} to {codes[-1]}" in shown


def test_a_small_file_on_a_terminal_gets_no_bar():
    from tests.conftest import FIXTURES

    status, shown = on_terminal("import", str(FIXTURES / "case_minimal.json"))
    assert status == 0 and "%" not in shown
    assert "imported 1 case, MI-2026-0001" in shown


def test_the_store_is_closed_before_the_process_leaves(many):
    """``cpkit import`` leaves the imported cases to the end of the process (the
    collector frozen at exit) and so closes the store itself: no write-ahead log is
    left beside the SQLite file, and the next command reads every case."""
    path, codes = many
    done = subprocess.run([*CPKIT, "import", "--replace", str(path)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    database = Path(os.environ["CPKIT_HOME"]) / "cases.db"
    assert database.exists() and not database.with_name("cases.db-wal").exists()
    listed = subprocess.run([*CPKIT, "list"], capture_output=True, text=True, timeout=300)
    assert all(code in listed.stdout for code in codes)
