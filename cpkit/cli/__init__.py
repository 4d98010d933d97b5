"""The ``cpkit`` command: the group in :mod:`cpkit.cli.base`, commands by area."""

from cpkit.cli import (
    access,  # noqa: F401  (users, audit, rotate-key)
    cases,  # noqa: F401  (registers its commands)
)
from cpkit.cli.base import main

__all__ = ["main"]
