"""Every page in every language, once per page and language: WCAG 2.1 AA checked by
axe-core, and the language itself.  The pages: the landing page, each form, the supervisor
dashboard, the agency page, and the trainer kit (its index, an exercise with its story, the
trainer's group session).

- **Accessibility**, in English, Albanian, Serbian (Latin) and Serbian (Cyrillic): zero
  serious or critical axe-core violations.  axe-core comes from the npm registry at set-up
  time (``scripts/hub-deps`` installs it into ``.venv/node``); the test injects its
  ``axe.min.js`` with Playwright's ``add_script_tag`` and downloads nothing.
- **The language**, in Albanian and both Serbian scripts: each page says its language
  (``<html lang>``), carries a tab title in that language (``PR-2026-0001 · Korniza ...``),
  shows a loading message in words (never Voila's "Executing 2 of 3"), and shows no
  English leftover and no protocol key as text (``care_plan_distribution``, a bare
  ``review``).

One sweep does both on each page it opens: a page view costs seconds of CPU in the
kernel, Voila and the browser, and the two checks read the same page.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pytest

from cpkit.forms.base import FORMS
from cpkit.i18n import gettext
from cpkit.rules.deadlines import KINDS as DEADLINE_KINDS
from cpkit.rules.summary import STAGES

pytestmark = pytest.mark.browser

AXE = Path(sys.executable).resolve().parent.parent / "node" / "node_modules" / "axe-core" / \
    "axe.min.js"
if not AXE.exists():  # the same environment's node folder, also when not resolved
    AXE = Path(sys.executable).parent.parent / "node" / "node_modules" / "axe-core" / \
        "axe.min.js"
LANGS = ("en", "sq", "sr", "sr-Cyrl")
CASE = "PR-2026-0001"
# (notebook, query, tab title; None: its language is not checked here)
PAGES = [("index", "", "Child protection cases"),
         ("dashboard", "", "Supervisor dashboard"),
         ("agency", "", None),
         *((form, f"case={CASE}", title) for form, title in FORMS)]
TRAINING_CASE = "TR-2026-0001"
TRAINER_PAGES = [("index", "cpkit training"),
                 (TRAINING_CASE, "Lorik, 4: a fall down the stairs?"),
                 ("group_session", "Group session")]
TRAINER_READY = ".cpkit-cases-index, .cpkit-exercise, .cpkit-session, .cpkit-form"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# A protocol key shown as text: lower-case words joined by underscores.
KEY = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z]+)+(?![\w./-])")
# Bare keys a page might show instead of their words.
BARE_KEYS = {*STAGES, *DEADLINE_KINDS, "minutes", "care-plan", "invitation", "overdue"}
# Words that are the same in English and the language (names, codes, units).
SAME = {"CMR", "OK", "PDF", "HTML", "cpkit"}

RECORD_LOADING = """
window.__cpkitLoading = [];
new MutationObserver(function () {
  var el = document.getElementById("loading_text");
  if (el && el.textContent && window.__cpkitLoading.indexOf(el.textContent) < 0) {
    window.__cpkitLoading.push(el.textContent);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
// The first paint (cpkit.forms.page.first_paint): what it showed outside Voila's hidden
// cells, and whether a frame ever showed it beside the drawn widgets.
window.__cpkitFirstPaint = {shown: [], both: false};
new MutationObserver(function () {
  document.querySelectorAll("body > .cpkit-first-paint").forEach(function (el) {
    var what = el.querySelector(".cpkit-caseload table") ? "caseload" :
               el.querySelector(".cpkit-risk-banner .cpkit-banner") ? "banner" : "other";
    if (window.__cpkitFirstPaint.shown.indexOf(what) < 0) {
      window.__cpkitFirstPaint.shown.push(what);
    }
  });
}).observe(document, {childList: true, subtree: true});
(function frame() {
  if (document.querySelector(".cpkit-first-paint") &&
      document.querySelector("#rendered_cells .cpkit-form")) {
    window.__cpkitFirstPaint.both = true;
  }
  window.requestAnimationFrame(frame);
})();
"""


@cache
def english_leftovers(lang: str) -> frozenset[str]:
    """English texts of the catalog that ``lang`` translates differently."""
    from babel.messages.pofile import read_po

    from cpkit.i18n import TEMPLATE

    with open(TEMPLATE, "rb") as f:
        ids = {m.id for m in read_po(f) if isinstance(m.id, str) and len(m.id) > 3}
    return frozenset(i for i in ids if "{" not in i and i not in SAME
                     and gettext(i, lang) != i)


@cache
def english_sentences(lang: str) -> tuple[str, ...]:
    """The longer English texts ``lang`` translates (five words or more), as a page shows
    them (Markdown's ``**`` gone): found anywhere in a page's text, they are English
    left over even where the page runs them into other text (a story's paragraph)."""
    return tuple(sorted(i.replace("**", "") for i in english_leftovers(lang)
                        if len(i.split()) >= 5))


def pieces(text: str) -> set[str]:
    """The page's text cut where one label ends and the next begins."""
    parts = set()
    for line in text.splitlines():
        for piece in re.split(r" · |: | — |\t", line):
            piece = piece.strip(" :·()")
            if piece:
                parts.add(piece)
    return parts


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
def sweep_page(browser):
    """A page that records the loading messages it shows, waiting long for each form: a
    sweep opens many pages in a row."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RECORD_LOADING)
    page = context.new_page()
    page.set_default_timeout(180_000)
    yield page
    context.close()


def open_form(page, url: str) -> None:
    page.goto(url)
    page.locator(".cpkit-form").first.wait_for(timeout=240_000)
    # the widgets are drawn: no loading spinner left
    page.wait_for_function("!document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display"
                           " === 'none' || document.querySelector('#rendered_cells')")


def page_problems(page, where: str, lang: str, expected_title: str, code: str = "",
                  sentences: bool = False) -> list[str]:
    """What the page shows that is not in ``lang``: its ``<html lang>``, tab title,
    loading message, protocol keys, English leftovers (whole sentences too if asked)."""
    problems = []
    if page.evaluate("document.documentElement.lang") != lang:
        problems.append(f"{where}: <html lang> is "
                        f"{page.evaluate('document.documentElement.lang')!r}")
    if expected_title not in page.title() or (code and code not in page.title()):
        problems.append(f"{where}: tab title {page.title()!r}, expected {expected_title!r}")
    loading = page.evaluate("window.__cpkitLoading")
    if not loading or any("Executing" in t or "Running" in t or ".ipynb" in t
                          for t in loading):
        problems.append(f"{where}: loading message {loading!r}")
    text = page.locator("#rendered_cells").inner_text()
    for key in sorted(set(KEY.findall(text))):
        problems.append(f"{where}: protocol key shown: {key!r}")
    shown = pieces(text)
    for leftover in sorted(shown & english_leftovers(lang)):
        problems.append(f"{where}: English text: {leftover!r}")
    if sentences:
        flat = " ".join(text.split())
        for sentence in english_sentences(lang):
            if sentence in flat and sentence not in shown:
                problems.append(f"{where}: English text: {sentence[:80]!r}")
    for cell in page.locator("#rendered_cells td, #rendered_cells th").all_inner_texts():
        if cell.strip() in BARE_KEYS:
            problems.append(f"{where}: key in a table cell: {cell.strip()!r}")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_in_every_language_is_accessible_and_in_the_language(voila_server,
                                                                         sweep_page, lang):
    problems = []
    for notebook, query, title in PAGES:
        page = sweep_page
        open_form(page, voila_server.url(notebook, "&".join(
            p for p in (query, f"lang={lang}") if p)))
        where = f"{notebook} ({lang})"
        if lang != "en" and title is not None:
            page.wait_for_function("document.title.indexOf('.ipynb') < 0 && "
                                   "document.title !== '" + notebook + "'")
            problems += page_problems(page, where, lang, gettext(title, lang),
                                      CASE if query else "")
        problems += axe_problems(page, where)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_trainer_kit_in_every_language_is_accessible_and_in_the_language(
        trainer_server, sweep_page, lang):
    """The trainer kit's index, an exercise (its heading, facts, story and widgets) and
    the group session: no serious axe violation; no English sentence or label left, no
    key, in every language."""
    problems = []
    for notebook, title in TRAINER_PAGES:
        page = sweep_page
        page.goto(trainer_server.page(notebook, f"lang={lang}"))
        page.locator(TRAINER_READY).first.wait_for(timeout=240_000)
        where = f"trainer kit {notebook} ({lang})"
        if lang != "en":
            page.wait_for_function("document.title.indexOf('.ipynb') < 0 && "
                                   "document.title !== '" + notebook + "'")
            problems += page_problems(page, where, lang, gettext(title, lang),
                                      sentences=True)
        problems += axe_problems(page, where)
    assert not problems, "\n".join(problems)


def test_the_loading_message_names_the_form_and_the_case(voila_server, sweep_page):
    sweep_page.goto(voila_server.url("risk", f"case={CASE}&lang=sq"))
    sweep_page.locator(".cpkit-form").first.wait_for(timeout=180_000)
    loading = sweep_page.evaluate("window.__cpkitLoading")
    expected = gettext("Opening the risk framework for {code}…", "sq").format(code=CASE)
    assert loading and set(loading) == {expected.replace("{code}", CASE)}, loading
    assert sweep_page.title() == f"{CASE} · {gettext('Risk framework', 'sq')}"


@pytest.mark.parametrize(("notebook", "query", "shown"), [
    ("index", "", "caseload"), ("risk", f"case={CASE}", "banner")])
def test_the_page_paints_first_and_never_twice(voila_server, sweep_page, notebook, query,
                                                shown):
    """Before Voila's scripts draw the widgets the page shows its static part from its
    own HTML (the case list, the risk banner), then only the widgets: no frame has both."""
    open_form(sweep_page, voila_server.url(notebook, query))
    painted = sweep_page.evaluate("window.__cpkitFirstPaint")
    assert painted["shown"] == [shown], painted
    assert not painted["both"]
    assert sweep_page.locator(".cpkit-first-paint").count() == 0


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
