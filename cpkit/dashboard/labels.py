"""The words the dashboard shows for deadline kinds, stages and risk levels.

Deadline labels come from :mod:`cpkit.rules.deadlines` (one table for every view).
"""

from __future__ import annotations

from cpkit import protocol
from cpkit.i18n import N_, gettext
from cpkit.rules.stages import STAGE_LABELS, stage_label

__all__ = ["STAGE_LABELS", "NOT_ASSESSED", "MATCH_LABELS", "REFERRAL_STATES", "known_line",
           "risk_label", "stage_label"]

NOT_ASSESSED = N_("not assessed")


def risk_label(level: str | None, lang: str | None = None) -> str:
    if not level:
        return gettext(NOT_ASSESSED, lang)
    try:
        return protocol.label("level", level, lang)
    except KeyError:
        return level


# How sure the blind index is that a case holds the referred child.
MATCH_LABELS = {"same": N_("same child"), "possible": N_("possibly the same child")}
# A referral's status as its referrer and intake read it.
REFERRAL_STATES = {"received": N_("waiting for intake"), "accepted": N_("accepted"),
                   "declined": N_("declined")}


def known_line(row: dict, lang: str | None = None) -> str:
    """A known-child candidate in words: ``known: PR-2026-0001 (Review, Medium) — same
    child`` (code, stage and risk only: never who the child is)."""
    match = MATCH_LABELS.get(row["match"])
    return gettext("known: {code} ({stage}, {risk}) — {match}", lang).format(
        code=row["case_id"], stage=stage_label(row["stage"], lang),
        risk=risk_label(row["risk"], lang),
        match=gettext(match, lang) if match else row["match"])
