"""Every report in each language: the language's own words (the risk levels), no English
left in the fixed text, in the HTML and in the PDF's text."""

from __future__ import annotations

import subprocess

import pytest

from cpkit.i18n import english_leftovers, gettext
from cpkit.reports.render import render_report
from tests.conftest import AS_OF, fixture_case, fixture_document, private_home

LANGS = ("sq", "sr", "sr-Cyrl")
REPORTS = [("PR-2026-0001", "invitation"), ("PR-2026-0001", "minutes"),
           ("PR-2026-0001", "care-plan"), ("GJ-2026-0001", "closure")]
DOCS = {"PR-2026-0001": "case_high_physical.json", "GJ-2026-0001": "case_closed.json"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    home = tmp_path_factory.mktemp("languages")
    with private_home(home) as store:
        store.import_cases([fixture_case(name) for name in DOCS.values()])
        pages = {(code, kind, lang): render_report(store, code, kind, lang=lang, as_of=AS_OF)
                 .path.read_text(encoding="utf-8")
                 for code, kind in REPORTS for lang in LANGS}
        pdfs = {lang: render_report(store, "PR-2026-0001", "minutes", fmt="pdf", lang=lang,
                                    as_of=AS_OF).path for lang in LANGS}
        texts = {lang: subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                      capture_output=True, text=True, check=True).stdout
                 for lang, path in pdfs.items()}
    return pages, texts


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("code", "kind"), REPORTS)
def test_report_in_each_language_has_no_english_left(rendered, code, kind, lang):
    page = rendered[0][(code, kind, lang)]
    assert f'lang="{lang}"' in page
    assert gettext("Confidential", lang) in page
    assert english_leftovers(page, lang, fixture_document(DOCS[code])) == []


@pytest.mark.parametrize("lang", LANGS)
def test_minutes_name_the_risk_level_in_the_language_in_html_and_pdf(rendered, lang):
    html, text = rendered[0][("PR-2026-0001", "minutes", lang)], rendered[1][lang]
    high = gettext("High risk", lang)
    assert high != "High risk" and high in html
    assert " ".join(high.split()) in " ".join(text.split())
    assert english_leftovers(text, lang, fixture_document(DOCS["PR-2026-0001"])) == []
