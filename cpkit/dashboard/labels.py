"""The words the dashboard shows for deadline kinds, stages and risk levels.

Deadline labels come from :mod:`cpkit.rules.deadlines` (one table for every view).
"""

from __future__ import annotations

from cpkit import protocol
from cpkit.i18n import N_, gettext
from cpkit.rules.summary import STAGE_LABELS, stage_label

__all__ = ["STAGE_LABELS", "NOT_ASSESSED", "risk_label", "stage_label"]

NOT_ASSESSED = N_("not assessed")


def risk_label(level: str | None, lang: str | None = None) -> str:
    if not level:
        return gettext(NOT_ASSESSED, lang)
    try:
        return protocol.label("level", level, lang)
    except KeyError:
        return level
