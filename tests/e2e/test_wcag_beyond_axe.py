"""WCAG 2.1 AA checks axe-core leaves to people, measured in the browser on the landing
page, the risk framework form and the supervisor dashboard (one server, three pages):

- links look like links (1.4.1 use of colour): underlined, or bordered or drawn as a
  button, never told from the text around them by colour alone;
- focus is visible (2.4.7): Tab through every stop of the page; each control's computed
  outline, box-shadow, border or background (its own or its two parents', for a focus
  drawn around it) differs while it has the focus;
- text contrast (1.4.3): every visible text against its effective background (the
  ancestors' colours blended) is at least 4.5:1, 3:1 for large text.  axe-core checks
  contrast too but skips ("incomplete") text over translucent or layered backgrounds;
  this measures all of it.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_every_page import open_form

pytestmark = pytest.mark.browser

CASE = "PR-2026-0001"
PAGES = [("index", "", ".cpkit-form"), ("risk", f"case={CASE}", "[role=radiogroup]"),
         ("dashboard", "", ".cpkit-caseload-table")]
MAX_STOPS = 250

COLOUR_JS = """
window.__wcag = (function () {
  function parse(c) {
    var m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    var p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  }
  function blend(top, bottom) {
    var a = top.a;
    return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a),
            b: top.b * a + bottom.b * (1 - a), a: 1};
  }
  function background(el) {
    var layers = [];
    for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
      var s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;  // cannot tell
      var c = parse(s.backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    var bg = {r: 255, g: 255, b: 255, a: 1};
    for (var i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  }
  function lum(c) {
    function f(v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function ratio(a, b) {
    var x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function visible(el) {
    if (!el.getClientRects().length) return false;
    for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
      var s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0)
        return false;
    }
    return true;
  }
  function describe(el) {
    var cls = (el.className && el.className.baseVal === undefined ? el.className : '')
      .toString().trim().split(/\\s+/).slice(0, 2).join('.');
    return el.tagName.toLowerCase() + (cls ? '.' + cls : '');
  }
  var FOCUS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow',
               'borderTopColor', 'borderBottomColor', 'borderLeftColor', 'backgroundColor',
               'textDecorationLine'];
  function focusLook(el) {
    var out = [];
    for (var e = el, depth = 0; e && e.nodeType === 1 && depth < 3; e = e.parentElement, depth++) {
      var s = getComputedStyle(e);
      out.push(FOCUS.map(function (k) { return s[k]; }).join('|'));
    }
    return out.join(' // ');
  }
  return {parse: parse, background: background, ratio: ratio, visible: visible,
          describe: describe, focusLook: focusLook};
})();
"""

LINKS_JS = """
() => {
  var w = window.__wcag, bad = [], seen = 0;
  document.querySelectorAll('#rendered_cells a[href]').forEach(function (a) {
    if (!w.visible(a) || !a.textContent.trim()) return;
    seen++;
    var s = getComputedStyle(a);
    var underlined = s.textDecorationLine.indexOf('underline') >= 0;
    var bordered = parseFloat(s.borderBottomWidth) > 0 && s.borderBottomStyle !== 'none';
    var bg = w.parse(s.backgroundColor);
    var button = bg && bg.a > 0 && parseFloat(s.paddingLeft) >= 4;
    if (!(underlined || bordered || button))
      bad.push(w.describe(a) + ' "' + a.textContent.trim().slice(0, 40) + '"');
  });
  return {seen: seen, bad: bad};
}
"""

CONTRAST_JS = """
() => {
  var w = window.__wcag, bad = [], seen = 0, done = new Set();
  var walker = document.createTreeWalker(document.querySelector('#rendered_cells'),
                                         NodeFilter.SHOW_TEXT);
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    var el = node.parentElement;
    if (!node.textContent.trim() || !el || done.has(el)) continue;
    done.add(el);
    // inactive controls are exempt (1.4.3); native option lists are drawn by the system
    if (el.closest('[disabled], .mod-disabled, option, style, script, noscript')) continue;
    if (!w.visible(el)) continue;
    var s = getComputedStyle(el), bg = w.background(el), fg = w.parse(s.color);
    if (!bg || !fg) continue;
    if (fg.a < 1) fg = {r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
                        b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1};
    seen++;
    var size = parseFloat(s.fontSize), weight = parseInt(s.fontWeight, 10) || 400;
    var large = size >= 24 || (size >= 18.66 && weight >= 700);
    var need = large ? 3 : 4.5, got = w.ratio(fg, bg);
    if (got < need - 0.005)
      bad.push(w.describe(el) + ' "' + node.textContent.trim().slice(0, 40) + '" ' +
               got.toFixed(2) + ':1 (needs ' + need + ':1; ' + s.color + ' on rgb(' +
               [bg.r, bg.g, bg.b].map(Math.round).join(', ') + '))');
  }
  return {seen: seen, bad: bad};
}
"""

RECORD_STOP_JS = """
() => {
  var el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {body: true};
  window.__stops = window.__stops || [];
  if (window.__stops.some(function (s) { return s.el === el; })) return {repeat: true};
  window.__stops.push({el: el, focused: window.__wcag.focusLook(el)});
  return {stop: window.__wcag.describe(el)};
}
"""

UNFOCUSED_JS = """
() => {
  if (document.activeElement) document.activeElement.blur();
  return window.__stops.filter(function (s) {
    return window.__wcag.focusLook(s.el) === s.focused;
  }).map(function (s) {
    return window.__wcag.describe(s.el) + ' "' + (s.el.getAttribute('aria-label') ||
      s.el.textContent || s.el.value || '').trim().slice(0, 40) + '"';
  });
}
"""


def focus_stops(page) -> tuple[int, list[str]]:
    """Tab through the page from its start: the number of stops, and the stops whose
    look does not change when focused."""
    page.evaluate("() => { window.__stops = []; if (document.activeElement) "
                  "document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = 0
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        found = page.evaluate(RECORD_STOP_JS)
        if found.get("repeat") or (found.get("body") and stops):
            break
        stops += bool(found.get("stop"))
    return stops, page.evaluate(UNFOCUSED_JS)


@pytest.mark.parametrize("notebook,query,ready", PAGES, ids=[p[0] for p in PAGES])
def test_links_focus_and_contrast(voila_server, page, notebook, query, ready):
    page.set_default_timeout(180_000)
    open_form(page, voila_server.url(notebook, query))
    page.locator(ready).first.wait_for()
    page.evaluate(COLOUR_JS)
    problems = []

    links = page.evaluate(LINKS_JS)
    problems += [f"{notebook}: link told by colour alone: {b}" for b in links["bad"]]

    contrast = page.evaluate(CONTRAST_JS)
    assert contrast["seen"] > 10, contrast  # the page's text was really measured
    problems += [f"{notebook}: contrast {b}" for b in contrast["bad"]]

    stops, invisible = focus_stops(page)
    assert stops >= 3, f"{notebook}: only {stops} Tab stops"
    problems += [f"{notebook}: focus not visible on {b}" for b in invisible]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_they_look_for(browser):
    """The three measurements fail a page built to fail them (no test that cannot fail)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(
            "<style>a{text-decoration:none;color:#06c} button:focus{outline:none}"
            " .pale{color:#aaa}</style><div id='rendered_cells'><p>Text "
            "<a href='#x'>a bare link</a></p><p class='pale'>pale text here</p>"
            "<button>One</button><button>Two</button></div>")
        page.evaluate(COLOUR_JS)
        assert page.evaluate(LINKS_JS)["bad"] == ['a "a bare link"']
        assert [b.split('"')[1] for b in page.evaluate(CONTRAST_JS)["bad"]] == [
            "pale text here"]
        stops, invisible = focus_stops(page)
        assert stops == 3 and len(invisible) == 2, (stops, invisible)
    finally:
        context.close()
