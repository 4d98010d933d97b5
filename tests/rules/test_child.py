"""Rules about the child: age at referral, turning 18, unaccompanied children, probation."""

import datetime as dt

import pytest

from cpkit.exchange import load_case
from cpkit.rules.meetings import current_risk
from cpkit.rules.risk import case_risk
from cpkit.rules.summary import derived
from tests.rules.helpers_rules import case_of, found, refused

D = dt.date
UNACCOMPANIED = {"date_of_birth": "2011-02-14", "unaccompanied": True}
LOW_ALL = {"risk_factors": {"site_of_injury": "low"}}


@pytest.mark.rule("child.age_at_referral", "allows")
def test_a_17_year_old_is_a_child_at_referral():
    """"Child: any person under the age of 18 years old"; Article 4: "All children (from 0
    to 18 years old)\""""
    case = case_of(child={"date_of_birth": "2008-03-03"})
    assert found(case, "child.age_at_referral") == []
    load_case(case.to_document())


@pytest.mark.rule("child.age_at_referral", "refuses")
def test_a_26_year_old_is_refused():
    """"Child: any person under the age of 18 years old.\""""
    refused(case_of(child={"date_of_birth": "2000-01-10"}), "child.age_at_referral",
            "child.date_of_birth")
    refused(case_of(child={"date_of_birth": "2008-03-02"}), "child.age_at_referral",
            "child.date_of_birth")


@pytest.mark.rule("child.turns_18", "allows")
def test_no_prompt_long_before_the_18th_birthday_or_once_closed():
    """"When the child is over 18 years old" (a closure reason): nothing to prompt yet."""
    case = case_of(child={"date_of_birth": "2009-06-01"})
    assert found(case, "child.turns_18", D(2027, 2, 28)) == []
    closed = case_of(child={"date_of_birth": "2009-06-01"},
                     closure={"date": "2026-06-01", "reason": "moved"})
    assert found(closed, "child.turns_18", D(2027, 5, 1)) == []


@pytest.mark.rule("child.turns_18", "warns")
def test_a_dated_prompt_three_months_before_the_18th_birthday():
    """"When the child is over 18 years old": turns 18 on ...: consider closure."""
    case = case_of(child={"date_of_birth": "2009-06-01"})
    assert found(case, "child.turns_18", D(2027, 3, 1)) == ["child.date_of_birth"]
    from cpkit.rules.checks import case_warnings
    [warning] = [w for w in case_warnings(case, D(2027, 3, 1)) if w.rule == "child.turns_18"]
    assert "turns 18 on 2027-06-01: consider closure" in warning.message
    assert derived(case, D(2027, 3, 1))["turns_18_on"] == "2027-06-01"


@pytest.mark.rule("risk.unaccompanied_high", "derives")
def test_unaccompanied_child_stays_high_until_both_dates_recorded():
    """"Unaccompanied children are always considered as high risk cases until safe
    accommodation is secured for them and appropriate ongoing support is made available.\""""
    only_home = case_of(child={**UNACCOMPANIED, "safe_accommodation_on": "2026-03-05"},
                        assessment=LOW_ALL)
    assert case_risk(only_home).level == "high"
    assert current_risk(only_home) == "high"


@pytest.mark.rule("risk.unaccompanied_high", "derives")
def test_unaccompanied_child_assessed_normally_once_both_are_secured():
    """"... until safe accommodation is secured for them and appropriate ongoing support
    is made available": then the framework's factors decide."""
    secured = case_of(child={**UNACCOMPANIED, "safe_accommodation_on": "2026-03-05",
                             "support_in_place_on": "2026-03-09"}, assessment=LOW_ALL)
    assert case_risk(secured).level == "low"


@pytest.mark.rule("cmr.unaccompanied_agreed_lower", "refuses")
def test_a_cmr_agreeing_low_for_an_unsecured_unaccompanied_child_is_refused():
    """"Unaccompanied children are always considered as high risk cases until safe
    accommodation is secured": a CMR agreeing lower is refused, deadlines stay."""
    meeting = {"date": "2026-03-20", "kind": "initial", "agreed_risk_level": "low"}
    case = case_of(child=UNACCOMPANIED, meetings=[meeting])
    refused(case, "cmr.unaccompanied_agreed_lower", "meetings[0].agreed_risk_level")
    secured_later = case_of(child={**UNACCOMPANIED, "safe_accommodation_on": "2026-03-25",
                                   "support_in_place_on": "2026-03-25"}, meetings=[meeting])
    refused(secured_later, "cmr.unaccompanied_agreed_lower", "meetings[0].agreed_risk_level")


@pytest.mark.rule("cmr.unaccompanied_agreed_lower", "allows")
def test_a_cmr_may_agree_low_once_accommodation_and_support_are_secured():
    """"... until safe accommodation is secured for them and appropriate ongoing support
    is made available.\""""
    meeting = {"date": "2026-04-20", "kind": "review", "agreed_risk_level": "low"}
    case = case_of(child={**UNACCOMPANIED, "safe_accommodation_on": "2026-03-05",
                          "support_in_place_on": "2026-04-01"}, meetings=[meeting])
    assert found(case, "cmr.unaccompanied_agreed_lower") == []
    assert current_risk(load_case(case.to_document())) == "low"


PROBATION_CHILD = {"date_of_birth": "2011-01-10", "in_conflict_with_law": True}


@pytest.mark.rule("child.probation", "allows")
def test_probation_involved_or_child_under_14_gives_no_warning():
    """"Probation Service Officer ... is responsible in the CMR for the management of
    cases of minors in conflict with the law from 14-18 years old.\""""
    involved = case_of(child=PROBATION_CHILD, agencies_involved=["csw", "probation"])
    assert found(involved, "child.probation", D(2026, 3, 2)) == []
    young = case_of(child={**PROBATION_CHILD, "date_of_birth": "2013-01-10"})
    assert found(young, "child.probation", D(2026, 3, 2)) == []
    invited = case_of(child=PROBATION_CHILD, meetings=[{
        "date": "2026-03-20", "kind": "initial", "status": "planned",
        "invited": [{"agency": "probation"}]}])
    assert found(invited, "child.probation", D(2026, 3, 2)) == []


@pytest.mark.rule("child.probation", "warns")
def test_a_15_year_old_in_conflict_with_the_law_without_probation_is_warned():
    """"... management of cases of minors in conflict with the law from 14-18 years old":
    a warning, never a refusal."""
    case = case_of(child=PROBATION_CHILD, agencies_involved=["csw", "police_community"])
    assert found(case, "child.probation", D(2026, 3, 2)) == ["agencies_involved"]
    load_case(case.to_document())
