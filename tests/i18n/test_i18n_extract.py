"""The template extractor finds text translated with the ``t`` filter and with ``_()``."""

from __future__ import annotations

import io

from cpkit.i18n.extract import extract_jinja2

TEMPLATE = b"""\
{%- extends 'cpkit_base.html.j2' -%}
{%- block title -%}{{ "Minutes of the CMR" | t | e }}{%- endblock -%}
<p>{{ "Redacted copy" | t if redacted else "Task Force copy" | t }}</p>
<p>{{ _("Prepared on") }} {{ day }}</p>
{% trans %}Hello {{ name }}{% endtrans %}
<p>{{ "not translated" | e }} {{ 'single quoted' | t }}</p>
"""


def test_extracts_t_filter_literals_and_jinja2_calls():
    found = [(line, msg) for line, _func, msg, _c in extract_jinja2(
        io.BytesIO(TEMPLATE), ["_", "gettext", "ngettext"], [],
        {"extensions": "jinja2.ext.do"})]
    messages = [m for _line, m in found]
    assert "Minutes of the CMR" in messages
    assert "Redacted copy" in messages and "Task Force copy" in messages
    assert "Prepared on" in messages
    assert "Hello %(name)s" in messages
    assert "single quoted" in messages
    assert "not translated" not in messages
    assert "cpkit_base.html.j2" not in messages
    assert (2, "Minutes of the CMR") in found


PYTHON = b'''\
from cpkit.i18n import _, N_

LABEL = N_("Marked for later")


def section(ctx, risk):
    head = _("Plain call")
    return f'<p class="overall">{ctx.t("Overall level of risk")}: {ctx.t("Not assessed")}</p>'


def other(t):
    return f"{len('not a message')} {t('Nested in an f-string')}"
'''


def test_python_extraction_sees_calls_inside_f_strings():
    from cpkit.i18n import EXTRACT_KEYWORDS
    from cpkit.i18n.extract import extract_python

    keywords = {k.split(":")[0]: None for k in EXTRACT_KEYWORDS}
    messages = [m for _l, _f, m, _c in extract_python(io.BytesIO(PYTHON), keywords, [], {})]
    assert {"Marked for later", "Plain call", "Overall level of risk", "Not assessed",
            "Nested in an f-string"} <= set(messages)
    assert "not a message" not in messages
    assert len(messages) == len(set(messages))


def test_training_answer_extraction_gives_each_text_once_and_no_code():
    """A worked case's answer file: every text a person reads (the follow-up's Markdown
    block by block), none of its keys, dates or names."""
    import json

    from cpkit.i18n.extract import extract_training_answer
    from cpkit.i18n.markdown import blocks
    from cpkit.training.cases import CASES_DIR

    raw = (CASES_DIR / "TR-2026-0003.answer.json").read_bytes()
    doc = json.loads(raw)
    found = [(m, c) for _l, _f, m, c in extract_training_answer(io.BytesIO(raw), [], [], {})]
    messages = {m for m, _c in found}
    assert all(c and c[0].startswith("TRANSLATORS:") for _m, c in found)
    assert doc["title"] in messages and set(doc["teaches"]) <= messages
    assert {v["reason"] for v in doc["risk_factors"].values()} <= messages
    assert {v["reason"] for v in doc["wellbeing"].values()} <= messages
    assert doc["summary"] in messages and doc["cmr"]["decision"] in messages
    assert {a["contingency"] for a in doc["care_plan"]["actions"]} <= messages
    assert {d for m in doc["meetings"] for d in m["decisions"]} <= messages
    assert doc["closure"]["family_views"] in messages
    assert {t for _lead, t in blocks(doc["follow_up"])} <= messages
    assert doc["follow_up"] not in messages
    assert not messages & {"risk_reduced", "school_psychologist", "medium", "csw", "A1",
                           "2026-05-04", doc["closure"]["responsible"], "Sw. Fatmir Hoti"}
