"""The trainer's answer key of a worked case: HTML sections, and the rendered key.

``notebooks/training/answer_key.ipynb`` (parameter ``case_code``) shows the sections
below cell by cell; :func:`render` executes it with papermill and converts it with
nbconvert's HTMLExporter (code hidden, ``exclude_input``), and prints the HTML to PDF
with WeasyPrint.  The key quotes the protocol's descriptor for every reference level.
"""

from __future__ import annotations

from cpkit import protocol, resources
from cpkit.errors import BadInput, CpkitError
from cpkit.i18n import N_, _, current_lang, gettext, normalise_lang
from cpkit.markup import esc
from cpkit.training import cases
from cpkit.training.cases import TrainingCase

NOTEBOOK = resources.TRAINING / "answer_key.ipynb"
FORMATS = ("html", "pdf")
KERNEL = "python3"


class AnswerKeyError(CpkitError):
    """The answer key notebook could not be run or converted."""


SECTIONS = {
    "story": N_("The story"),
    "factors": N_("Risk Analysis Framework: reference levels"),
    "wellbeing": N_("Wellbeing indicators"),
    "needs": N_("Needs of the child"),
    "care_plan": N_("Model care plan"),
    "follow_up": N_("What happened next"),
}


def section_html(key: str) -> str:
    """A translated section heading of the key (``SECTIONS``)."""
    return f"<h2>{esc(gettext(SECTIONS[key]))}</h2>"


