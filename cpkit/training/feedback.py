"""The trainee's feedback, as HTML: shown under "Check" and saved as a feedback sheet.

Built only from a :class:`cpkit.training.checker.CheckResult`; every label is
translated and every value escaped.  The sheet names the case by its code and the
trainee by the name they typed; the case is fictional.
"""

from __future__ import annotations

import datetime as dt

from cpkit import protocol
from cpkit.i18n import _, current_lang
from cpkit.markup import esc
from cpkit.training.checker import CheckResult


def _answer(value: bool | None, yes: str, no: str) -> str:
    """yes, no, or "not known yet" (an incomplete rating with nothing medium or high)."""
    return _("not known yet") if value is None else (yes if value else no)

SHEET_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 12pt; color: #1f2933;
  max-width: 900px; margin: 1.5em auto; }
h1 { font-size: 18pt; margin-bottom: 0; } h2 { font-size: 14pt; color: #243b53; }
"""

FEEDBACK_CSS = """
.cpkit-feedback table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
.cpkit-feedback th, .cpkit-feedback td { border-bottom: 1px solid #e1e6ee; padding: 4px 8px;
  text-align: left; vertical-align: top; line-height: 1.35; }
.cpkit-feedback td:nth-child(2), .cpkit-feedback td:nth-child(3) { white-space: nowrap; }
.cpkit-feedback .agree { color: #1e7b34; font-weight: 600; }
.cpkit-feedback .differ { color: #b42318; font-weight: 600; }
.cpkit-feedback .descriptor { color: #52606d; font-style: italic; }
.cpkit-feedback .score { font-size: 16px; font-weight: 700; }
.cpkit-feedback h3 { margin: 12px 0 4px; font-size: 16px; color: #243b53; }
"""


def level_name(level: str | None) -> str:
    return _("not rated") if not level else protocol.label("level", level)


def status_name(status: str | None) -> str:
    return _("not given") if not status else protocol.label("status", status)


def _mark(agrees: bool) -> str:
    if agrees:
        return f"<span class='agree'>✓ {esc(_('agrees'))}</span>"
    return f"<span class='differ'>✗ {esc(_('differs'))}</span>"


def feedback_html(result: CheckResult) -> str:
    """The feedback as an HTML fragment (class ``cpkit-feedback``)."""
    score = _("Risk factors: you agree with the reference on {agreed} of {total}.").format(
        agreed=result.agreed, total=len(result.factors))
    parts = [f"<div class='cpkit-feedback'><style>{FEEDBACK_CSS}</style>",
             f"<div class='score'>{esc(score)}</div>"]
    parts.append(_overall(result))
    parts.append(f"<h3>{esc(_('Risk factors'))}</h3><table><tr>"
                 f"<th>{esc(_('Factor'))}</th><th>{esc(_('Your level'))}</th>"
                 f"<th>{esc(_('Reference'))}</th><th>{esc(_('Why'))}</th></tr>")
    for f in result.factors:
        why = (f"{esc(f.reason)}<div class='descriptor'>{esc(_('Protocol'))}: "
               f"“{esc(f.descriptor)}”</div>")
        parts.append(f"<tr class='factor-{esc(f.factor)}'>"
                     f"<td>{esc(protocol.label('factor', f.factor))}</td>"
                     f"<td>{esc(level_name(f.given))} {_mark(f.agrees)}</td>"
                     f"<td>{esc(level_name(f.reference))}</td><td>{why}</td></tr>")
    parts.append("</table>")
    parts.append(f"<h3>{esc(_('Wellbeing indicators'))}</h3><table><tr>"
                 f"<th>{esc(_('Indicator'))}</th><th>{esc(_('Your status'))}</th>"
                 f"<th>{esc(_('Reference'))}</th><th>{esc(_('Why'))}</th></tr>")
    for w in result.wellbeing:
        parts.append(f"<tr><td>{esc(protocol.label('indicator', w.indicator))}</td>"
                     f"<td>{esc(status_name(w.given))} {_mark(w.agrees)}</td>"
                     f"<td>{esc(status_name(w.reference))}</td><td>{esc(w.reason)}</td></tr>")
    parts.append("</table>")
    parts.append(_care_plan(result))
    parts.append("</div>")
    return "".join(parts)


def _overall(result: CheckResult) -> str:
    mine, ref = result.overall, result.reference_overall
    yes, no = _("yes"), _("no")
    reasons = ", ".join(_("unaccompanied child") if r == "unaccompanied"
                        else protocol.label("factor", r) for r in mine.reasons)
    lines = [
        _("Overall level from your ratings: {mine} (the highest indicated{why}); "
          "reference: {ref}.").format(
            mine=level_name(mine.level), ref=level_name(ref.level),
            why=f": {reasons}" if reasons else ""),
        _("CMR required from your ratings: {mine}; reference: {ref}.").format(
            mine=_answer(mine.cmr_required, yes, no), ref=_answer(ref.cmr_required, yes, no)),
    ]
    if not mine.complete:
        lines.append(_("You rated {n} of 11 factors; rate them all.").format(n=mine.assessed))
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return (f"<h3>{esc(_('Overall level and CMR'))} {_mark(result.overall_agrees)}</h3>"
            f"<ul class='overall'>{items}</ul>"
            f"<p><b>{esc(_('The reference decision'))}:</b> {esc(result.cmr_decision)}</p>")


def _care_plan(result: CheckResult) -> str:
    cp = result.care_plan
    out = [f"<h3>{esc(_('Care plan compared with the model plan'))}</h3><ul class='care-plan'>"]
    out.append(f"<li>{esc(_('Your plan has {n} action(s).').format(n=cp.actions))}</li>")
    for m in cp.missing_needs:
        where = protocol.label("indicator", m.indicator) if m.indicator else ""
        who = protocol.label("agency", m.agency) if m.agency else ""
        out.append(f"<li class='differ'>{esc(_('Missing need'))}: {esc(m.need)} "
                   f"({esc(where)}; {esc(_('model: {agency}').format(agency=who))})</li>")
    if cp.missing_contingency:
        nums = ", ".join(str(n) for n in cp.missing_contingency)
        text = _("No contingency for action(s) {nums}: say what happens if the action is "
                 "not done.").format(nums=nums)
        out.append(f"<li class='differ'>{esc(text)}</li>")
    if cp.missing_agency:
        nums = ", ".join(str(n) for n in cp.missing_agency)
        text = _("No responsible agency for action(s) {nums}.").format(nums=nums)
        out.append(f"<li class='differ'>{esc(text)}</li>")
    if cp.missing_timeframe:
        nums = ", ".join(str(n) for n in cp.missing_timeframe)
        text = _("No term or due date for action(s) {nums}.").format(nums=nums)
        out.append(f"<li class='differ'>{esc(text)}</li>")
    if cp.agencies_not_used:
        names = ", ".join(protocol.label("agency", a) for a in cp.agencies_not_used)
        text = _("The model plan also gives a role to: {names}.").format(names=names)
        out.append(f"<li>{esc(text)}</li>")
    if cp.complete:
        text = _("Every need of the model plan is covered, with agencies, timeframes and "
                 "contingencies.")
        out.append(f"<li class='agree'>{esc(text)}</li>")
    out.append("</ul>")
    return "".join(out)


def feedback_sheet(result: CheckResult, title: str, trainee: str = "",
                   day: dt.date | None = None) -> str:
    """A whole HTML page for the trainee to keep or print."""
    day = day or dt.date.today()
    who = f"{esc(_('Trainee'))}: {esc(trainee)} · " if trainee else ""
    return (f"<!DOCTYPE html><html lang='{esc(current_lang())}'><head><meta charset='utf-8'>"
            f"<title>{esc(_('Feedback'))} {esc(result.case_id)}</title>"
            f"<style>{SHEET_CSS}</style></head><body>"
            f"<h1>{esc(_('Feedback sheet'))}: {esc(result.case_id)} — {esc(title)}</h1>"
            f"<p>{who}{esc(day.isoformat())} · {esc(_('Training case: fictional'))}</p>"
            f"{feedback_html(result)}</body></html>")
