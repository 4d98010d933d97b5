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
