"""Keyboard only: an assessor completes the risk framework with Tab, the arrow keys and
Space, and saves.  Each risk factor is one labelled radio group (``role=radiogroup``
named by the factor's title) and one Tab stop; the arrow keys choose inside it."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit import protocol
from cpkit.forms.fields import path_class
from tests.e2e.test_forms_journey import open_form

pytestmark = pytest.mark.browser

CASE = "MI-2026-0001"  # no assessment yet
FACTOR = "assessment.risk_factors.{}"


def focused_in(page, selector: str) -> bool:
    return page.evaluate("s => !!(document.activeElement && document.activeElement.closest(s))",
                         selector)


def tab_to(page, selector: str, limit: int = 400) -> int:
    """Press Tab until the focus is inside ``selector``; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused_in(page, selector):
            return presses
    raise AssertionError(f"Tab never reached {selector}")


def test_assessor_completes_the_risk_framework_by_keyboard_and_saves(voila_server, page,
                                                                    served_store):
    open_form(page, voila_server.url("risk", f"case={CASE}"))
    page.locator(".widget-radio-box[role=radiogroup]").first.wait_for()
    keys = protocol.factor_keys()
    groups = page.locator(".cpkit-factor .widget-radio-box[role=radiogroup]")
    assert groups.count() == len(keys) == 11
    for i, key in enumerate(keys):  # each group is named by its factor's title
        group = page.locator(f".{path_class(FACTOR.format(key))} [role=radiogroup]")
        title = page.locator(f"#{group.get_attribute('aria-labelledby')}").inner_text()
        assert title == f"{i + 1}. {protocol.label('factor', key)}"

    started = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    tab_to(page, f".{path_class('assessment.started_on')} input")
    page.keyboard.type(started)

    tab_to(page, f".{path_class(FACTOR.format(keys[0]))}")
    for i, key in enumerate(keys):
        where = f".{path_class(FACTOR.format(key))}"
        assert focused_in(page, where), f"factor {i + 1} is not the next Tab stop"
        # from "Not assessed yet": Down, Down = Medium; Up = Low (arrows move and choose)
        for arrow in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp"):
            page.keyboard.press(arrow)
        assert page.evaluate("() => document.activeElement.checked")
        page.keyboard.press("Space")  # Space on the chosen option keeps it chosen
        if i + 1 < len(keys):
            page.keyboard.press("Tab")  # one Tab stop per factor: on to the next factor
    page.wait_for_function(
        "() => (document.querySelector('.cpkit-risk-banner') || {}).innerText"
        "?.includes('All 11 factors assessed')", timeout=60_000)

    tab_to(page, "button.cpkit-save")
    page.keyboard.press("Space")
    page.locator(".cpkit-status span.ok", has_text="Saved").wait_for(timeout=120_000)

    stored = served_store.get(CASE).case.assessment
    assert {k: getattr(stored.risk_factors, k) for k in keys} == dict.fromkeys(keys, "medium")
    assert stored.started_on.isoformat() == started
