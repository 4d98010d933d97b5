"""The browser page around a form: its language, its tab title, its loading message.

Voila renders a preheated page's head before anyone asks for it, so the page cannot
know the case or the user's language server-side.  cpkit's Voila template
(``cpkit/share/voila/templates/cpkit``) therefore carries, for the notebook being
served, the words in every language (:func:`page_script`, a Jinja filter), and picks
them in the browser from ``?case=`` and ``?lang=`` (else the language the user last
worked in): ``<html lang>``, the tab title ``PR-2026-0001 · Risk framework`` and
"Opening the risk framework for PR-2026-0001…" while the kernel builds the form,
never Voila's cell counter.  Once the form is built, :func:`page_meta` (a hidden
element) tells the page its final language and title.

A page's first paint (:func:`first_paint`): Voila's page shows nothing until its
scripts have loaded, connected to the kernel and drawn every widget, seconds on a
busy machine, although the page's HTML (the kernel's outputs in it) arrived at once.
A form therefore also puts its static part (the case list's table and links, a form's
header and risk banner) into the page's HTML; the template writes it as it is and the
page script shows it above Voila's hidden cells until the widgets are drawn.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import ipywidgets as w

from cpkit.forms.fields import esc
from cpkit.forms.shared import layout, plain
from cpkit.forms.style import CSS
from cpkit.i18n import LANGUAGES, N_, current_lang, gettext

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent / "share"
TEMPLATE = "cpkit"

# Each page: its title, and what the loading message says with and without a case.
PAGES: dict[str, tuple[str, str, str]] = {
    "index": (N_("Child protection cases"), N_("Opening the case {code}…"),
              N_("Opening the case list…")),
    "referral": (N_("Referral and consent"), N_("Opening the referral and consent for {code}…"),
                 N_("Opening a new referral…")),
    "risk": (N_("Risk framework"), N_("Opening the risk framework for {code}…"),
             N_("Opening the risk framework…")),
    "wellbeing": (N_("Wellbeing"), N_("Opening the wellbeing indicators for {code}…"),
                  N_("Opening the wellbeing indicators…")),
    "care_plan": (N_("Care plan"), N_("Opening the care plan for {code}…"),
                  N_("Opening the care plan…")),
    "cmr": (N_("CMR meeting"), N_("Opening the CMR meeting for {code}…"),
            N_("Opening the CMR meeting…")),
    "closure": (N_("Closure"), N_("Opening the closure for {code}…"),
                N_("Opening the closure…")),
    "refer": (N_("Refer a child"), N_("Opening the referral page…"),
              N_("Opening the referral page…")),
    "intake": (N_("Intake"), N_("Opening the intake list…"), N_("Opening the intake list…")),
    "dashboard": (N_("Supervisor dashboard"), N_("Opening the supervisor dashboard…"),
                  N_("Opening the supervisor dashboard…")),
    "group_session": (N_("Group session"), N_("Opening the group session…"),
                      N_("Opening the group session…")),
    "answer_key": (N_("Answer key"), N_("Opening the answer key…"),
                   N_("Opening the answer key…")),
}
TRAINING_PAGE = (N_("Training exercise"), N_("Opening the training exercise…"),
                 N_("Opening the training exercise…"))
TRAINING_INDEX = (N_("cpkit training"), N_("Opening the trainer kit…"),
                  N_("Opening the trainer kit…"))
OTHER_PAGE = ("cpkit", N_("Opening…"), N_("Opening…"))


def _page(notebook: str, training: bool = False) -> tuple[str, str, str]:
    if training and notebook == "index":
        return TRAINING_INDEX
    if notebook.startswith("TR-"):
        return TRAINING_PAGE
    return PAGES.get(notebook, OTHER_PAGE)


def page_texts(notebook: str, training: bool = False) -> dict[str, dict[str, str]]:
    """The page's title and loading messages in every language, by language code."""
    title, with_case, without = _page(notebook, training)
    return {lang: {"title": gettext(title, lang), "loading_case": gettext(with_case, lang),
                   "loading": gettext(without, lang)} for lang in LANGUAGES}


