"""Learning from practice: the protocol's six-monthly review of the caseload.

For a period (``cpkit review --from DATE --to DATE``) the review shows the themes of
the cases referred (abuse categories, nature of risk), why cases were closed, the
risk level at referral (the assessed overall risk) against the level agreed at the
closure CMR, and how long it took from the concern identified to the referral ("without
delay"), from an agency's referral to the CSW's decision, and from referral to the
assessment, to the first CMR and to closure (medians), with charts.

No child may be recognisable from it: every count under 5 is shown as "<5" (its bar
is not drawn), a median is only given when at least 5 cases stand behind it, no
total is printed beside suppressed cells, and free-text "nature of risk" entries
are counted together as "other" rather than quoted.  Training cases are never
counted.  The page is self-contained HTML (and PDF when WeasyPrint can print it),
written readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
import html
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cpkit import protocol, resources
from cpkit.dashboard.charts import SMALL, bar_chart, img_tag
from cpkit.dashboard.labels import risk_label
from cpkit.errors import BadInput
from cpkit.i18n import N_, _, current_lang
from cpkit.i18n.formatting import format_date
from cpkit.model import Case
from cpkit.paths import home, write_private
from cpkit.rules.risk import case_risk

LEVELS = (*protocol.LEVELS, "")  # "" : not assessed / not recorded
OTHER = "other"
INTERVALS = {
    "identification": N_("Concern identified to referral (\"without delay\")"),
    "intake": N_("Agency referral to the CSW's decision"),
    "assessment": N_("Referral to completed assessment"),
    "first_cmr": N_("Referral to first CMR"),
    "closure": N_("Referral to closure"),
}
CSS = resources.TEMPLATES / "shared" / "report.css"


def suppressed(count: int) -> str:
    """A count as the review may print it: "<5" for anything under 5."""
    return f"<{SMALL}" if count < SMALL else str(count)


def median_days(days: list[int]) -> float | None:
    """The median, or ``None`` when fewer than 5 cases stand behind it."""
    return float(statistics.median(days)) if len(days) >= SMALL else None


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _closure_level(case: Case) -> str:
    """The risk level agreed at the closure CMR ("" when none was recorded)."""
    closure = case.closure
    meetings = [m for m in case.meetings if m.kind == "closure"]
    if closure is not None and closure.agreed_at_meeting is not None:
        meetings = [m for m in case.meetings if m.date == closure.agreed_at_meeting] or meetings
    level = meetings[-1].agreed_risk_level if meetings else None
    return level if level in LEVELS else ""


@dataclass
class Review:
    """The counts and times of one period (training cases never included)."""

    date_from: dt.date
    date_to: dt.date
    referred: int = 0
    closed: int = 0
    abuse_categories: Counter = field(default_factory=Counter)
    nature_of_risk: Counter = field(default_factory=Counter)
    closure_reasons: Counter = field(default_factory=Counter)
    risk_change: Counter = field(default_factory=Counter)  # (at referral, at closure)
    days: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in INTERVALS})

    def median(self, interval: str) -> float | None:
        return median_days(self.days[interval])


def review_data(cases: Iterable[Case], date_from: dt.date, date_to: dt.date) -> Review:
    """Count the review's themes and times from the cases (pure; no store)."""
    if date_to < date_from:
        raise BadInput(_("the review period ends before it starts"))
    review = Review(date_from, date_to)
    for case in cases:
        if case.training:
            continue
        referred_on = case.referral.date
        if _in(referred_on, date_from, date_to):
            review.referred += 1
            if case.referral.identified_on is not None:
                review.days["identification"].append(
                    (referred_on - case.referral.identified_on).days)
            review.abuse_categories.update(set(case.referral.abuse_categories))
            natures = {n if n in protocol.LABEL_KINDS["influence"] else OTHER
                       for n in case.assessment.nature_of_risk}
            review.nature_of_risk.update(natures)
        completed = case.assessment.completed_on
        if _in(completed, date_from, date_to):
            review.days["assessment"].append((completed - referred_on).days)
        first = min((m.date for m in case.meetings), default=None)
        if _in(first, date_from, date_to):
            review.days["first_cmr"].append((first - referred_on).days)
        closure = case.closure
        if closure is not None and _in(closure.date, date_from, date_to):
            review.closed += 1
            review.closure_reasons[closure.reason] += 1
            review.days["closure"].append((closure.date - referred_on).days)
            at_referral = case_risk(case).level or ""
            review.risk_change[(at_referral, _closure_level(case))] += 1
    return review


