"""A form shows the protocol's warnings above Save; Save waits for each to be
acknowledged, then keeps the acknowledgement (who, when) on the case, and the report
shows it."""

from __future__ import annotations

import pytest

from cpkit.exchange import load_case
from cpkit.forms.closure import ClosureForm
from cpkit.forms.referral import ReferralForm
from cpkit.reports import sections
from cpkit.reports.context import open_case
from tests.conftest import AS_OF, fixture_document

MINIMAL = "MI-2026-0001"  # a 6-year-old, child's assent not recorded


@pytest.fixture
def cases(sqlite_store):
    # A low risk case the school works with too (for the closure's consultation).
    document = {**fixture_document("case_minimal.json"), "agencies_involved": ["csw", "education"],
                "assessment": {"risk_factors": {"abuser_access": "low"}}}
    sqlite_store.import_cases([load_case(document)], actor="fixtures")
    return sqlite_store


def test_referral_save_waits_for_the_assent_warning_to_be_acknowledged(cases):
    form = ReferralForm(MINIMAL, store=cases, today=AS_OF)
    assert [w.rule for w in form.warning_panel.warnings] == ["consent.child_assent"]
    assert form.warning_panel.widget.layout.display == "flex"
    form.fields[0].widget.value = form.fields[0].widget.value  # no change, no save yet
    assert not form.save()
    assert "acknowledge" in form.status.value
    assert cases.get(MINIMAL).version == 1
    form.warning_panel.acknowledge_all()
    assert form.save(), form.status.value
    [ack] = cases.get(MINIMAL).case.acknowledgements
    assert (ack.rule, ack.field, ack.by) == ("consent.child_assent", "consent.child_assent",
                                             "test-assessor")
    assert form.warning_panel.warnings == []  # acknowledged: not asked again


def test_closure_acknowledgement_is_shown_on_the_closure_form_report(cases):
    form = ClosureForm(MINIMAL, store=cases, today=AS_OF)
    for path, value in [("closure.reason", "risk_reduced"), ("closure.child_views", "ok"),
                        ("closure.family_views", "ok")]:
        next(f for f in form.all_fields() if f.path == path).widget.value = value
    assert form.problems == [], form.problems
    rules = [w.rule for w in form.warning_panel.warnings]
    assert "closure.agencies_consulted" in rules
    assert not form.save()
    form.warning_panel.acknowledge_all()
    assert not form.save()  # asks for confirmation
    assert form.confirm(), form.status.value
    ctx = open_case(case_id=MINIMAL, report="closure", meeting_date="", redact=False,
                    as_of=AS_OF.isoformat(), store=cases)
    text = "\n".join(sections.report(ctx))
    assert 'id="closure-acknowledged"' in text
    assert "should be consulted regarding when the case is" in text
    assert "test-assessor" in text
