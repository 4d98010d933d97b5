"""The page around a form: language, tab title and loading message in every language,
carried by cpkit's Voila template (the browser side is tests/e2e/test_every_page)."""

from __future__ import annotations

import json
import re

from cpkit.forms.page import TEMPLATE_ROOT, page_meta, page_script, page_texts, page_title
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


def test_voila_uses_cpkits_template(tmp_path):
    command = voila_command(tmp_path, 9999)
    assert "--VoilaConfiguration.template=cpkit" in command
    assert (TEMPLATE_ROOT / "voila" / "templates" / "cpkit" / "index.html.j2").exists()
    env = voila_env({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/elsewhere"]
