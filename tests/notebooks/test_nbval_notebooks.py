"""Every notebook under notebooks/ runs from top to bottom under nbval (``--nbval-lax``).

Each notebook is its own test case, run by pytest in a subprocess with a fresh,
empty CPKIT_HOME: a notebook must work as shipped (notebooks/case.ipynb shows the
bundled fictional example case when no case code is given).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("notebook", NOTEBOOKS,
                         ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_runs_under_nbval(notebook, tmp_path):
    env = {**os.environ, "CPKIT_HOME": str(tmp_path / "home"), "MPLBACKEND": "Agg"}
    env.pop("CPKIT_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(ROOT), str(notebook)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    if "training" in notebook.parts:  # training needs no live case store, nor creates one
        assert not (tmp_path / "home" / "cases.db").exists()
