"""The Risk Analysis Framework rules, one test per rule, and their properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpkit import protocol
from cpkit.rules.risk import (
    age_capacity_suggestion,
    age_capacity_warning,
    case_risk,
    cmr_required,
    level_rank,
    overall_risk,
    unaccompanied_unsecured,
)
from tests.conftest import fixture_case

LEVELS = ["low", "medium", "high"]


def test_overall_risk_is_the_highest_assessed_factor():
    risk = overall_risk({"site_of_injury": "medium", "support_systems": "low"})
    assert risk.level == "medium"
    assert risk.reasons == ("site_of_injury",)


def test_overall_risk_names_every_factor_at_the_top_level():
    risk = overall_risk({"abuse_severity": "high", "site_of_injury": "high", "other_carers": "low"})
    assert risk.reasons == ("abuse_severity", "site_of_injury")


def test_not_known_history_counts_as_high():
    risk = overall_risk({"abuse_history": "not_known", "site_of_injury": "low"})
    assert risk.level == "high"
    assert risk.reasons == ("abuse_history",)


def test_unaccompanied_child_is_always_high():
    risk = overall_risk({"site_of_injury": "low"}, unaccompanied=True)
    assert (risk.level, risk.reasons) == ("high", ("unaccompanied",))
    assert overall_risk({}, unaccompanied=True).level == "high"


def test_nothing_assessed_has_no_level():
    risk = overall_risk({})
    assert risk.level is None and risk.assessed == 0 and not risk.complete


def test_risk_complete_only_when_all_eleven_factors_are_assessed():
    ten = {key: "low" for key in protocol.factor_keys()[:10]}
    assert not overall_risk(ten).complete
    assert overall_risk({**ten, protocol.factor_keys()[10]: "low"}).complete


def test_cmr_required_for_medium_and_high():
    assert [cmr_required(level) for level in (None, "low", "medium", "high")] == [
        False, False, True, True]


def test_age_capacity_suggestion_by_age_band():
    assert [age_capacity_suggestion(a) for a in (0, 5, 6, 9, 10, 11, 17)] == [
        "high", "high", "medium", "medium", "low", "low", "low"]
    assert age_capacity_suggestion(None) is None


def test_age_capacity_warning_when_rated_lower_than_age_suggests_never_overrides():
    case = fixture_case("case_high_physical.json")
    case.child.date_of_birth = dt.date(2023, 1, 1)  # three years old: high suggested
    case.assessment.risk_factors.child_age_capacity = "low"
    assert age_capacity_warning(case, dt.date(2026, 11, 22)) == "high"
    assert case.assessment.risk_factors.child_age_capacity == "low"  # not overridden
    case.assessment.risk_factors.child_age_capacity = "high"
    assert age_capacity_warning(case, dt.date(2026, 11, 22)) is None


factor_maps = st.dictionaries(
    st.sampled_from(protocol.factor_keys()), st.sampled_from(LEVELS), max_size=11)


@given(factor_maps)
def test_property_overall_risk_is_the_maximum(factors):
    risk = overall_risk(factors)
    if factors:
        assert level_rank(risk.level) == max(level_rank(v) for v in factors.values())
    else:
        assert risk.level is None


@given(factor_maps, st.sampled_from(protocol.factor_keys()), st.sampled_from(LEVELS))
def test_property_raising_a_factor_never_lowers_overall_risk(factors, key, level):
    before = overall_risk(factors).level
    current = factors.get(key)
    if current is not None and level_rank(level) < level_rank(current):
        return
    after = overall_risk({**factors, key: level}).level
    assert level_rank(after) >= level_rank(before or "low")


@given(factor_maps)
def test_property_unaccompanied_is_always_high(factors):
    assert overall_risk(factors, unaccompanied=True).level == "high"


@pytest.mark.rule("risk.cmr_required", "derives")
def test_cmr_required_is_unknown_while_incomplete_and_nothing_medium_or_high():
    """"The CMR is a coordination mechanism held to consider child protection cases where
    the risk level is medium or high risk": one low factor of eleven does not tell yet."""
    assert overall_risk({"site_of_injury": "low"}).cmr_required is None
    assert overall_risk({"site_of_injury": "medium"}).cmr_required is True
    complete = {key: "low" for key in protocol.factor_keys()}
    assert overall_risk(complete).cmr_required is False
    from cpkit.exchange import load_case

    case = load_case({"format": "cpkit-case/1", "referral": {"date": "2026-03-02"},
                      "assessment": {"risk_factors": {"site_of_injury": "low"}}})
    from cpkit.rules.summary import derived

    assert derived(case, case.referral.date)["cmr_required"] is None


@pytest.mark.rule("risk.highest", "derives")
def test_overall_level_is_the_highest_factor():
    """"The overall level of risk should be the highest indicated from the table.\""""
    assert overall_risk({"site_of_injury": "low", "abuse_history": "not_known"}).level == "high"
    assert overall_risk({"site_of_injury": "low", "family_stress": "medium"}).level == "medium"


@pytest.mark.rule("risk.age_capacity_suggestion", "derives")
def test_age_capacity_boundaries_read_5_as_high_and_10_as_low():
    """"Child is over 10" (low); "Child age 5-9" (medium); "Child is 5 or under" (high):
    the bands overlap at 5 (read high, the protective reading) and leave 10 open (read
    low: "5-9" ends at 9)."""
    assert [age_capacity_suggestion(a) for a in (4, 5, 6, 9, 10, 11)] == [
        "high", "high", "medium", "medium", "low", "low"]


def test_a_case_s_risk_follows_its_levels_as_they_change():
    """case_risk keeps answers by the assessed levels (not by the case): a changed
    factor or the unaccompanied rule gives the new answer, equal levels the same one."""
    case = fixture_case("case_medium_neglect.json")
    first = case_risk(case)
    assert first == overall_risk(case.assessment.risk_factors.assessed(),
                                 unaccompanied_unsecured(case.child))
    assert case_risk(case.model_copy(deep=True)) is first
    case.assessment.risk_factors.site_of_injury = "high"
    assert case_risk(case).level == "high" and "site_of_injury" in case_risk(case).reasons
    case.child.unaccompanied = True
    assert case_risk(case).reasons == ("unaccompanied",)


def test_the_assessed_factors_are_the_risk_factors_fields_in_the_protocol_s_order():
    from cpkit.model import RiskFactors

    assert set(RiskFactors.model_fields) == set(protocol.factor_keys())
    every = RiskFactors(**dict.fromkeys(reversed(protocol.factor_keys()), "low"))
    assert list(every.assessed()) == protocol.factor_keys()