# Jupyter's output stylesheet right-aligns table cells; the key reads left to right.
KEY_CSS = """
table.cpkit-key { border-collapse: collapse; width: 100%; table-layout: auto; }
.jp-RenderedHTMLCommon table.cpkit-key th, .jp-RenderedHTMLCommon table.cpkit-key td,
table.cpkit-key th, table.cpkit-key td { text-align: left; vertical-align: top;
  padding: 4px 6px; border-bottom: 1px solid #d5dbe3; }
table.cpkit-key .descriptor { color: #52606d; font-style: italic; }
@page { size: A4; margin: 16mm 14mm; }
"""


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    """``rows`` hold HTML already escaped."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<table class='cpkit-key {cls}'>"
            f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>")


def heading_html(tc: TrainingCase) -> str:
    teaches = ", ".join(tc.reference.teaches)
    return (f"<style>{KEY_CSS}</style>"
            f"<h1>{esc(_('Answer key'))}: {esc(tc.code)} — {esc(tc.title)}</h1>"
            f"<p><i>{esc(_('Training case: every person is fictional.'))}</i> "
            f"{esc(_('Teaches'))}: {esc(teaches)}</p>")


def factors_html(tc: TrainingCase) -> str:
    ref = tc.reference
    rows = []
    for key in protocol.factor_keys():
        level = ref.factors[key]
        rows.append([esc(protocol.label("factor", key)),
                     f"<b>{esc(protocol.label('level', level))}</b>",
                     f"{esc(ref.reasons[key])}<div class='descriptor'>{esc(_('Protocol'))}: "
                     f"“{esc(protocol.descriptor(key, level))}”</div>"])
    return _table([_("Factor"), _("Level"), _("Why (the protocol's descriptor)")], rows,
                  "answer-factors")


def overall_html(tc: TrainingCase) -> str:
    risk = tc.overall()
    why = ", ".join(_("unaccompanied child") if r == "unaccompanied"
                    else protocol.label("factor", r) for r in risk.reasons)
    definition = protocol.RISK_LEVELS[risk.level]["definition"] if risk.level else ""
    return (f"<p><b>{esc(_('Overall level'))}: {esc(protocol.label('level', risk.level))}</b>"
            f" — {esc(_('the highest indicated'))}: {esc(why)}.</p>"
            f"<p><i>{esc(gettext(definition))}</i></p>"
            f"<p><b>{esc(_('CMR required'))}: "
            f"{esc(_('yes') if risk.cmr_required else _('no'))}.</b> "
            f"{esc(tc.reference.cmr_decision)}</p>")


def wellbeing_html(tc: TrainingCase) -> str:
    ref = tc.reference
    rows = [[esc(protocol.label("indicator", k)), esc(protocol.label("status", ref.wellbeing[k])),
             esc(ref.wellbeing_reasons.get(k, ""))] for k in protocol.indicator_keys()]
    return _table([_("Indicator"), _("Status"), _("Why")], rows, "answer-wellbeing")


def needs_html(tc: TrainingCase) -> str:
    items = "".join(f"<li>{esc(n)}</li>" for n in tc.reference.needs)
    return f"<ul>{items}</ul><p>{esc(tc.reference.summary)}</p>"


def care_plan_html(tc: TrainingCase) -> str:
    rows = []
    for a in tc.reference.actions:
        rows.append([
            esc(a.get("need")),
            esc(protocol.label("indicator", a["indicator"]) if a.get("indicator") else ""),
            esc(a.get("action")),
            esc(protocol.label("agency", a["responsible_agency"])
                if a.get("responsible_agency") else ""),
            esc(protocol.label("term", a["term"]) if a.get("term") else ""),
            esc(a.get("contingency"))])
    return _table([_("Need"), _("Indicator"), _("Action"), _("Responsible agency"), _("Term"),
                   _("Contingency")], rows, "answer-care-plan")


def follow_up_html(tc: TrainingCase) -> str:
    """What happened next, for a case followed to closure (empty otherwise)."""
    ref = tc.reference
    if not (ref.follow_up or ref.closure):
        return ""
    parts = []
    for m in ref.meetings:
        level = m.get("agreed_risk_level")
        decisions = " ".join(m.get("decisions") or ())
        parts.append(f"<li>{esc(m['date'])}: {esc(protocol.label('meeting_kind', m['kind']))}"
                     + (f" — {esc(protocol.label('level', level))}" if level else "")
                     + (f". {esc(decisions)}" if decisions else "") + "</li>")
    closure = ref.closure
    text = ""
    if closure:
        views = "".join(f"<br>{esc(label)}: {esc(closure[key])}"
                        for key, label in (("child_views", _("Child's views")),
                                           ("family_views", _("Family's views")))
                        if closure.get(key))
        text = (f"<p><b>{esc(_('Closure'))}</b> {esc(closure['date'])}: "
                f"{esc(protocol.label('closure_reason', closure['reason']))}{views}</p>")
    return f"<ul>{''.join(parts)}</ul>{text}"


# --- rendering ------------------------------------------------------------------------


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise BadInput(_("format {fmt!r}: use html or pdf").format(fmt=fmt))
    return fmt


def execute(code: str, lang: str | None = None):
    """Run the answer key notebook for ``code`` (cpkit's one notebook runner:
    :func:`cpkit.reports.render.execute`) in ``lang`` (default: the current language,
    handed to the kernel as ``CPKIT_LANG``); the executed notebook."""
    from papermill.parameterize import parameterize_notebook

    from cpkit.reports.render import execute as run
    from cpkit.reports.render import kernel_env, load_notebook

    cases.load(code)  # refuses an unknown code before a kernel starts
    nb = parameterize_notebook(load_notebook(NOTEBOOK), {"case_code": code},
                               kernel_name=KERNEL, language="python")
    env = {**kernel_env(), "CPKIT_LANG": normalise_lang(lang) if lang else current_lang()}
    try:
        return run(nb, env)
    except CpkitError as err:
        raise AnswerKeyError(f"{code}: the answer key notebook failed ({err})") from None


def to_html(executed) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(executed)
    return body


def to_pdf(page: str, title: str, lang: str | None = None) -> bytes:
    """Print the answer key with cpkit's one PDF printer (offline, fixed metadata)."""
    from cpkit.reports.pdf import html_to_pdf

    return html_to_pdf(page, title=title, lang=normalise_lang(lang) if lang else current_lang())


def render(code: str, fmt: str = "html", lang: str | None = None) -> bytes:
    """The rendered answer key of ``code`` as HTML (UTF-8) or PDF bytes, in ``lang``
    (default: the current language)."""
    _check_format(fmt)
    page = to_html(execute(code, lang))
    if fmt == "html":
        return page.encode("utf-8")
    return to_pdf(page, f"{gettext('Answer key', lang)} {code}", lang)
