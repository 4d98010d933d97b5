"""The live risk banner: the overall level, why, how complete, and whether a CMR is due.

Computed in the kernel from the widgets' values on every change (no store round
trip), with :func:`cpkit.rules.risk.overall_risk`, so the banner always tells what the
protocol's rules say about what is on screen.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import protocol
from cpkit.forms.fields import esc
from cpkit.i18n import _
from cpkit.rules.risk import OverallRisk, overall_risk
from cpkit.summary_text import cmr_required_text, risk_headline


def banner_lines(risk: OverallRisk) -> tuple[str, list[str]]:
    """The level key (``none`` when not assessed) and the banner's lines of text.

    E.g. ``("high", ["High risk: site of injury", "Incomplete: 3 of 11 factors
    assessed", "CMR required"])``.
    """
    total = len(protocol.factor_keys())
    lines = [risk_headline(risk) or _("Not assessed yet")]
    if not risk.complete:
        lines.append(_("Incomplete: {n} of {total} factors assessed").format(
            n=risk.assessed, total=total))
    else:
        lines.append(_("All {total} factors assessed").format(total=total))
    lines.append(cmr_required_text(risk))
    return risk.level or "none", lines


def assessed_risk(factors: dict[str, str | None], unaccompanied: bool) -> OverallRisk:
    """The overall risk of the factors rated so far (``None``: not yet rated)."""
    return overall_risk({k: v for k, v in factors.items() if v}, unaccompanied)


def banner_html(level: str, lines: list[str]) -> str:
    """The banner's markup: its level and lines (:func:`banner_lines`)."""
    head, *rest = lines
    return (f"<div class='cpkit-banner level-{level}' data-level='{level}' "
            f"role='status' aria-live='polite'><span class='cpkit-banner-head'>"
            f"{esc(head)}</span>"
            + "".join(f"<span class='cpkit-banner-part'>{esc(x)}</span>" for x in rest)
            + "</div>")


class RiskBanner:
    """An HTML widget with the stable class ``cpkit-risk-banner`` and a level attribute."""

    def __init__(self) -> None:
        self.widget = w.HTML(layout=w.Layout(width="100%"))
        self.widget.add_class("cpkit-risk-banner")
        self.level: str = "none"
        self.lines: list[str] = []

    def update(self, factors: dict[str, str | None], unaccompanied: bool) -> OverallRisk:
        risk = assessed_risk(factors, unaccompanied)
        self.level, self.lines = banner_lines(risk)
        value = banner_html(self.level, self.lines)
        if self.widget.value != value:
            self.widget.value = value
        return risk

    @property
    def text(self) -> str:
        return " · ".join(self.lines)
