"""WCAG 2.1 AA, checked by axe-core in the browser: every page (landing, each form, the
dashboard, the agency page, the trainer kit) in every language, with zero serious or
critical violations.

axe-core comes from the npm registry at set-up time (``scripts/hub-deps`` installs it
into ``.venv/node``); the test injects its ``axe.min.js`` with Playwright's
``add_script_tag`` and downloads nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cpkit.forms.base import FORMS

pytestmark = pytest.mark.browser

AXE = Path(sys.executable).resolve().parent.parent / "node" / "node_modules" / "axe-core" / \
    "axe.min.js"
if not AXE.exists():  # the same environment's node folder, also when not resolved
    AXE = Path(sys.executable).parent.parent / "node" / "node_modules" / "axe-core" / \
        "axe.min.js"
LANGS = ("en", "sq", "sr", "sr-Cyrl")
CASE = "PR-2026-0001"
PAGES = [("index", ""), ("dashboard", ""), ("agency", ""),
         *((form, f"case={CASE}") for form, _title in FORMS)]
TRAINER_PAGES = ["index", "TR-2026-0001", "group_session"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_problems(page, where: str) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now."""
    assert AXE.exists(), f"{AXE} is missing: run scripts/hub-deps (installs axe-core)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag',"
        " values: tags}}); return {engine: r.testEngine.name, passes: r.passes.length,"
        " violations: r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' +"
        " (n.failureSummary || '').split('\\n').slice(0, 2).join(' '))}))}; }", TAGS)
    # axe really looked at the page (its rules passed somewhere), it did not just return
    assert result["engine"] == "axe-core" and result["passes"] > 5, (where, result)
    found = result["violations"]
    return [f"{where}: {v['impact']} {v['id']} ({v['help']}): " + " | ".join(v["nodes"])
            for v in found]


@pytest.fixture
def a11y_page(page):
    """The e2e page, waiting longer for each form: a sweep opens many pages in a row."""
    page.set_default_timeout(180_000)
    return page


def open_form(page, url: str) -> None:
    page.goto(url)
    page.locator(".cpkit-form").first.wait_for(timeout=240_000)
    # the widgets are drawn: no loading spinner left
    page.wait_for_function("!document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display"
                           " === 'none' || document.querySelector('#rendered_cells')")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_no_serious_or_critical_axe_violation(voila_server, a11y_page, lang):
    problems = []
    for notebook, query in PAGES:
        open_form(a11y_page, voila_server.url(notebook, "&".join(
            p for p in (query, f"lang={lang}") if p)))
        problems += axe_problems(a11y_page, f"{notebook} ({lang})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_trainer_kit_has_no_serious_or_critical_axe_violation(trainer_server, a11y_page,
                                                                    lang):
    problems = []
    for notebook in TRAINER_PAGES:
        a11y_page.goto(trainer_server.page(notebook, f"lang={lang}"))
        a11y_page.locator(".cpkit-cases-index, .cpkit-exercise, .cpkit-form, "
                          ".cpkit-session").first.wait_for(timeout=240_000)
        problems += axe_problems(a11y_page, f"trainer kit {notebook} ({lang})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["sq"])
def test_the_dashboard_at_768px_shows_its_overdue_column(voila_server, browser, lang):
    """At tablet width (768 px) no column of the caseload is cut off: the "overdue"
    column lies inside the page (the table wraps its words rather than overflow)."""
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        open_form(page, voila_server.url("dashboard", f"lang={lang}"))
        table = page.locator(".cpkit-caseload-table").first
        table.wait_for()
        last = table.locator("tr").first.locator("th").last
        box = last.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 768, box
        flags = page.locator(".cpkit-caseload-table tr.is-overdue td.flag")
        for i in range(flags.count()):  # overdue said in words, not by colour alone
            assert flags.nth(i).inner_text().strip()
    finally:
        context.close()
