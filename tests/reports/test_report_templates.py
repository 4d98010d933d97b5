"""The nbconvert templates in reports/: what of an executed notebook reaches the page.
Built from small notebooks (no kernel), so every rule of the shared template is checked."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cpkit.i18n import gettext
from cpkit.reports.parameters import KINDS
from cpkit.reports.render import convert, exporter

INFO = {"case_code": "PR-2026-0001", "kind": "minutes", "lang": "en", "redacted": True,
        "as_of": "22.11.2026", "case_version": 3}
TITLES = {"minutes": "Minutes of the Case Management Roundtable (CMR)",
          "invitation": "Invitation and agenda: Case Management Roundtable (CMR)",
          "care-plan": "Care plan", "closure": "Case closure form",
          "chronology": "Case chronology"}


def notebook() -> nbformat.NotebookNode:
    code = new_code_cell("secret_source = 'print(case)'", outputs=[
        new_output("display_data", {"text/html": '<section id="kept">shown</section>',
                                    "text/plain": "<IPython.core.display.HTML object>"}),
        new_output("display_data", {"image/png": "iVBORw0KGgo="}),
        new_output("stream", name="stdout", text="stdout chatter"),
        new_output("stream", name="stderr", text="stderr chatter"),
        new_output("display_data", {"application/javascript": "alert('js')"}),
        new_output("display_data", {"text/plain": "plain repr only"}),
        new_output("execute_result", {"text/plain": "'a result'"}, execution_count=1),
        new_output("error", ename="ValueError", evalue="boom", traceback=["Traceback boom"]),
    ])
    return new_notebook(cells=[new_markdown_cell("# markdown heading"), code])


@pytest.mark.parametrize("kind", KINDS)
def test_only_html_and_png_outputs_reach_the_page(kind):
    page = convert(notebook(), kind, {**INFO, "kind": kind})
    assert '<section id="kept">shown</section>' in page
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in page
    for absent in ("secret_source", "markdown heading", "chatter", "alert(", "plain repr",
                   "a result", "boom", "<script", "In&nbsp;[", "jp-InputArea"):
        assert absent not in page
    assert TITLES[kind] in page
    assert "PR-2026-0001" in page and "Confidential" in page
    assert "@page" in page and "size: A4" in page


def test_template_text_follows_the_report_language():
    page = convert(notebook(), "closure", {**INFO, "kind": "closure", "lang": "sr-Cyrl"})
    assert gettext("Case closure form", "sr-Cyrl") in page
    assert gettext("Confidential", "sr-Cyrl") in page
    assert 'lang="sr-Cyrl"' in page


def test_the_exporter_of_a_kind_is_built_once():
    assert exporter("minutes") is exporter("minutes")
    assert exporter("minutes") is not exporter("closure")


def test_case_code_in_the_header_is_escaped():
    page = convert(notebook(), "minutes", {**INFO, "case_code": "<b>X</b>"})
    assert "<b>X</b>" not in page and "&lt;b&gt;X&lt;/b&gt;" in page


def test_the_heading_names_the_municipality_escaped():
    page = convert(notebook(), "minutes", {**INFO, "municipality": "Graçanicë <i>"})
    assert ('Municipal Task Force for Child Protection, <span class="doc-municipality">'
            "Graçanicë &lt;i&gt;</span>") in page
    assert "doc-municipality" not in convert(notebook(), "minutes", INFO)
