"""The ``cpkit`` command: the group in :mod:`cpkit.cli.base`, commands by area."""

from cpkit.cli import (
    access,  # noqa: F401  (users, audit, rotate-key)
    cases,  # noqa: F401  (registers its commands)
    dashboard,  # noqa: F401  (caseload, reports, signoff, review)
    i18n,  # noqa: F401  (cpkit i18n-status)
    referrals,  # noqa: F401  (cpkit known: is this child already known?)
    render,  # noqa: F401  (cpkit render: reports)
    serve,  # noqa: F401  (cpkit serve: the assessor forms)
    training,  # noqa: F401  (cpkit training: worked cases, sessions)
)
from cpkit.cli.base import main

__all__ = ["main"]