# --- the page -------------------------------------------------------------------------

def _e(text: object) -> str:
    return html.escape(str(text))


def _label(kind: str, key: str, lang: str) -> str:
    if key == OTHER:
        return _("other (described in the worker's own words)")
    try:
        return protocol.label(kind, key, lang)
    except KeyError:
        return key


def _count_table(counter: Counter, kind: str, title: str, lang: str,
                 column: str | None = None) -> str:
    """A table of counts (largest first, suppressed) and its chart; no total."""
    if not counter:
        return f"<h3>{_e(title)}</h3><p class='empty'>{_e(_('None in the period.'))}</p>"
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    labels = [_label(kind, key, lang) for key, _n in items]
    rows = "".join(f"<tr><td>{_e(label)}</td><td class='count'>{_e(suppressed(n))}</td></tr>"
                   for label, (_key, n) in zip(labels, items, strict=True))
    chart = img_tag(bar_chart(labels, [n for _k, n in items], title, suppress=True,
                              horizontal=True), title)
    return (f"<h3>{_e(title)}</h3><table class='grid review-counts'><tr>"
            f"<th>{_e(column or _('theme'))}</th><th>{_e(_('cases'))}</th></tr>{rows}</table>"
            f"<figure class='chart'>{chart}</figure>")


def _risk_table(review: Review, lang: str) -> str:
    title = _("Risk level at referral and at closure")
    if not review.risk_change:
        return f"<h3>{_e(title)}</h3><p class='empty'>{_e(_('No case closed in the period.'))}</p>"
    used_rows = [lv for lv in LEVELS if any(k[0] == lv for k in review.risk_change)]
    used_cols = [lv for lv in LEVELS if any(k[1] == lv for k in review.risk_change)]
    head = "".join(f"<th>{_e(_('at closure'))}: {_e(risk_label(c, lang))}</th>"
                   for c in used_cols)
    body = "".join(
        f"<tr><th>{_e(_('at referral'))}: {_e(risk_label(r, lang))}</th>"
        + "".join(f"<td class='count'>{_e(suppressed(review.risk_change[(r, c)]))}</td>"
                  for c in used_cols) + "</tr>" for r in used_rows)
    pairs = [(r, c) for r in used_rows for c in used_cols if review.risk_change[(r, c)]]
    chart = img_tag(bar_chart([f"{risk_label(r, lang)} → {risk_label(c, lang)}"
                               for r, c in pairs], [review.risk_change[p] for p in pairs],
                              title, suppress=True, horizontal=True), title)
    return (f"<h3>{_e(title)}</h3><table class='grid review-risk'><tr><th></th>{head}</tr>"
            f"{body}</table><figure class='chart'>{chart}</figure>")


def _times_table(review: Review, lang: str) -> str:
    from cpkit.i18n.formatting import format_number

    title = _("Time from referral (median days)")
    rows, labels, values = [], [], []
    for key, text in INTERVALS.items():
        days = review.days[key]
        median = review.median(key)
        shown = format_number(median, lang) if median is not None else _(
            "not shown (fewer than 5 cases)")
        rows.append(f"<tr><td>{_e(_(text))}</td><td class='count'>{_e(suppressed(len(days)))}"
                    f"</td><td class='count'>{_e(shown)}</td></tr>")
        labels.append(_(text))
        values.append(median)
    fig = bar_chart(labels, [round(v) if v is not None else 0 for v in values], title,
                    horizontal=True)
    for text, value in zip(fig.axes[0].texts, values, strict=False):
        text.set_text("–" if value is None else format_number(value, lang))
    chart = img_tag(fig, title)
    return (f"<h3>{_e(title)}</h3><table class='grid review-times'><tr>"
            f"<th>{_e(_('interval'))}</th><th>{_e(_('cases'))}</th>"
            f"<th>{_e(_('median days'))}</th></tr>{''.join(rows)}</table>"
            f"<figure class='chart'>{chart}</figure>")


