"""A command imports only what it needs (the CLI starts in a blink): checked by the
modules a real ``cpkit`` process has loaded, never by a timer."""

import json
import os
import subprocess
import sys

import pytest

from cpkit.cli import base
from tests.conftest import FIXTURES

PROBE = """
import atexit, json, sys
from cpkit.cli import main
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.__stderr__))
main(sys.argv[1:])
"""
HEAVY = ("sqlalchemy", "alembic", "pydantic", "pandas", "tabulate", "nbformat", "papermill",
         "ipywidgets", "voila", "babel", "cryptography")


def loaded(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    return {m.split(".")[0] for m in json.loads(done.stderr.strip().splitlines()[-1])}


def test_help_loads_no_heavy_library():
    assert not loaded("--help") & set(HEAVY)


@pytest.mark.parametrize("command", [["list"], ["deadlines", "--overdue"],
                                     ["list", "--format", "csv"],
                                     ["caseload", "--format", "csv"]])
def test_lists_load_no_heavy_library(command):
    """On an SQLite store the lists are read through sqlite3 (cpkit.store.lean); the
    caseload CSV is written without pandas (cpkit.dashboard.table)."""
    from click.testing import CliRunner

    from cpkit.cli import main

    CliRunner().invoke(main, ["import", str(FIXTURES / "case_minimal.json")])
    found = loaded(*command) & set(HEAVY)
    assert not found, found


def test_every_command_is_mapped_to_its_module():
    base.load_commands()
    assert set(base.main.commands) == set(base.COMMANDS)
    for name, command in base.main.commands.items():
        assert command.callback.__module__ == f"cpkit.cli.{base.COMMANDS[name]}", name


@pytest.mark.parametrize("name", sorted(base.COMMANDS))
def test_a_command_loads_its_own_module_only(name):
    probe = (f"import sys\nfrom cpkit.cli import main\nmain.get_command(None, {name!r})\n"
             "print(sorted(m for m in sys.modules if m.startswith('cpkit.cli.')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert f"cpkit.cli.{base.COMMANDS[name]}" in out
    others = {m for m in set(base.COMMANDS.values()) - {base.COMMANDS[name]}
              if f"'cpkit.cli.{m}'" in out}
    assert not others


def test_show_loads_no_database_library():
    """On an SQLite store ``cpkit show`` reads through sqlite3 (cpkit.access.lean_read):
    the case model (pydantic) and the key (cryptography), never SQLAlchemy or Alembic."""
    from click.testing import CliRunner

    from cpkit.cli import main

    CliRunner().invoke(main, ["import", str(FIXTURES / "case_minimal.json")])
    found = loaded("show", "MI-2026-0001") & (set(HEAVY) - {"pydantic", "cryptography"})
    assert not found, found


def test_show_counts_working_days_without_the_holiday_library():
    """Kosovo's holidays come from the written-out table (cpkit.rules.holiday_table):
    the holiday library is not imported by ``cpkit show`` (a sixth of its start)."""
    from click.testing import CliRunner

    from cpkit.cli import main

    CliRunner().invoke(main, ["import", str(FIXTURES / "case_minimal.json")])
    assert "holidays" not in loaded("show", "MI-2026-0001", "--as-of", "2026-12-01")


BUILT = """
import atexit, json, sys
from cpkit.cli import main

def built():
    from cpkit import model
    parts = model.parts()
    print(json.dumps([p.__name__ for p in parts if p.__pydantic_complete__]),
          file=sys.__stderr__)

atexit.register(built)
main(sys.argv[1:])
"""


@pytest.mark.parametrize("flags", [[], ["--redact"]])
def test_show_builds_none_of_the_models_validators(flags):
    """``cpkit show`` reads the stored case without validating it again
    (:meth:`cpkit.model.Case.from_stored`), and so does the redactor, so it builds none
    of the parts' validators (most of its start when it did)."""
    from click.testing import CliRunner

    from cpkit.cli import main

    CliRunner().invoke(main, ["import", str(FIXTURES / "case_closed.json")])
    done = subprocess.run([sys.executable, "-c", BUILT, "show", "GJ-2026-0001", *flags],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert "Case GJ-2026-0001" in done.stdout
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
