"""The words the dashboard shows for deadline kinds, stages and risk levels.

Deadline labels come from :mod:`cpkit.rules.deadlines` (one table for every view).
"""

from __future__ import annotations

from cpkit import protocol
from cpkit.i18n import N_, gettext

STAGE_LABELS = {
    "referral": N_("Referral"),
    "assessment": N_("Assessment"),
    "planning": N_("Planning"),
    "review": N_("Review"),
    "closed": N_("Closed"),
}
NOT_ASSESSED = N_("not assessed")


def stage_label(stage: str | None, lang: str | None = None) -> str:
    text = STAGE_LABELS.get(stage or "")
    return gettext(text, lang) if text else (stage or "")


def risk_label(level: str | None, lang: str | None = None) -> str:
    if not level:
        return gettext(NOT_ASSESSED, lang)
    try:
        return protocol.label("level", level, lang)
    except KeyError:
        return level
