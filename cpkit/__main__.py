"""``python -m cpkit`` is the ``cpkit`` command (for a venv whose scripts are not on PATH)."""

from cpkit.cli import main

main(prog_name="cpkit")
