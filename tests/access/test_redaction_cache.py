"""The one redactor keeps each identity's compiled pattern (cpkit.access.redact): a
redaction with the kept pattern is the redaction a fresh one gives, and a child whose
recorded identity changes (a corrected name, birth date, address) is redacted with the
new identity, not the one kept for the old."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.access import redact
from cpkit.access.redact import identity_pattern, redact_identity
from cpkit.exchange import load_case
from tests.conftest import fixture_document

NOTE = ("Seen with Ëndrina, called Drina, born 11.04.2019, of Rr. Çamëria 22; "
        "also Arbëresha, born 3 prill 2018, of Rruga e Dardanëve 5.")


def case_with(**child) -> object:
    document = fixture_document("case_high_physical.json")
    document["child"].update(child)
    document["referral"]["concern"] = NOTE
    return load_case(document)


def cold(case) -> dict:
    """The redaction a process that never redacted anything would make."""
    redact._identity_pattern.cache_clear()
    return redact_identity(case, dt.date(2026, 11, 22)).to_document()


def test_a_kept_pattern_redacts_as_a_fresh_one():
    case = case_with()
    fresh = cold(case)
    again = [redact_identity(case, dt.date(2026, 11, 22)).to_document() for _ in range(3)]
    assert again == [fresh] * 3
    assert identity_pattern(case) is identity_pattern(case_with())  # compiled once
    assert "Ëndrina" not in fresh["referral"]["concern"]


@pytest.mark.parametrize("change, now_withheld, now_kept", [
    ({"given_name": "Arbëresha"}, "Arbëresha", "Ëndrina"),
    ({"date_of_birth": "2018-04-03"}, "3 prill 2018", "11.04.2019"),
    ({"address": "Rruga e Dardanëve 5, 10000 Prishtinë"}, "Dardanëve", "Çamëria"),
])
def test_a_changed_identity_is_redacted_as_it_now_is(change, now_withheld, now_kept):
    before = case_with()
    redact_identity(before)  # the old identity's pattern is kept
    after = case_with(**change)
    warm = redact_identity(after, dt.date(2026, 11, 22)).to_document()
    assert warm == cold(after)
    concern = warm["referral"]["concern"]
    assert now_withheld not in concern and now_kept in concern
    assert identity_pattern(after) is not identity_pattern(before)
