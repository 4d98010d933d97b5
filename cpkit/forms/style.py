"""The forms' stylesheet: readable at 1280x800 and at tablet width, clear states.

Shipped as an HTML widget with a ``<style>`` element, so the default Voila template
needs no change.  Long labels wrap instead of being cut; nothing is wider than 1000px.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit.forms.shared import layout, plain

CSS = """
.cpkit-form { max-width: 1040px; margin: 0 auto; font-size: 15px; color: #1f2933;
  --jp-widgets-font-size: 14px; --jp-widgets-inline-height: 30px; }
.cpkit-form .widget-label { white-space: normal; line-height: 1.3; overflow: visible;
  text-overflow: clip; height: auto; min-height: 28px; }
.cpkit-form .widget-checkbox { height: auto; min-height: 28px; }
.cpkit-form .widget-checkbox label, .cpkit-form .widget-radio-box label {
  display: flex; align-items: flex-start; white-space: normal; overflow: visible;
  text-overflow: clip; height: auto; line-height: 1.4; }
.cpkit-form .widget-checkbox input, .cpkit-form .widget-radio-box input {
  float: none; height: auto; margin: 3px 10px 0 1px; flex: none; order: -1; }
/* let the sticky risk banner and save bar stick to the page's scroll area */
.jp-OutputArea:has(.cpkit-form), .jp-OutputArea-child:has(.cpkit-form),
.jp-OutputArea-output:has(.cpkit-form), .cpkit-form { overflow: visible !important; }
.cpkit-form .widget-radio-box { gap: 2px; }
.cpkit-form .widget-radio-box label { padding: 5px 8px; border-radius: 4px;
  border: 1px solid transparent; cursor: pointer; }
