"""One notebook per worked case plus the trainer's notebooks (tests/notebooks runs them
all under nbval, the training ones without any case store)."""

from __future__ import annotations

from pathlib import Path

from cpkit.training import cases

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks" / "training"


def test_one_notebook_per_case_plus_trainer_notebooks():
    names = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert names == {*cases.codes(), "index", "group_session", "answer_key"}
