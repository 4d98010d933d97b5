"""Shared by the command-line tests."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import CASE_FILES, FIXTURES


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner over a store that holds every fixture case (imported for real)."""
    runner = CliRunner()
    for name in CASE_FILES:
        assert runner.invoke(main, ["import", str(FIXTURES / name)]).exit_code == 0
    return runner