.cpkit-form .widget-radio-box label:hover { background: #eef2f7; }
.cpkit-form .widget-radio-box label:has(input:checked) { background: #e8f0fe;
  border-color: #8fb0ea; font-weight: 600; }
.cpkit-form input:focus-visible, .cpkit-form textarea:focus-visible,
.cpkit-form select:focus-visible, .cpkit-form button:focus-visible {
  outline: 3px solid #2f6fde; outline-offset: 1px; }
.cpkit-form textarea { font-family: inherit; line-height: 1.4; }
.cpkit-header { border-bottom: 1px solid #d5dbe3; padding-bottom: 6px; margin-bottom: 4px; }
.cpkit-header h2 { margin: 4px 0; font-size: 22px; }
.cpkit-form a, .cpkit-form a.cpkit-link { color: #1a56b8; text-decoration: underline;
  text-underline-offset: 2px; }
.cpkit-form a:hover { color: #123d82; text-decoration-thickness: 2px; }
.cpkit-form a:focus-visible { outline: 3px solid #2f6fde; outline-offset: 2px; }
.cpkit-nav a { margin-right: 14px; white-space: nowrap; line-height: 2; }
/* the page you are on: still a link, so still underlined (told by more than colour) */
.cpkit-nav a.current { font-weight: 700; color: #1f2933; text-decoration-thickness: 3px; }
/* text on the widgets' coloured buttons and accordion titles at 4.5:1 or more (Jupyter's
   cyan, green and orange buttons and grey titles fall short) */
.cpkit-form .jupyter-button.mod-info { background-color: #00707c; }
.cpkit-form .jupyter-button.mod-success { background-color: #2e7d32; }
.cpkit-form .jupyter-button.mod-warning { background-color: #b45309; }
.cpkit-form .jupyter-widget-Collapse-header { color: #1f2933; }
.cpkit-section { border: 1px solid #e1e6ee; border-radius: 8px; padding: 4px 14px 12px;
  margin: 10px 0; background: #fff; }
.cpkit-heading { margin: 10px 0 6px; font-size: 17px; color: #243b53; }
.cpkit-note { color: #52606d; font-size: 13.5px; margin: 2px 0 6px; }
.cpkit-message { color: #b42318; font-size: 13.5px; }
.cpkit-message .widget-html-content { padding-left: calc(14em + 6px); }
@media (max-width: 700px) { .cpkit-message .widget-html-content { padding-left: 0; } }
.cpkit-invalid input, .cpkit-invalid textarea, .cpkit-invalid select {
  border-color: #b42318 !important; background: #fff6f5; }
.cpkit-checklist-title { font-weight: 600; margin: 8px 0 2px; }
.cpkit-sticky { position: sticky; top: 0; z-index: 20; background: #f7f9fb;
  border-bottom: 1px solid #d5dbe3; padding: 6px 4px; }
.cpkit-banner { padding: 8px 14px; border-radius: 6px; border-left: 8px solid #9aa5b1;
  background: #f0f2f5; display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: baseline; }
.cpkit-banner-head { font-weight: 700; font-size: 17px; }
.cpkit-banner.level-high { background: #fde8e7; border-color: #c62828; }
.cpkit-banner.level-medium { background: #fff4e0; border-color: #d97706; }
.cpkit-banner.level-low { background: #e7f6ec; border-color: #2e7d32; }
.cpkit-status { font-size: 14px; margin-left: 6px; }
.cpkit-status span.cpkit-conflict { display: block; line-height: 1.4; font-weight: 600; }
.cpkit-status .ok { color: #1e7b34; }
.cpkit-status .bad { color: #b42318; font-weight: 600; }
.cpkit-conflict { color: #7a2e0e; background: #fff1e6; border: 1px solid #f4a261;
  padding: 6px 10px; border-radius: 6px; }
.cpkit-draft-bar { background: #eef4ff; border: 1px solid #9bb8f0; border-radius: 6px;
  padding: 4px 10px; margin: 6px 0; align-items: center; flex-wrap: wrap; }
.cpkit-merge { border: 2px solid #f4a261; border-radius: 6px; padding: 6px 10px;
  margin: 6px 0; background: #fffaf5; }
.cpkit-merge-field { border-top: 1px solid #f4d8c0; padding: 6px 0; }
.cpkit-merge-label { font-weight: 700; }
.cpkit-theirs, .cpkit-mine { white-space: pre-wrap; margin: 2px 0; }
.cpkit-theirs { color: #243b53; }
.cpkit-mine { color: #7a2e0e; }
.cpkit-problems:empty { display: none; }
.cpkit-problems { color: #b42318; font-size: 14px; }
.cpkit-factor { border-top: 1px solid #e1e6ee; padding-top: 6px; margin-top: 4px; }
.cpkit-factor-title { font-weight: 700; font-size: 15.5px; }
.cpkit-suggestion { color: #243b53; background: #f0f4f8; padding: 4px 8px; border-radius: 4px;
  font-size: 13.5px; }
.cpkit-warning { color: #7a2e0e; background: #fff4e0; padding: 4px 8px; border-radius: 4px; }
.cpkit-warning:empty, .cpkit-suggestion:empty { display: none; }
.cpkit-warnings { margin: 4px 0; }
.cpkit-warnings .cpkit-warning { margin: 2px 0; font-size: 14px; }
.cpkit-condition-list { list-style: none; padding-left: 0; margin: 4px 0; }
.cpkit-condition { padding: 3px 6px; margin: 2px 0; border-radius: 4px; font-size: 14px; }
.cpkit-condition .mark { font-weight: 700; display: inline-block; width: 1.2em; }
.cpkit-condition.holds { color: #1e7b34; }
.cpkit-condition.refused { color: #b42318; background: #fdecea; }
.cpkit-condition.warning { color: #7a2e0e; background: #fff4e0; }
.cpkit-condition-detail { margin-left: 1.6em; font-size: 13px; }
.cpkit-confirm-bar { background: #fdecea; border: 1px solid #f1a7a0; border-radius: 6px;
  padding: 6px 10px; margin: 6px 0; gap: 6px; }
.cpkit-row { border: 1px solid #d5dbe3; border-radius: 6px; padding: 6px 10px; margin: 6px 0;
  background: #fbfcfd; }
.cpkit-row-title { font-weight: 600; }
.cpkit-table { border-collapse: collapse; margin: 4px 0; }
.cpkit-table td, .cpkit-table th { border-bottom: 1px solid #e1e6ee; padding: 3px 10px;
  text-align: left; }
.cpkit-table .overdue { color: #b42318; font-weight: 600; }
"""


def stylesheet() -> w.HTML:
    return plain(w.HTML, f"<style>{CSS}</style>", layout=layout(height="0px", margin="0"))
