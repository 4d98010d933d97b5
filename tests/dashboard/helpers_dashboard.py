"""Small fictional cases for the dashboard tests (names invented)."""

from __future__ import annotations

import copy
import datetime as dt

from cpkit import exchange
from cpkit.model import Case
from tests.conftest import fixture_document


def minimal_case(code: str, referred: dt.date, *, training: bool = False,
                 manager: str | None = "Sw. Test Manager", **extra) -> Case:
    """The minimal fixture case under another code, referred on ``referred``."""
    doc = copy.deepcopy(fixture_document("case_minimal.json"))
    doc["case_id"] = code
    doc["referral"]["date"] = referred.isoformat()
    doc["training"] = training
    if manager:
        doc["case_manager"] = manager
    for key, value in extra.items():
        doc[key] = value
    return exchange.load_case(doc)
