"""Every training notebook runs under nbval, with no store seeded (fresh CPKIT_HOME)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cpkit.training import cases

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks" / "training"


def test_one_notebook_per_case_plus_trainer_notebooks():
    names = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert names == {*cases.codes(), "index", "group_session", "answer_key"}


def test_training_notebooks_run_under_nbval(cpkit_home):
    env = {**os.environ, "CPKIT_HOME": str(cpkit_home)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", str(NOTEBOOKS), "-q",
         "-p", "no:cacheprovider", "-o", "addopts="],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
    assert not (cpkit_home / "cases.db").exists()  # nothing needed (or created) a store
