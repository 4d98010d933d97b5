"""How many ipywidgets models a form makes (issue #15: forms interactive within 1 s).

Every model is a ``comm_open`` message kernel -> Voila -> browser, JSON both ways and a
JS model and view in the page: a form's models cost CPU in all three processes on every
page view.  Forms hand out shared Layout and Style instances (cpkit.forms.shared) for
widgets that are never shown, hidden or restyled one by one; the risk form went from 449
models to 209, the case list from 41 to 27.  These ceilings (the count + a small margin)
fail when a change makes a fresh Layout or Style per widget again.
"""

from __future__ import annotations

import ipywidgets as w
import pytest
from ipywidgets.widgets import widget as ipy

from cpkit.forms import fields
from cpkit.forms.landing import Landing
from cpkit.forms.risk import RiskForm
from cpkit.forms.shared import SharedChanged, layout
from tests.conftest import AS_OF, fixture_case

HIGH = "PR-2026-0001"


@pytest.fixture
def high(sqlite_store):
    sqlite_store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    return sqlite_store


def models(make) -> int:
    """Models (widgets, layouts, styles) made by ``make()``."""
    before = set(ipy._instances)
    make()
    return len(set(ipy._instances) - before)


def test_the_risk_form_makes_few_models(high):
    assert models(lambda: RiskForm(HIGH, store=high, today=AS_OF)) <= 225


def test_the_case_list_makes_few_models(high):
    assert models(lambda: Landing(store=high, today=AS_OF)) <= 32


def test_fields_share_their_layout_and_style():
    a, b = fields.text("a", "A"), fields.text("b", "B")
    assert a.widget.layout is b.widget.layout and a.widget.style is b.widget.style
    assert a.message.layout is b.message.layout and a.box.layout is b.box.layout


def test_buttons_keep_their_own_layout_they_are_hidden_one_by_one():
    a, b = fields.button("A"), fields.button("B")
    a.layout.display = "none"
    assert b.layout.display is None and a.style is b.style


def test_changing_a_shared_layout_is_refused():
    with pytest.raises(SharedChanged, match="display"):
        fields.note("x").layout.display = "none"
    assert fields.note("y").layout.display is None  # put back


def test_a_closed_shared_layout_is_made_anew():
    first = layout(width="1px")
    first.close()
    again = w.HTML(layout=layout(width="1px"))
    assert again.layout is not first and again.layout.comm is not None
