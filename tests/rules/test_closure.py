"""Closure rules from the protocol's closing procedure and Appendix 1, Article 5.

Each rule is tested in both directions: a closure the protocol allows is accepted, one
it forbids is refused (or warned).  The decisions are in docs/protocol-rules.md.
"""

import pytest

from cpkit import protocol
from cpkit.exchange import load_case
from cpkit.model import Closure
from cpkit.rules.closure import can_close, closure_conditions, closure_problems
from tests.conftest import fixture_document
from tests.rules.helpers_rules import case_of, found, refused

HIGH = {"risk_factors": {"site_of_injury": "high"}}
LOW = {"risk_factors": {"site_of_injury": "low"}}
ALL_WELLBEING = {key: {"status": "met"} for key in protocol.indicator_keys()}
EVERYONE = [{"agency": a} for a in protocol.agency_keys() if a != "other"]
REVIEW = {"date": "2026-06-01", "kind": "review", "agreed_risk_level": "low",
          "participants": EVERYONE}
VIEWS = {"child_views": "wants it closed", "family_views": "relieved"}
GOOD = {"date": "2026-06-10", "reason": "risk_reduced", **VIEWS,
        "agreed_at_meeting": "2026-06-01", "transferred_to": {"agency": "education"},
        "no_further_coordination": True}


def high_case(closure=None, meetings=(REVIEW,), **parts):
    return case_of(assessment={**HIGH, "wellbeing": ALL_WELLBEING}, meetings=list(meetings),
                   closure={**GOOD, **(closure or {})}, **parts)


@pytest.mark.rule("closure.cmr_agreement", "allows")
def test_a_high_case_closes_when_a_held_review_cmr_agreed_it():
    """"Cases should be closed only in agreement with the members of the CMR"; "If the case
    is judged to be no, or low risk ... then the [case] can be closed": any held CMR."""
    case = high_case()
    assert found(case, "closure.cmr_agreement") == []
    load_case(case.to_document())


@pytest.mark.rule("closure.cmr_agreement", "refuses")
def test_a_high_case_without_a_cmr_agreement_is_refused():
    """"Cases should be closed only in agreement with the members of the CMR.\""""
    refused(high_case({"agreed_at_meeting": None}), "closure.cmr_agreement",
            "closure.agreed_at_meeting")


@pytest.mark.rule("closure.cmr_agreement", "refuses")
def test_a_planned_or_later_cmr_does_not_count_as_agreement():
    """"Cases should be closed only in agreement with the members of the CMR": a CMR not
    yet held, or held after the closure date, agreed nothing."""
    planned = {**REVIEW, "status": "planned"}
    refused(high_case(meetings=[planned]), "closure.cmr_agreement", "closure.agreed_at_meeting")
    later = {**REVIEW, "date": "2026-06-11"}
    refused(high_case({"agreed_at_meeting": "2026-06-11"}, meetings=[later]),
            "closure.cmr_agreement", "closure.agreed_at_meeting")


@pytest.mark.rule("closure.cmr_agreement", "allows")
def test_a_low_risk_case_closes_without_a_cmr():
    """"For medium and high risk cases the decision to close should be agreed at a CMR":
    a low risk case is not a CMR case."""
    case = case_of(assessment=LOW, agencies_involved=["csw"],
                   closure={"date": "2026-06-10", "reason": "risk_reduced", **VIEWS})
    assert found(case, "closure.cmr_agreement") == []
    load_case(case.to_document())


@pytest.mark.rule("closure.cmr_agreement", "refuses")
def test_agreed_medium_risk_needs_a_cmr_even_if_assessed_low():
    """"For medium and high risk cases the decision to close should be agreed at a CMR
    meeting": the level a CMR agreed counts as much as the assessed one."""
    case = case_of(assessment=LOW, meetings=[{"date": "2026-05-01", "kind": "initial",
                                              "agreed_risk_level": "medium"}],
                   closure={"date": "2026-06-10", "reason": "moved", "moved_to": "Peja",
                            **VIEWS})
    refused(case, "closure.cmr_agreement", "closure.agreed_at_meeting")


