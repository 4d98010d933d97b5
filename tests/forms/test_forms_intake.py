"""The Refer a child and Intake pages, driven as a browser would: set widget values,
click, read what is shown; through the Guard of each user."""

from __future__ import annotations

from cpkit.access import Guard, intake
from cpkit.forms.inbox import InboxPanel
from cpkit.forms.intake import IntakePage
from cpkit.forms.landing import Landing
from cpkit.forms.refer import ReferPage
from tests.access.conftest import populate
from tests.conftest import fixture_document


def fill(page: ReferPage, fixture: str) -> dict:
    child = fixture_document(fixture)["child"]
    values = {"child.given_name": child["given_name"], "child.family_name": child["family_name"],
              "child.date_of_birth": child["date_of_birth"], "child.sex": child["sex"],
              "municipality": fixture_document(fixture)["municipality"],
              "identified_on": "2026-11-30", "referral.concern": "Bruises seen at school.",
              "consent.parent_consent": "given", "disclose.what": "the new address",
              "disclose.from": "police_community"}
    for key, value in values.items():
        page.inputs[key].value = value
    page.categories["physical"].value = True
    return child


def test_refer_shows_field_errors_and_keeps_the_input(store):
    populate(store)
    page = ReferPage(guard=Guard.for_user(store, "edi"), user="edi")
    page.inputs["referral.concern"].value = "Bruises"
    page.inputs["identified_on"].value = "2026-13-45"
    assert page.send() is None
    assert "error" in page.status.value
    assert any(m.value for m in page.messages.values())
    assert page.inputs["referral.concern"].value == "Bruises"
    assert intake.listed(Guard.for_user(store, "edi")) == []


def test_a_referral_sent_linked_and_declined_as_each_user_sees_it(store):
    populate(store)
    school = ReferPage(guard=Guard.for_user(store, "edi"), user="edi")
    child = fill(school, "case_high_physical.json")
    first = school.send()
    assert first and "cpkit-referral-sent" in school.status.value
    assert school.inputs["child.given_name"].value == ""
    assert child["given_name"] not in school.sent.value

    desk = IntakePage(guard=Guard.for_user(store, "sara"), user="sara")
    [item] = desk.items.children
    assert "known: PR-2026-0001 (" in item.children[0].value
    assert "same child" in item.children[0].value
    link_button = [b for b in item.children[1].children if "PR-2026-0001" in b.description][0]
    link_button.click()
    assert "PR-2026-0001" in desk.status.value
    assert "education" in store.get("PR-2026-0001").case.agencies_involved

    fill(school, "case_medium_neglect.json")
    second = school.send()
    desk.refresh()
    [item] = desk.items.children
    reason_row = item.children[2]
    reason_row.children[1].click()  # no reason: refused, named
    assert "reason" in item.children[3].value
    reason_row.children[0].value = "Not a child protection matter: refer to the school."
    reason_row.children[1].click()
    assert "declined" in desk.status.value

    school.refresh()
    assert "Not a child protection matter" in school.sent.value
    panel = InboxPanel(Guard.for_user(store, "edi"), "edi")
    assert len(panel.notices()) == 2 and "cpkit-notice" in panel.list.value
    assert panel.mark_read() == 2 and panel.notices() == []
    assert second != first


def test_landing_links_by_role_and_shows_the_inbox(store, tmp_path):
    """Each user sees the links of their roles only: an agency member neither the new
    referral (they may not create a case) nor the supervisor dashboard."""
    populate(store)
    dashboard = tmp_path / "dashboard.ipynb"
    dashboard.write_text("{}")
    school = Landing(store=Guard.for_user(store, "edi"), user="edi", dashboard=dashboard)
    html = school.widget.children[0].children[2].value
    assert "refer.ipynb" in html and "agency.ipynb" in html
    for other in ("intake.ipynb", "referral.ipynb", "dashboard.ipynb"):
        assert other not in html
    manager = Landing(store=Guard.for_user(store, "sara"), user="sara", dashboard=dashboard)
    html = manager.widget.children[0].children[2].value
    assert "intake.ipynb" in html and "referral.ipynb" in html and "dashboard.ipynb" in html
    assert "refer.ipynb" not in html and "agency.ipynb" not in html
    assert "cpkit-inbox" in manager.inbox.widget._dom_classes


def test_refer_dates_take_the_regional_form_and_are_said_in_words(store):
    """The referral's dates are the forms' one date field: the format named in the
    user's language, 14.11.2015 (Serbian 14.11.2015.) or ISO, the date in words below."""
    from cpkit.i18n import gettext, set_lang

    populate(store)
    try:
        set_lang("sr")
        page = ReferPage(guard=Guard.for_user(store, "edi"), user="edi")
        birth = page.dates["child.date_of_birth"]
        assert birth.widget.placeholder == gettext("DD.MM.YYYY", "sr") != "YYYY-MM-DD"
        page.inputs["child.date_of_birth"].value = "14.11.2015."
        page.inputs["identified_on"].value = "30.11.2026"
        assert "novembar 2015" in birth.echo.value
        document = page.document()
        assert document["child"]["date_of_birth"] == "2015-11-14"
        assert document["identified_on"] == "2026-11-30"
        page.inputs["identified_on"].value = "31.11.2026"  # no such day: said at the field
        assert page.send() is None
        assert page.messages["identified_on"].value
        assert page.messages["identified_on"] is page.dates["identified_on"].message
    finally:
        set_lang(None)