SCRIPT = """(function () {
  var texts = %s, training = %s, code = %s;
  var query = new URLSearchParams(window.location.search);
  var lang = query.get("lang") || window.localStorage.getItem("cpkit-lang") || "en";
  if (!texts[lang]) { lang = "en"; }
  var t = texts[lang], c = query.get("case") || code;
  var loading = c ? t.loading_case.replace("{code}", c) : t.loading;
  document.documentElement.lang = lang;
  document.title = c && !training ? c + " · " + t.title : t.title;
  function apply(meta) {
    if (meta.dataset.lang) {
      document.documentElement.lang = meta.dataset.lang;
      window.localStorage.setItem("cpkit-lang", meta.dataset.lang);
    }
    if (meta.dataset.title) { document.title = meta.dataset.title; }
  }
  // A first paint (first_paint()) parsed into Voila's hidden cells is shown above them
  // at once, and removed when the form's widgets (.cpkit-form) are drawn: never both.
  function firstPaint() {
    var cells = document.getElementById("rendered_cells");
    if (!cells) { return; }
    // (the body's class changes only when it must: each change wakes the observer)
    var body = document.body, painted = "cpkit-painted";
    cells.querySelectorAll(".cpkit-first-paint").forEach(function (el) {
      cells.parentNode.insertBefore(el, document.getElementById("loading") || cells);
      if (!body.classList.contains(painted)) { body.classList.add(painted); }
    });
    if (body.classList.contains(painted) && cells.querySelector(".cpkit-form")) {
      document.querySelectorAll(".cpkit-first-paint").forEach(function (el) {
        el.remove();
      });
      body.classList.remove(painted);
    }
  }
  // A page left while it shows only its first paint, before Voila's scripts (which say
  // so themselves): told to the server as they tell it, so that its kernel is shut down
  // now, not at the culling minute (the first paint's links can be clicked at once).
  // On beforeunload, as Voila does: it comes before the next page is asked for, which
  // at the kernel limit waits for this one's room (pagehide would come after).
  window.addEventListener("beforeunload", function () {
    var config = document.getElementById("jupyter-config-data");
    if (!document.body.classList.contains("cpkit-painted") || !config) { return; }
    var xsrf = document.cookie.split("; ").filter(function (c) {
      return c.indexOf("_xsrf=") === 0;
    });
    var form = new FormData();
    form.append("_xsrf", xsrf.length ? xsrf[0].slice(6) : "");
    // before Voila's scripts there may be no _xsrf cookie yet: the page's own token
    // (cpkit serve's address carries it) authenticates the request as it did the page
    var token = query.get("token");
    navigator.sendBeacon(document.body.dataset.baseUrl + "api/shutdown/" +
                         JSON.parse(config.textContent).kernelId +
                         (token ? "?token=" + encodeURIComponent(token) : ""), form);
  });
  window.cpkit_page_start = function () {
    var el = document.getElementById("loading_text");
    if (el) { el.textContent = loading; }
    var box = document.getElementById("loading");
    if (box) { box.setAttribute("role", "status"); box.setAttribute("aria-live", "polite"); }
    window.voila_process = function (i, n) { window.update_loading_text(i, n, loading); };
    var pending = false;
    new MutationObserver(function () {
      firstPaint();
      var metas = document.querySelectorAll(".cpkit-page-meta");
      if (metas.length) { apply(metas[metas.length - 1]); }
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () { pending = false; accessible(); });
      }
    }).observe(document.body, {childList: true, subtree: true, attributes: true,
                               attributeFilter: ["data-title", "data-lang", "class"]});
  };
  // What ipywidgets' markup lacks for WCAG 2.1 AA (see the note below SCRIPT)
  var groups = 0;
  function accessible() {
    document.querySelectorAll(".widget-radio-box").forEach(function (box) {
      if (!box.dataset.cpkitGroup) { box.dataset.cpkitGroup = "cpkit-radio-" + (++groups); }
      var name = box.dataset.cpkitGroup;
      if (box.getAttribute("role") !== "radiogroup") { box.setAttribute("role", "radiogroup"); }
      box.querySelectorAll("input[type=radio]").forEach(function (radio) {
        if (radio.name !== name) { radio.name = name; }
      });
      if (!box.hasAttribute("aria-labelledby")) {
        var label = box.parentElement.querySelector(":scope > .widget-label");
        if (!label || !label.textContent.trim()) {
          var factor = box.closest(".cpkit-factor");
          label = factor && factor.querySelector(".cpkit-factor-title");
        }
        if (label) {
          if (!label.id) { label.id = name + "-label"; }
          box.setAttribute("aria-labelledby", label.id);
        }
      }
    });
    document.querySelectorAll(".cpkit-field").forEach(function (field, i) {
      var message = field.querySelector(".cpkit-message");
      if (!message) { return; }
      if (!message.id) { message.id = "cpkit-message-" + i + "-" + Date.now(); }
      if (message.getAttribute("aria-live") !== "polite") {
        message.setAttribute("aria-live", "polite");
      }
      var invalid = field.classList.contains("cpkit-invalid");
      field.querySelectorAll("input:not([type=radio]), textarea, select, " +
                             "[role=radiogroup]").forEach(function (input) {
        if (invalid) {
          input.setAttribute("aria-invalid", "true");
          var ids = (input.getAttribute("aria-describedby") || "").split(" ");
          if (ids.indexOf(message.id) < 0) {
            input.setAttribute("aria-describedby", ids.concat([message.id]).join(" ").trim());
          }
        } else if (input.hasAttribute("aria-invalid")) {
          input.removeAttribute("aria-invalid");
          input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "")
            .split(" ").filter(function (id) { return id && id !== message.id; }).join(" "));
        }
      });
    });
    document.querySelectorAll(".cpkit-problems, .cpkit-status").forEach(function (live) {
      if (live.getAttribute("aria-live") !== "polite") {
        live.setAttribute("aria-live", "polite");
        live.setAttribute("role", "status");
      }
    });
  }
})();"""