@pytest.mark.rule("closure.all_agencies_invited", "allows")
def test_no_warning_when_every_agency_was_invited_to_the_agreeing_cmr():
    """"For medium and high risk cases the decision to close should be agreed at a CMR
    meeting with ALL agencies.\""""
    assert found(high_case(), "closure.all_agencies_invited") == []
    invited = {**REVIEW, "participants": [{"agency": "csw"}],
               "invited": [{"agency": a["agency"], "answer": "apologies"} for a in EVERYONE]}
    assert found(high_case(meetings=[invited]), "closure.all_agencies_invited") == []


@pytest.mark.rule("closure.all_agencies_invited", "warns")
def test_a_closure_agreed_by_the_csw_alone_is_warned_not_refused():
    """"For medium and high risk cases the decision to close should be agreed at a CMR
    meeting with ALL agencies": should, so a warning the user acknowledges."""
    alone = {**REVIEW, "participants": [{"agency": "csw"}]}
    case = high_case(meetings=[alone])
    assert found(case, "closure.all_agencies_invited") == ["closure.agreed_at_meeting"]
    load_case(case.to_document())  # a warning never refuses


@pytest.mark.rule("closure.risk_reduced", "allows")
def test_risk_reduced_when_the_agreeing_cmr_agreed_low_or_none():
    """"When the interventions implemented have reduced the level of risk to low / no
    risk\""""
    assert found(high_case(), "closure.risk_reduced") == []
    none = {**REVIEW, "agreed_risk_level": "none"}
    assert found(high_case(meetings=[none]), "closure.risk_reduced") == []


@pytest.mark.rule("closure.risk_reduced", "refuses")
def test_risk_reduced_refused_when_the_closure_cmr_rated_the_risk_high():
    """"When the interventions implemented have reduced the level of risk to low / no
    risk": a CMR that rated the risk high did not find it reduced."""
    high = {**REVIEW, "kind": "closure", "agreed_risk_level": "high"}
    refused(high_case(meetings=[high]), "closure.risk_reduced", "closure.reason")


@pytest.mark.rule("closure.risk_reduced", "refuses")
def test_risk_reduced_without_a_cmr_needs_a_low_assessment():
    """"If the case is judged to be no, or low risk ... then the [case] can be closed":
    without a CMR the latest assessment must say low."""
    nothing = case_of(agencies_involved=["csw"],
                      closure={"date": "2026-06-10", "reason": "risk_reduced", **VIEWS})
    refused(nothing, "closure.risk_reduced", "closure.reason")


@pytest.mark.rule("closure.over_18", "allows")
def test_over_18_accepted_on_the_18th_birthday():
    """"When the child is over 18 years old": 18 on the closure date."""
    case = high_case({"reason": "over_18", "date": "2026-06-10"},
                     child={"date_of_birth": "2008-06-10"}, referral={"date": "2026-03-02"})
    assert found(case, "closure.over_18") == []
    load_case(case.to_document())


@pytest.mark.rule("closure.over_18", "refuses")
def test_over_18_refused_for_a_seven_year_old():
    """"When the child is over 18 years old": not a 7-year-old, nor a child of 17."""
    refused(high_case({"reason": "over_18"}, child={"date_of_birth": "2019-01-01"}),
            "closure.over_18", "closure.reason")
    refused(high_case({"reason": "over_18"}, child={"date_of_birth": "2008-06-11"}),
            "closure.over_18", "closure.reason")
    refused(high_case({"reason": "over_18"}, child={}), "closure.over_18",
            "child.date_of_birth")


@pytest.mark.rule("closure.moved_to", "allows")
def test_moved_with_the_destination_recorded():
    """"If the child moves": where to, so the case can be passed on."""
    case = high_case({"reason": "moved", "moved_to": "Prizren"})
    assert found(case, "closure.moved_to") == []
    load_case(case.to_document())


@pytest.mark.rule("closure.moved_to", "refuses")
def test_moved_without_a_destination_is_refused():
    """"If the child moves": a move to nowhere cannot be passed on."""
    refused(high_case({"reason": "moved"}), "closure.moved_to", "closure.moved_to")


@pytest.mark.rule("closure.views", "allows")
def test_views_or_the_reason_they_could_not_be_sought():
    """"Before closing the case the views of the child and family should be sought.\""""
    reason = high_case({"child_views": None,
                        "child_views_not_sought_reason": "the child is 2 years old"})
    assert found(reason, "closure.views") == []
    load_case(reason.to_document())


