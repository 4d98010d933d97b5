"""Warnings (the protocol's "should") are acknowledged, and the acknowledgement is kept."""

import datetime as dt

from cpkit.exchange import load_case
from cpkit.rules.acknowledgements import acknowledge, for_report, pending
from cpkit.rules.checks import case_problems, case_warnings
from tests.rules.helpers_rules import BASE

LOW_CLOSED = {**BASE, "assessment": {"risk_factors": {"site_of_injury": "low"}},
              "agencies_involved": ["csw", "education"],
              "consent": {"child_assent": "given"},
              "closure": {"date": "2026-06-10", "reason": "risk_reduced",
                          "child_views": "fine", "family_views": "fine"}}
AT = dt.datetime(2026, 6, 10, 14, 30, tzinfo=dt.UTC)


def test_a_warning_names_its_rule_field_and_the_protocols_words():
    case = load_case(LOW_CLOSED)
    [warning] = case_warnings(case)
    assert (warning.rule, warning.path, warning.severity) == (
        "closure.agencies_consulted", "closure.agencies_consulted", "warning")
    assert "should be consulted" in warning.message and warning.is_warning
    assert case_problems(case) == []  # a warning alone never refuses


def test_acknowledging_keeps_who_and_when_and_the_warning_is_no_longer_pending():
    case = load_case(LOW_CLOSED)
    warnings = pending(case, form="closure")
    assert [w.rule for w in warnings] == ["closure.agencies_consulted"]
    document = acknowledge(case.to_document(), warnings, "arta", AT)
    again = load_case(document)
    [ack] = again.acknowledgements
    assert (ack.rule, ack.field, ack.by, ack.at) == (
        "closure.agencies_consulted", "closure.agencies_consulted", "arta", AT)
    assert pending(again) == []
    assert case_warnings(again)  # still there, but acknowledged
    assert acknowledge(document, warnings, "dita", AT)["acknowledgements"] == document[
        "acknowledgements"]  # not recorded twice
    assert [a.rule for a in for_report(again, "closure")] == ["closure.agencies_consulted"]
    assert for_report(again, "minutes") == []


def test_a_form_only_asks_for_its_own_warnings():
    case = load_case({**LOW_CLOSED, "consent": {}})
    assert {w.rule for w in pending(case)} == {"closure.agencies_consulted",
                                              "consent.child_assent"}
    assert [w.rule for w in pending(case, form="referral")] == ["consent.child_assent"]
