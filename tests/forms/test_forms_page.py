"""The page around a form: language, tab title and loading message in every language,
carried by cpkit's Voila template (the browser side is tests/e2e/test_every_page)."""

from __future__ import annotations

import json
import re

import ipywidgets as w
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from cpkit.forms.page import (
    FIRST_PAINT,
    TEMPLATE_ROOT,
    first_paint,
    page_meta,
    page_script,
    page_style,
    page_texts,
    page_title,
    static_html,
)
from cpkit.i18n import LANGUAGES, gettext
from cpkit.serve import voila_command, voila_env


def test_each_form_has_its_title_and_loading_message_in_every_language():
    texts = page_texts("risk")
    assert set(texts) == set(LANGUAGES)
    assert texts["en"]["loading_case"] == "Opening the risk framework for {code}…"
    for lang in ("sq", "sr", "sr-Cyrl"):
        assert texts[lang]["title"] == gettext("Risk framework", lang) != "Risk framework"
        assert "{code}" in texts[lang]["loading_case"]
        assert texts[lang]["loading_case"] != texts["en"]["loading_case"]


def test_the_template_script_is_safe_inside_a_script_element():
    script = page_script("cmr")
    data = json.loads(re.search(r"var texts = (\{.*?\}\}), training", script).group(1))
    assert data["sq"]["title"] == gettext("CMR meeting", "sq")
    assert "</" not in script


def test_tab_title_and_hidden_meta():
    assert page_title("Risk framework", "PR-2026-0001") == "PR-2026-0001 · Risk framework"
    assert page_title("Child protection cases") == "Child protection cases"
    meta = page_meta("PR-2026-0001 · <b>", "sq").value
    assert "data-lang='sq'" in meta and "&lt;b&gt;" in meta and " hidden " in meta


def test_a_first_paint_only_in_a_page_voila_serves(monkeypatch):
    InteractiveShell.instance()
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    with capture_output() as outside:
        first_paint("<b>PR-2026-0001</b>")
    assert outside.outputs == []  # JupyterLab, nbval: the widgets are the page
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    with capture_output() as served:
        first_paint("<b>PR-2026-0001</b>")
    (output,) = served.outputs
    assert output.metadata == {FIRST_PAINT: True}
    assert output.data["text/html"] == "<div class='cpkit-first-paint'><b>PR-2026-0001</b></div>"


def test_the_static_part_keeps_the_widgets_classes_and_leaves_inputs_out():
    banner = w.HTML("<div class='cpkit-banner'>High risk</div>")
    banner.add_class("cpkit-risk-banner")
    html = static_html([banner, w.HTML(""), w.Text("typed"), w.HTML("<p>a</p>")])
    assert html == ("<div class='cpkit-risk-banner'><div class='cpkit-banner'>High risk"
                    "</div></div><div class=''><p>a</p></div>")


def test_the_head_carries_the_forms_stylesheet():
    assert ".cpkit-table" in page_style() and ".cpkit-first-paint" in page_style()
    assert "</style" not in page_style()


def test_voila_uses_cpkits_template(tmp_path):
    command = voila_command(tmp_path, 9999)
    assert "--VoilaConfiguration.template=cpkit" in command
    assert (TEMPLATE_ROOT / "voila" / "templates" / "cpkit" / "index.html.j2").exists()
    env = voila_env({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/elsewhere"]


def test_a_form_paints_its_header_and_banner_before_building_its_widgets(sqlite_store,
                                                                         monkeypatch):
    """The risk form's first cell reads the case and paints its header and banner with
    a handful of widgets; the next builds the form, whose banner says the same."""
    from ipywidgets.widgets import widget as ipy

    from cpkit.forms.risk import RiskForm
    from tests.conftest import AS_OF, fixture_case

    sqlite_store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    InteractiveShell.instance()
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("QUERY_STRING", "case=PR-2026-0001")
    before = set(ipy._instances)
    with capture_output() as painted:
        form = RiskForm.paint_first(store=sqlite_store, today=AS_OF)
    assert not form.built and len(set(ipy._instances) - before) < 40
    html = painted.outputs[0].data["text/html"]
    assert "PR-2026-0001" in html and "wellbeing.ipynb?case=PR-2026-0001" in html
    assert "<div class='cpkit-risk-banner'><div class='cpkit-banner level-high'" in html
    with capture_output() as shown:
        form.show()
    assert form.built and len(shown.outputs) == 1  # the widgets only: painted once
    assert form.banner.widget.value in html


def test_a_missing_case_paints_why_and_builds_nothing(sqlite_store, monkeypatch):
    from cpkit.forms.risk import RiskForm

    InteractiveShell.instance()
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("QUERY_STRING", "case=PR-2026-9999")
    with capture_output() as painted:
        form = RiskForm.paint_first(store=sqlite_store)
    assert "PR-2026-9999" in painted.outputs[0].data["text/html"]
    form.show()
    assert not form.built and form.error.value
