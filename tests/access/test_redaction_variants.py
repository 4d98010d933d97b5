"""The one redactor against the ways people really write a child's identity: lower
case, Albanian and Serbian inflections, the other script, parts of the address, the
birth date in every common form.  A table of variants (tests/access/redaction_table.py),
each checked in the redacted view here; tests/reports/test_render_variants.py checks the
whole table in the rendered reports (HTML, PDF text and the kept notebook)."""

from __future__ import annotations

import pytest

from cpkit.access.redact import redact_identity
from cpkit.exchange import load_case
from tests.access.redaction_table import VARIANTS
from tests.conftest import fixture_document


def redacted_text(name: str, text: str) -> str:
    document = fixture_document(name)
    document["referral"]["concern"] = f"Reported: {text} was seen at school."
    return redact_identity(load_case(document)).referral.concern


def test_the_table_has_at_least_forty_variants():
    assert len(VARIANTS) >= 40


@pytest.mark.parametrize("name, text", VARIANTS, ids=[v for _, v in VARIANTS])
def test_each_variant_is_withheld(name, text):
    out = redacted_text(name, text)
    assert text not in out and "[withheld]" in out, out
    assert out.startswith("Reported: ") and out.endswith("was seen at school.")


@pytest.mark.parametrize("name, kept", [
    ("case_high_physical.json", "in Prishtinë"), ("case_high_physical.json", "on 2026-09-14"),
    ("case_probation.json", "the police in Pejë"), ("case_probation.json", "drinking water"),
    # The municipality (recorded "Graçanicë") in the other language, as the address has it.
    ("case_medium_neglect.json", "CSW Gračanica"), ("case_medium_neglect.json", "in Graçanica"),
    ("case_medium_neglect.json", "ЦСР Грачаница"),
])
def test_what_identifies_no_one_stays(name, kept):
    assert kept in redacted_text(name, kept)
