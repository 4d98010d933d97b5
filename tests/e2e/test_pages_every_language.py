"""Every page in Albanian, Serbian (Latin) and Serbian (Cyrillic): the landing page, each
form, the supervisor dashboard, and the trainer kit (its index, an exercise with its
story, the trainer's group session).  Each must say its language (``<html lang>``), carry a
tab title in that language (``PR-2026-0001 · Korniza ...``), show a loading message in
words (never Voila's "Executing 2 of 3"), and show no English leftover and no
protocol key as text (``care_plan_distribution``, a bare ``review``)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from cpkit.forms.base import FORMS
from cpkit.i18n import gettext
from cpkit.rules.deadlines import KINDS as DEADLINE_KINDS
from cpkit.rules.summary import STAGES

pytestmark = pytest.mark.browser

LANGS = ("sq", "sr", "sr-Cyrl")
CASE = "PR-2026-0001"
PAGES = [("index", "", "Child protection cases"),
         ("dashboard", "", "Supervisor dashboard"),
         *((form, f"case={CASE}", title) for form, title in FORMS)]
TRAINING_CASE = "TR-2026-0001"
TRAINER_PAGES = [("index", "cpkit training"),
                 (TRAINING_CASE, "Lorik, 4: a fall down the stairs?"),
                 ("group_session", "Group session")]
TRAINER_READY = ".cpkit-cases-index, .cpkit-exercise, .cpkit-session, .cpkit-form"
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


@pytest.fixture
def lang_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RECORD_LOADING)
    page = context.new_page()
    page.set_default_timeout(150_000)
    yield page
    context.close()


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
def test_every_page_in_the_language_with_no_english_and_no_key(voila_server, lang_page, lang):
    problems = []
    for notebook, query, title in PAGES:
        page = lang_page
        page.goto(voila_server.url(notebook, "&".join(p for p in (query, f"lang={lang}") if p)))
        page.locator(".cpkit-form").first.wait_for(timeout=180_000)
        page.wait_for_function("document.title.indexOf('.ipynb') < 0 && "
                               "document.title !== '" + notebook + "'")
        problems += page_problems(page, f"{notebook} ({lang})", lang, gettext(title, lang),
                                  CASE if query else "")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_trainer_kit_in_the_language_with_no_english_and_no_key(trainer_server, lang_page,
                                                                      lang):
    """The trainer kit's index, an exercise (its heading, facts, story and widgets) and
    the group session: no English sentence or label left, no key, in every language."""
    problems = []
    for notebook, title in TRAINER_PAGES:
        page = lang_page
        page.goto(trainer_server.page(notebook, f"lang={lang}"))
        page.locator(TRAINER_READY).first.wait_for(timeout=240_000)
        page.wait_for_function("document.title.indexOf('.ipynb') < 0 && "
                               "document.title !== '" + notebook + "'")
        problems += page_problems(page, f"trainer kit {notebook} ({lang})", lang,
                                  gettext(title, lang), sentences=True)
    assert not problems, "\n".join(problems)


def test_the_loading_message_names_the_form_and_the_case(voila_server, lang_page):
    lang_page.goto(voila_server.url("risk", f"case={CASE}&lang=sq"))
    lang_page.locator(".cpkit-form").first.wait_for(timeout=180_000)
    loading = lang_page.evaluate("window.__cpkitLoading")
    expected = gettext("Opening the risk framework for {code}…", "sq").format(code=CASE)
    assert loading and set(loading) == {expected.replace("{code}", CASE)}, loading
    assert lang_page.title() == f"{CASE} · {gettext('Risk framework', 'sq')}"