@pytest.mark.rule("closure.views", "refuses")
def test_only_the_familys_views_is_refused():
    """"Before closing the case the views of the child and family should be sought": the
    child's and the family's, each."""
    refused(high_case({"child_views": None}), "closure.views", "closure.child_views")
    refused(high_case({"family_views": ""}), "closure.views", "closure.family_views")


@pytest.mark.rule("closure.agencies_consulted", "allows")
def test_low_risk_closure_with_every_involved_agency_consulted():
    """"Agencies involved with the case should be consulted regarding when the case is
    being considered for closure to get their views and agreement.\""""
    case = case_of(assessment=LOW, agencies_involved=["csw", "education"],
                   closure={"date": "2026-06-10", "reason": "risk_reduced", **VIEWS,
                            "agencies_consulted": [{"agency": "education",
                                                    "on": "2026-06-08"}]})
    assert found(case, "closure.agencies_consulted") == []


@pytest.mark.rule("closure.agencies_consulted", "warns")
def test_low_risk_closure_without_consulting_the_school_is_warned():
    """"Agencies involved with the case should be consulted regarding when the case is
    being considered for closure": should, so a warning."""
    case = case_of(assessment=LOW, agencies_involved=["csw", "education"],
                   closure={"date": "2026-06-10", "reason": "risk_reduced", **VIEWS})
    assert found(case, "closure.agencies_consulted") == ["closure.agencies_consulted"]
    load_case(case.to_document())


@pytest.mark.rule("closure.transfer", "allows")
def test_risk_reduced_closure_names_who_continues_to_monitor():
    """"The case shall be transferred to the case manager from the relevant institution,
    which will continue to monitor" (Appendix 1, Article 5)."""
    assert found(high_case(), "closure.transfer") == []


@pytest.mark.rule("closure.transfer", "refuses")
def test_risk_reduced_closure_without_a_transfer_is_refused():
    """"The case shall be transferred to the case manager from the relevant institution\""""
    refused(high_case({"transferred_to": None}), "closure.transfer", "closure.transferred_to")


@pytest.mark.rule("closure.art5_criteria", "allows")
def test_article_5_criteria_met():
    """"The Task force shall close the case ... based on: an complete assessment of the
    universal well-being indicators especially those of welfare, safety and health ... no
    further need identified for interdisciplinary coordination.\""""
    assert found(high_case(), "closure.art5_criteria") == []


@pytest.mark.rule("closure.art5_criteria", "refuses")
def test_article_5_refuses_safety_not_assessed_or_coordination_still_needed():
    """"based on: an complete assessment of the universal well-being indicators especially
    those of welfare, safety and health ... no further need identified for
    interdisciplinary coordination\""""
    wellbeing = {**ALL_WELLBEING, "safety": {"status": "not_assessed"}}
    case = case_of(assessment={**HIGH, "wellbeing": wellbeing}, meetings=[REVIEW],
                   closure=GOOD)
    refused(case, "closure.art5_criteria", "assessment.wellbeing.safety.status")
    refused(high_case({"no_further_coordination": None}), "closure.art5_criteria",
            "closure.no_further_coordination")


def test_the_issue_example_is_refused_on_every_count():
    """The closure the issue found accepted: the "closure" CMR rated the risk high, only
    the CSW attended, reason "risk reduced", only the family's views."""
    cmr = {"date": "2026-06-01", "kind": "closure", "agreed_risk_level": "high",
           "participants": [{"agency": "csw"}]}
    case = high_case({"child_views": None}, meetings=[cmr])
    problems = {p.rule for p in closure_problems(case)}
    assert {"closure.risk_reduced", "closure.views"} <= problems
    warned = [c.rule for c in closure_conditions(case) if c.warning and not c.holds]
    assert warned == ["closure.all_agencies_invited"]


def test_can_close_takes_a_closure_not_yet_on_the_case():
    case = case_of(assessment=HIGH, meetings=[REVIEW])
    assert not can_close(case, Closure(date="2026-06-10", reason="risk_reduced"))
    assert can_close(high_case(), high_case().closure)


def test_the_closed_fixture_meets_the_rules():
    assert closure_problems(load_case(fixture_document("case_closed.json"))) == []