def review_html(review: Review, *, lang: str | None = None,
                prepared_on: dt.date | None = None) -> str:
    """The review as one self-contained HTML page."""
    lang = lang or current_lang()
    prepared_on = prepared_on or dt.date.today()
    css = CSS.read_text(encoding="utf-8") if CSS.exists() else ""
    css += ".count { text-align: right; white-space: nowrap; } .review-counts td:first-child" \
           " { width: 70%; }"
    period = _("{start} to {end}").format(start=format_date(review.date_from, lang),
                                          end=format_date(review.date_to, lang))
    title = _("Learning from practice: six-monthly review")
    sections = [
        ("overview", _("The period"),
         f"<table class='fields'><tr><th>{_e(_('Period'))}</th><td>{_e(period)}</td></tr>"
         f"<tr><th>{_e(_('Cases referred in the period'))}</th>"
         f"<td>{_e(suppressed(review.referred))}</td></tr>"
         f"<tr><th>{_e(_('Cases closed in the period'))}</th>"
         f"<td>{_e(suppressed(review.closed))}</td></tr></table>"
         f"<p class='note'>{_e(_('Counts under 5 are shown as <5 and their bars are not drawn, so that no child can be recognised; medians are only given for 5 cases or more. Training cases are not included.'))}</p>"),  # noqa: E501
        ("themes", _("Themes of the cases referred"),
         _count_table(review.abuse_categories, "abuse_category", _("Abuse categories"), lang)
         + _count_table(review.nature_of_risk, "influence", _("Nature of risk"), lang)),
        ("closure", _("Closures"),
         _count_table(review.closure_reasons, "closure_reason", _("Closure reasons"), lang,
                      _("reason"))
         + _risk_table(review, lang)),
        ("times", _("Timeliness"), _times_table(review, lang)),
    ]
    body = "".join(f"<section class='cpkit-section' id='{sid}'><h2>{_e(heading)}</h2>"
                   f"{content}</section>" for sid, heading, content in sections)
    return (f"<!DOCTYPE html><html lang='{_e(lang)}'><head><meta charset='utf-8'>"
            f"<title>{_e(title)}</title><style>{css}</style></head><body>"
            f"<header class='doc-header'><h1 class='doc-title'>{_e(title)}</h1>"
            f"<p class='doc-subtitle'>{_e(period)} · {_e(_('Prepared on'))} "
            f"{_e(format_date(prepared_on, lang))}</p></header>{body}</body></html>")


def review_dir() -> Path:
    """``<CPKIT_HOME>/reports/review``, private to the user."""
    folder = home() / "reports" / "review"
    for path in (folder.parent, folder):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)
    return folder


def write_review(review: Review, *, fmt: str = "html", out_dir: Path | None = None,
                 lang: str | None = None, prepared_on: dt.date | None = None) -> Path:
    """Write the review as ``review_<from>_<to>.<fmt>`` (mode 0600); its path."""
    if fmt not in ("html", "pdf"):
        raise BadInput(_("format must be html or pdf"))
    page = review_html(review, lang=lang, prepared_on=prepared_on)
    if out_dir is None:
        folder = review_dir()
    else:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"review_{review.date_from.isoformat()}_{review.date_to.isoformat()}.{fmt}"
    if fmt == "pdf":
        from cpkit.reports.pdf import html_to_pdf

        write_private(path, html_to_pdf(page, title=_("Learning from practice"),
                                        lang=lang or current_lang()))
    else:
        write_private(path, page)
    return path


def load_review(guard, date_from: dt.date, date_to: dt.date) -> Review:
    """The review of the live cases ``guard``'s user may see (redacted copies: the
    review needs no child's identity), with the days intake took to decide on the
    agencies' referrals decided in the period."""
    from cpkit.access import intake

    review = review_data((r.case for r in guard.records(training=False, redact=True)),
                         date_from, date_to)
    for item in intake.listed(guard):
        if item.decided_at is not None and _in(item.decided_at.date(), date_from, date_to):
            review.days["intake"].append((item.decided_at.date() - item.referred_at.date()).days)
    return review
