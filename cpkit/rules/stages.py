"""The stages of case management and their names, apart from the rules that work out a
case's stage (:func:`cpkit.rules.summary.stage`): a list or export that only names a
stored stage need not load the case model and the holiday tables."""

from __future__ import annotations

from cpkit.i18n import N_, gettext

STAGES = ("referral", "assessment", "planning", "review", "closed")
# What a reader sees for each stage (every view: landing page, dashboard, caseload).
STAGE_LABELS = {
    "referral": N_("Referral"),
    "assessment": N_("Assessment"),
    "planning": N_("Planning"),
    "review": N_("Review"),
    "closed": N_("Closed"),
}


def stage_label(stage: str | None, lang: str | None = None) -> str:
    """The reader's name of a stage, in ``lang`` (the key itself only if unknown)."""
    text = STAGE_LABELS.get(stage or "")
    return gettext(text, lang) if text else (stage or "")


__all__ = ["STAGES", "STAGE_LABELS", "stage_label"]
