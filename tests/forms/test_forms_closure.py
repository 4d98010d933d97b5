"""The closure form lists the protocol's closing conditions before Save, asks for
confirmation, then says "Case closed"; a refused closure writes nothing."""

from __future__ import annotations

import pytest

from cpkit.forms.closure import ClosureForm
from tests.conftest import AS_OF, fixture_case

HIGH = "PR-2026-0001"  # high risk; CMRs of 29 September and 29 October agreed high


@pytest.fixture
def cases(sqlite_store):
    sqlite_store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    return sqlite_store


def put(form, path, value):
    next(f for f in form.all_fields() if f.path == path).widget.value = value


def states(form) -> dict[str, str]:
    import re

    return dict(re.findall(r"data-rule='([^']+)' data-state='([^']+)'", form.conditions.value))


def test_conditions_show_what_holds_and_what_does_not_before_save(cases):
    """"Cases should be closed only in agreement with the members of the CMR. Before
    closing the case the views of the child and family should be sought.\""""
    form = ClosureForm(HIGH, store=cases, today=AS_OF)
    put(form, "closure.reason", "risk_reduced")
    got = states(form)
    assert got["closure.cmr_agreement"] == "refused"
    assert got["closure.views"] == "refused"
    assert "closure.over_18" not in got  # not this reason
    put(form, "closure.agreed_at_meeting", "2026-10-29")
    got = states(form)
    assert got["closure.cmr_agreement"] == "holds"
    assert got["closure.risk_reduced"] == "refused"  # that CMR agreed high
    assert "the level is High risk" in form.conditions.value
    assert not form.save()
    assert cases.get(HIGH).case.closure is None and cases.get(HIGH).version == 1


def test_a_closure_that_holds_is_confirmed_then_case_closed(cases):
    """"If the child moves": a high risk case closed at the CMR that agreed it, with the
    views of the child and family, after confirmation."""
    form = ClosureForm(HIGH, store=cases, today=AS_OF)
    for path, value in [("closure.reason", "moved"), ("closure.moved_to", "Prizren"),
                        ("closure.agreed_at_meeting", "2026-10-29"),
                        ("closure.child_views", "She wants to live with her aunt."),
                        ("closure.family_views", "The mother agrees.")]:
        put(form, path, value)
    assert form.problems == []
    assert set(states(form).values()) <= {"holds", "warning"}
    assert states(form)["closure.all_agencies_invited"] == "warning"
    assert not form.save()  # the warning first
    form.warning_panel.acknowledge_all()
    assert not form.save()  # then the confirmation
    assert form.confirm_bar.layout.display == "flex"
    assert "Close case PR-2026-0001" in form.confirm_note.value
    assert cases.get(HIGH).case.closure is None
    assert form.confirm(), form.status.value
    assert "Case closed" in form.status.value
    stored = cases.get(HIGH).case
    assert stored.closure.moved_to == "Prizren"
    assert [a.rule for a in stored.acknowledgements] == ["closure.all_agencies_invited"]


def test_conditions_and_agencies_by_their_words_never_a_key(cases):
    """The conditions name the field in words ("Child's views: ..."), never its path
    (``closure.child_views``); the agencies consulted are ticked by their names and
    stored by their keys."""
    import re

    from cpkit import protocol

    form = ClosureForm(HIGH, store=cases, today=AS_OF)
    put(form, "closure.reason", "risk_reduced")
    panel = form.conditions.value
    assert "closure." not in re.sub(r"data-rule='[^']+'", "", panel)
    assert "Child&#x27;s views: " in panel or "Child's views: " in panel
    consulted = next(f for f in form.all_fields() if f.path == "closure.agencies_consulted")
    shown = {box.description for box in consulted.boxes.values()}
    involved = [a for a in cases.get(HIGH).case.agencies_involved if a != "csw"]
    assert shown == {protocol.label("agency", a) for a in involved}
    assert not shown & set(involved)
    consulted.boxes[involved[0]].value = True
    assert [e["agency"] for e in consulted.get()] == [involved[0]]
