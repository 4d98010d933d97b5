"""Report tables fit their longest label in every language.

Every report kind is printed in English, Albanian and Serbian (Latin and Cyrillic), and
the printed layout is read back from WeasyPrint's boxes: no line of text may run out of
its table cell (the Serbian minutes once printed "Kratkoročno09.12.2026": the term ran
into the due date), and no table may head two columns with the same word (sr "Rok" /
"Rok", sq "Afati" / "Afati").  The PDF's own text (pdftotext) is checked too.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pytest

from cpkit import protocol
from cpkit.reports.render import render_report
from tests.conftest import AS_OF, fixture_case, private_home

LANGS = ("en", "sq", "sr", "sr-Cyrl")
REPORTS = [("PR-2026-0001", "invitation"), ("PR-2026-0001", "minutes"),
           ("PR-2026-0001", "care-plan"), ("PR-2026-0001", "chronology"),
           ("GJ-2026-0001", "closure")]
DOCS = ("case_high_physical.json", "case_closed.json")
TOLERANCE = 0.5  # CSS px: rounding in the layout


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Each report's HTML, by (code, kind, lang)."""
    home = tmp_path_factory.mktemp("layout")
    with private_home(home) as store:
        store.import_cases([fixture_case(name) for name in DOCS])
        return {(code, kind, lang): render_report(store, code, kind, lang=lang, as_of=AS_OF)
                .path.read_text(encoding="utf-8")
                for code, kind in REPORTS for lang in LANGS}


class _Headings(HTMLParser):
    """The column headings of each table (the ``th`` of its ``thead``)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[str]] = []
        self._in_head = self._in_th = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
            self.tables.append([])
        elif tag == "th" and self._in_head:
            self._in_th = True
            self.tables[-1].append("")

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th:
            self.tables[-1][-1] += data


def column_headings(page: str) -> list[list[str]]:
    parser = _Headings()
    parser.feed(page)
    return [[" ".join(h.split()) for h in table] for table in parser.tables]


def overflowing_text(page: str) -> list[str]:
    """Every piece of text whose printed line runs past the right edge of its cell."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    found = []

    def walk(box, cell):
        if isinstance(box, boxes.TableCellBox):
            cell = box
        if isinstance(box, boxes.TextBox) and cell is not None:
            right = cell.content_box_x() + cell.width
            if box.position_x + box.width > right + TOLERANCE:
                found.append(f"{box.text!r} runs {box.position_x + box.width - right:.1f}px "
                             "out of its cell")
        for child in getattr(box, "children", ()):
            walk(child, cell)

    document = HTML(string=page, base_url=None).render()
    for page_ in document.pages:
        walk(page_._page_box, None)
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("code", "kind"), REPORTS)
def test_no_table_heads_two_columns_with_one_word(pages, code, kind, lang):
    for headings in column_headings(pages[(code, kind, lang)]):
        doubled = {h for h in headings if h and headings.count(h) > 1}
        assert not doubled, f"{kind} ({lang}): columns {headings} share a heading"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("code", "kind"), REPORTS)
def test_every_table_cell_holds_its_text_when_printed(pages, code, kind, lang):
    assert overflowing_text(pages[(code, kind, lang)]) == []


@pytest.mark.parametrize("lang", ("sq", "sr", "sr-Cyrl"))
def test_the_term_never_runs_into_the_due_date_in_the_pdf(tmp_path, lang):
    """The care plan terms in the minutes' action plan, as pdftotext reads the PDF."""
    with private_home(tmp_path) as store:
        store.import_cases([fixture_case(DOCS[0])])
        path = render_report(store, "PR-2026-0001", "minutes", fmt="pdf", lang=lang,
                             as_of=AS_OF).path
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    terms = [protocol.label("term", t, lang) for t in protocol.CARE_PLAN_TERMS]
    assert any(t.split()[-1] in text for t in terms), "no term printed"
    for term in terms:
        assert not re.search(re.escape(term.split()[-1]) + r"\d", text), (
            f"{term!r} runs into the next column")
