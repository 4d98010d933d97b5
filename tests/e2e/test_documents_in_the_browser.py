"""Documents from where the work is done, in a real browser: an assessor prints the
minutes as PDF from the CMR form and it opens inline (never a path); a report the
supervisor returned shows its comment on the landing page and on the form, until it
is rendered again."""

from __future__ import annotations

import pytest

from tests.e2e.test_forms_journey import open_form

pytestmark = pytest.mark.browser

CASE = "PR-2026-0001"
COMMENT = "Add the family's views to section 4."


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(240_000)  # a render runs a kernel: slow on a busy machine
    yield page
    context.close()


def test_minutes_print_inline_and_a_returned_report_reaches_the_assessor(voila_server, page):
    open_form(page, voila_server.url("cmr", f"case={CASE}&meeting=1"))
    page.locator("button.cpkit-render-minutes-pdf").click()
    shown = page.locator(".cpkit-report[data-format='pdf']")
    shown.wait_for()
    pdf = shown.locator("object.cpkit-pdf")
    assert pdf.get_attribute("type") == "application/pdf"
    data = pdf.get_attribute("data")
    assert data.startswith("data:application/pdf;base64,JVBER")  # "%PDF"
    served_as = page.evaluate("d => fetch(d).then(r => r.blob()).then(b => b.type)", data)
    assert served_as == "application/pdf"
    text = page.locator(".cpkit-documents").inner_text()
    assert str(voila_server.home) not in text and "/reports/" not in text
    assert "case-version" not in text and ".ipynb" not in text
    report_id = shown.get_attribute("data-report")

    returned = voila_server.cpkit("signoff", report_id, "--return", "--comment", COMMENT)
    assert returned.returncode == 0, returned.stderr
    open_form(page, voila_server.url("index"), ready=".cpkit-caseload table")
    notice = page.locator(".cpkit-returned", has_text=COMMENT)
    notice.wait_for()
    notice.locator("a", has_text=CASE).click()  # to the form it concerns
    page.locator(".cpkit-returned", has_text=COMMENT).wait_for()
    assert "cmr.ipynb" in page.url

    open_form(page, voila_server.url("cmr", f"case={CASE}&meeting=1"))
    page.locator(".cpkit-returned", has_text=COMMENT).wait_for()
    page.locator("button.cpkit-render-minutes-html").click()  # rendered again
    page.locator(".cpkit-report[data-format='html'] iframe").wait_for()
    page.locator(".cpkit-returned li").wait_for(state="detached")
