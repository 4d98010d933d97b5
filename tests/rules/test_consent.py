"""Consent and assent (Section 1, Informed Consent / Assent)."""

import pytest

from cpkit.exchange import load_case
from tests.rules.helpers_rules import case_of, found, refused

SHARED = {"agencies_involved": ["csw", "education"],
          "referral": {"date": "2026-03-02", "referring_agency": "police_community"}}
REASON = {"shared_without_consent_reason": "the child is at high risk",
          "disclosure_agreed_by": "Director of the CSW", "disclosure_agreed_on": "2026-03-03"}


@pytest.mark.rule("consent.reason", "allows")
def test_sharing_with_consent_or_with_the_reason_recorded():
    """"In general, consent must be obtained before passing on information ... The
    reasons for doing so must be carefully explained.\""""
    given = case_of(consent={"parent_consent": "given"}, **SHARED)
    assert found(given, "consent.reason") == []
    explained = case_of(consent={"parent_consent": "not_sought", **REASON}, **SHARED)
    assert found(explained, "consent.reason") == []
    load_case(explained.to_document())


@pytest.mark.rule("consent.reason", "refuses")
def test_a_referral_while_consent_was_not_sought_needs_the_reason():
    """"Consent must be obtained before passing on information ... This includes making
    referrals to other agencies": "not sought" is no better than "refused".\""""
    refused(case_of(consent={"parent_consent": "not_sought"}, **SHARED), "consent.reason",
            "consent.shared_without_consent_reason")
    minutes = case_of(consent={"parent_consent": "refused"}, meetings=[{
        "date": "2026-03-20", "kind": "initial", "minutes_distributed_on": "2026-03-25"}])
    refused(minutes, "consent.reason", "consent.shared_without_consent_reason")


@pytest.mark.rule("consent.reason", "allows")
def test_nothing_shared_needs_no_reason():
    """"consent must be obtained before passing on information": nothing passed on yet
    (the referring agency already holds what it referred)."""
    case = case_of(consent={"parent_consent": "not_sought"},
                   agencies_involved=["csw", "police_community"],
                   referral={"date": "2026-03-02", "referring_agency": "police_community"})
    assert found(case, "consent.reason") == []


@pytest.mark.rule("consent.management", "allows")
def test_the_member_of_management_who_agreed_is_recorded():
    """"decisions to disclose information should be taken in conjunction with management
    of the agency.\""""
    case = case_of(consent={"parent_consent": "refused", **REASON}, **SHARED)
    assert found(case, "consent.management") == []


@pytest.mark.rule("consent.management", "refuses")
def test_disclosure_without_the_manager_who_agreed_is_refused():
    """"decisions to disclose information should be taken in conjunction with management
    of the agency": the exception to the "must" holds only with management's agreement."""
    consent = {"parent_consent": "refused", "shared_without_consent_reason": "high risk"}
    refused(case_of(consent=consent, **SHARED), "consent.management",
            "consent.disclosure_agreed_by")


@pytest.mark.rule("consent.child_assent", "allows")
def test_assent_recorded_or_child_under_five():
    """"For younger children who are by nature too young to give informed consent, but
    old enough to understand and agree to participate, the child's informed assent should
    be sought.\""""
    assert found(case_of(consent={"child_assent": "given"}), "consent.child_assent") == []
    baby = case_of(child={"date_of_birth": "2024-01-01"})
    assert found(baby, "consent.child_assent") == []


@pytest.mark.rule("consent.child_assent", "warns")
def test_a_nine_year_olds_assent_not_sought_is_warned():
    """"... the child's informed assent should be sought": a warning from age 5."""
    case = case_of(consent={"parent_consent": "given", "child_assent": "not_sought"})
    assert found(case, "consent.child_assent") == ["consent.child_assent"]
    load_case(case.to_document())
