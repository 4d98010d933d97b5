"""The one redactor against the ways people really write a child's identity: lower
case, Albanian and Serbian inflections, the other script, parts of the address, the
birth date in every common form.  A table of variants, each checked in the redacted
view, and the whole table in one rendered redacted report (HTML and the kept
notebook)."""

from __future__ import annotations

import pytest

from cpkit.access.redact import redact_identity
from cpkit.exchange import load_case
from tests.conftest import fixture_document

# (fixture, how the identity is written in a free text)
VARIANTS = [
    ("case_high_physical.json", v) for v in [
        "Ëndrina", "ëndrina", "ËNDRINA", "Ëndrinës", "Ëndrinën", "Ëndrinës së vogël",
        "Ëndrinen", "Çelaj", "çelaj", "Çelajt", "Çelajve", "Ендрина", "Челај",
        "2019-04-11", "11.04.2019", "11.4.2019", "11/04/2019", "11/4/2019", "11-04-2019",
        "2019/04/11", "11.04.19", "11. 4. 2019", "11 April 2019", "April 11, 2019",
        "11 prill 2019", "11 Prillit 2019", "11. april 2019.", "11. април 2019",
        "Rr. Çamëria nr. 22", "Rr. Çamëria", "Çamëria", "çamëria 22", "Lagjja Ulpianë",
        "Ulpianë", "Lulëkuqja",
    ]
] + [
    ("case_cyrillic_emotional.json", v) for v in [
        "Милица", "милица", "Милице", "Милицом", "Milica", "milica", "Milici",
        "Јовановић", "Jovanović", "Jovanovića", "Јовановићем", "08.03.2014", "8. mart 2014",
        "8. март 2014.", "Лапље Село бб", "Лапље",
    ]
] + [
    ("case_probation.json", v) for v in [
        "Drin", "drin", "Drinit", "Drinin", "Tahiraj", "Tahirajt", "Дрин", "Тахирај",
        "03.12.2010", "3 dhjetor 2010", "December 3, 2010", "Rr. e Lirisë nr. 7", "Karagaç",
    ]
]


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
])
def test_what_identifies_no_one_stays(name, kept):
    assert kept in redacted_text(name, kept)