# Why the page script adds ARIA to ipywidgets' markup (WCAG 2.1 AA):
# - RadioButtons draws inputs without a shared ``name``: every option was its own Tab stop
#   and the group had no name.  One ``name`` per group makes it a native radio group (one
#   Tab stop, arrow keys move and choose; the browser's click reaches the widget), and
#   ``role=radiogroup`` with ``aria-labelledby`` names it by its label or factor title.
# - A field's message (``.cpkit-message``) is tied to its inputs (``aria-describedby``,
#   ``aria-invalid`` while the field is marked invalid) and announced (``aria-live``), as
#   are the problems summary and the save status.


def _js(value: object) -> str:
    """JSON safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def page_script(name: str) -> str:
    """The template's script for the notebook ``name`` (a Jinja filter of the template)."""
    name = Path(str(name)).stem
    training = Path.cwd().name == "training"
    code = name if name.startswith("TR-") else ""
    return SCRIPT % (_js(page_texts(name, training)), _js(training), _js(code))


# The first paint's look before Voila's theme arrives (the forms' own rules come with it).
FIRST_PAINT_CSS = """
.cpkit-first-paint { max-width: 1040px; margin: 0 auto; padding: 0 12px; font-size: 15px;
  color: #1f2933; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica,
  Arial, sans-serif; line-height: 1.4; }
.cpkit-first-paint a { color: #1a56b8; text-decoration: underline; text-underline-offset: 2px; }
body.cpkit-painted #loading { height: auto; flex-direction: row; gap: 8px; padding: 10px 0; }
body.cpkit-painted #loading .spinner-container { width: 28px; }
"""

# An output's metadata key: cpkit's Voila template writes the output's HTML into the page.
FIRST_PAINT = "cpkit/first-paint"


def page_style(_name: str = "") -> str:
    """The template's stylesheet (a Jinja filter): the forms' rules and the first
    paint's, in the page's head, so the first paint is drawn in the forms' look."""
    return CSS + FIRST_PAINT_CSS


def first_paint(html: str) -> None:
    """Show ``html`` (escaped markup, :func:`esc`) in the page before Voila's scripts
    and widgets: the page's static part, drawn from the page's HTML at once and
    replaced by the form's widgets once they are drawn (see the module's note).  Only
    in a page Voila serves: in JupyterLab the widgets are the page."""
    if "VOILA_BASE_URL" not in os.environ:
        return
    from IPython.display import HTML, display

    display(HTML(f"<div class='cpkit-first-paint'>{html}</div>"),
            metadata={FIRST_PAINT: True})


def static_html(widgets: list[w.Widget]) -> str:
    """The HTML widgets among ``widgets`` as markup, each in an element with the
    widget's classes (so the first paint answers to the same selectors); others
    (inputs, boxes) are left to the widgets."""
    return "".join(f"<div class='{esc(' '.join(x._dom_classes))}'>{x.value}</div>"
                   for x in widgets if isinstance(x, w.HTML) and x.value)


def page_title(title: str, code: str | None = None) -> str:
    """A tab title: ``PR-2026-0001 · Risk framework`` (title alone without a case)."""
    return f"{code} · {title}" if code else title


def page_meta(title: str, lang: str | None = None) -> w.HTML:
    """A hidden element telling the page its language and tab title (see the template)."""
    meta = plain(w.HTML, f"<span class='cpkit-page-meta' hidden "
                 f"data-lang='{esc(lang or current_lang())}' data-title='{esc(title)}'></span>",
                 layout=layout(height="0px", margin="0"))
    meta.add_class("cpkit-page-meta-box")
    return meta
