"""The forms in Albanian and Serbian: a user chooses the language once on the landing
page and every form follows (labels, the risk banner, the rules' messages); a link can
also ask for a language (``?lang=sr``)."""

from __future__ import annotations

import pytest

from cpkit import protocol
from cpkit.i18n import gettext
from tests.e2e.test_forms_journey import (
    banner,
    field,
    open_form,
    radio,
    type_in,
    wait_banner,
)

pytestmark = pytest.mark.browser

CLOSURE_REFUSED = ("a medium or high risk case closes only when a held CMR agreed it: record "
                   "that CMR first and name it here")


def test_a_user_chooses_albanian_and_every_form_follows(voila_server, page):
    page.goto(voila_server.url("index"))
    chooser = page.locator(".cpkit-language select")
    chooser.wait_for(timeout=120_000)
    chooser.select_option(label="Shqip")
    page.get_by_text(gettext("Child protection cases", "sq")).wait_for()

    open_form(page, voila_server.url("risk", "case=PR-2026-0001"))
    wait_banner(page, gettext("High risk", "sq"))
    assert "High risk" not in banner(page)
    assert protocol.label("factor", "site_of_injury", "sq") in page.content()
    assert page.locator("button.cpkit-save").inner_text().strip() == gettext("Save", "sq")

    open_form(page, voila_server.url("closure", "case=PR-2026-0001"))
    radio(page, "closure.reason", protocol.label("closure_reason", "risk_reduced", "sq")[:25])
    refused = gettext(CLOSURE_REFUSED, "sq")
    assert refused != CLOSURE_REFUSED
    field(page, "closure.agreed_at_meeting").locator(".cpkit-message").filter(
        has_text=refused[:40]).wait_for()

    open_form(page, voila_server.url("referral", "case=GR-2026-0001"))
    type_in(page, "referral.date", "2026-02-30")
    field(page, "referral.date").locator(".cpkit-message").filter(
        has_text="nuk është datë e vlefshme").wait_for()


def test_a_link_can_ask_for_serbian(voila_server, page):
    open_form(page, voila_server.url("risk", "case=PR-2026-0001&lang=sr"))
    wait_banner(page, gettext("High risk", "sr"))
    assert protocol.label("factor", "site_of_injury", "sr") in page.content()
    open_form(page, voila_server.url("risk", "case=PR-2026-0001&lang=sr-Cyrl"))
    wait_banner(page, gettext("High risk", "sr-Cyrl"))
    assert "Висок" in banner(page)
