"""The ``cpkit`` command: the group in :mod:`cpkit.cli.base`, commands by area, each
area's module imported only when one of its commands runs (``base.COMMANDS``)."""

from cpkit.cli.base import main

__all__ = ["main"]
