"""The Working Protocol as data, with small accessors.

The content itself lives in :mod:`cpkit.protocol.content` (English source strings, marked
with ``N_``); the helpers here look it up by key and translate on the way out.  Like the
content, this package imports nothing from Jupyter, SQLAlchemy or the web.
"""

from __future__ import annotations

from typing import Any

from cpkit.i18n import gettext
from cpkit.protocol import content
from cpkit.protocol.content import (
    ABUSE_CATEGORIES,
    ACTION_STATUSES,
    AGE_CAPACITY_BANDS,
    AGENCIES,
    ASSESSMENT_METHODS,
    ASSESSMENT_NOTE,
    ASSESSMENT_PURPOSES,
    ASSESSMENT_STEPS,
    ASSESSMENT_TIMESCALE,
    CARE_PLAN_PURPOSES,
    CARE_PLAN_TERMS,
    CLOSURE_FORM_SECTIONS,
    CLOSURE_PROCEDURE,
    CLOSURE_REASONS,
    CMR_AGENDA,
    CMR_PROCESS,
    CONFIDENTIALITY_RULES,
    CONSENT_VALUES,
    DISABILITY,
    INVITATION_ANSWERS,
    LEVEL_LABELS,
    MEETING_KINDS,
    MEETING_STATUSES,
    MILESTONE_BANDS,
    MILESTONES_NOTE,
    MINUTES_SECTIONS,
    OTHER_ABUSE_NOTE,
    RISK_FACTORS,
    RISK_FRAMEWORK_NOTES,
    RISK_INFLUENCES,
    RISK_LEVELS,
    SEX,
    SEXUAL_ABUSE_GROUPS,
    SEXUAL_MANIFESTATIONS_INTRO,
    SIGN_KINDS,
    TIMESCALE_EVENTS,
    TIMESCALES,
    WELLBEING_INDICATORS,
    WELLBEING_STATUSES,
)

# The content's public names (re-exported), then the helpers.
__all__ = [
    "RISK_LEVELS",
    "LEVEL_LABELS",
    "RISK_FRAMEWORK_NOTES",
    "RISK_FACTORS",
    "AGE_CAPACITY_BANDS",
    "RISK_INFLUENCES",
    "SIGN_KINDS",
    "SEXUAL_ABUSE_GROUPS",
    "SEXUAL_MANIFESTATIONS_INTRO",
    "ABUSE_CATEGORIES",
    "OTHER_ABUSE_NOTE",
    "WELLBEING_INDICATORS",
    "WELLBEING_STATUSES",
    "MILESTONES_NOTE",
    "MILESTONE_BANDS",
    "ASSESSMENT_PURPOSES",
    "ASSESSMENT_TIMESCALE",
    "ASSESSMENT_STEPS",
    "ASSESSMENT_METHODS",
    "ASSESSMENT_NOTE",
    "AGENCIES",
    "MEETING_KINDS",
    "MEETING_STATUSES",
    "INVITATION_ANSWERS",
    "TIMESCALES",
    "TIMESCALE_EVENTS",
    "CMR_PROCESS",
    "CMR_AGENDA",
    "MINUTES_SECTIONS",
    "CLOSURE_FORM_SECTIONS",
    "CARE_PLAN_PURPOSES",
    "CARE_PLAN_TERMS",
    "ACTION_STATUSES",
    "CLOSURE_REASONS",
    "CLOSURE_PROCEDURE",
    "CONFIDENTIALITY_RULES",
    "CONSENT_VALUES",
    "SEX",
    "DISABILITY",
]
CONTENT_NAMES = tuple(__all__)
# A case code as the exchange format admits it (the model, the report parameters and the
# batch's case lists check it here; kept out of the model, which costs pydantic).
CASE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
# The three levels, lowest first (every ordering and choice of levels comes from here).
LEVELS = tuple(RISK_LEVELS)
# How a level is shown wherever a colour marks it (charts, banners, the trainer kit):
# green, amber, red; "not known" (history only) grey.
LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#d97706", "high": "#c62828",
                 "not_known": "#7b8794"}
__all__ += [
    "CONTENT_NAMES",
    "LEVELS",  # not text: the level keys in order, and their colours
    "LEVEL_COLOURS",
    "LABEL_KINDS",
    "agency_keys",
    "all_messages",
    "descriptor",
    "factor",
    "factor_keys",
    "indicator_keys",
    "item_label",
    "label",
    "milestone_band",
]

# --- indexes (built once from the content) ----------------------------------

_FACTORS: dict[str, dict[str, Any]] = {f["key"]: f for f in RISK_FACTORS}

_INFLUENCES: dict[str, str] = {
    item["key"]: item["label"] for column in RISK_INFLUENCES.values() for item in column["items"]
}
_MANIFESTATIONS: dict[str, str] = {
    item["key"]: item["label"]
    for category in ABUSE_CATEGORIES.values()
    for item in category["manifestations"]
}
_SIGNS: dict[str, str] = {
    item["key"]: item["label"]
    for category in ABUSE_CATEGORIES.values()
    for items in category["signs"].values()
    for item in items
}
_MILESTONES: dict[str, str] = {
    item["key"]: item["label"] for band in MILESTONE_BANDS for item in band["milestones"]
}

# kind -> {key: English label}, for :func:`label`.
LABEL_KINDS: dict[str, dict[str, str]] = {
    "level": LEVEL_LABELS,
    "factor": {key: f["label"] for key, f in _FACTORS.items()},
    "indicator": {key: i["label"] for key, i in WELLBEING_INDICATORS.items()},
    "status": WELLBEING_STATUSES,
    "agency": {key: a["label"] for key, a in AGENCIES.items()},
    "closure_reason": CLOSURE_REASONS,
    "meeting_kind": MEETING_KINDS,
    "meeting_status": MEETING_STATUSES,
    "invitation_answer": INVITATION_ANSWERS,
    "timescale_event": TIMESCALE_EVENTS,
    "abuse_category": {key: c["label"] for key, c in ABUSE_CATEGORIES.items()},
    "term": CARE_PLAN_TERMS,
    "action_status": ACTION_STATUSES,
    "consent": CONSENT_VALUES,
    "sex": SEX,
    "disability": DISABILITY,
    "influence": _INFLUENCES,
    "manifestation": _MANIFESTATIONS,
    "sign": _SIGNS,
    "milestone": _MILESTONES,
}

# Every protocol item key a free-or-key string field may hold (influences,
# manifestations, signs, milestones); the keys are unique across these lists.
_ITEMS: dict[str, str] = {**_INFLUENCES, **_MANIFESTATIONS, **_SIGNS, **_MILESTONES}

# Fields of the content whose string values are keys or codes, not messages.
_KEY_FIELDS = frozenset({"key", "group", "level", "kind", "unit", "direction", "event"})


# --- accessors ----------------------------------------------------------------


def factor_keys() -> list[str]:
    """The eleven risk factor keys, in the protocol's order."""
    return [f["key"] for f in RISK_FACTORS]


def factor(key: str) -> dict[str, Any]:
    """The risk factor ``key`` (``label``, ``descriptors``, ``allows_not_known``).

    Raises ``KeyError`` naming the known keys when ``key`` is not a factor.
    """
    try:
        return _FACTORS[key]
    except KeyError:
        raise KeyError(f"{key!r} is not a risk factor; known: {', '.join(_FACTORS)}") from None


def descriptor(factor_key: str, level: str, lang: str | None = None) -> str:
    """The protocol's descriptor of ``factor_key`` at ``level``, translated into ``lang``.

    ``level`` is ``low``, ``medium`` or ``high``; ``not_known`` (only where the factor
    allows it, i.e. ``abuse_history``) gives the translated "Not known".  Raises
    ``KeyError`` for an unknown factor and ``ValueError`` for a level the factor does not
    take.
    """
    f = factor(factor_key)
    if level == "not_known" and f["allows_not_known"]:
        return gettext(LEVEL_LABELS["not_known"], lang)
    try:
        text = f["descriptors"][level]
    except KeyError:
        allowed = [*f["descriptors"], *(["not_known"] if f["allows_not_known"] else [])]
        raise ValueError(f"{level!r} is not one of {', '.join(allowed)} for {factor_key}") from None
    return gettext(text, lang)


def label(kind: str, key: str, lang: str | None = None) -> str:
    """The translated label of ``key`` in the enumeration ``kind``.

    Kinds: ``level``, ``factor``, ``indicator``, ``status``, ``agency``,
    ``closure_reason``, ``meeting_kind``, ``abuse_category``, ``term``,
    ``action_status``, ``consent``, ``sex``, ``disability``, ``influence`` (any nature of
    risk, vulnerability or protective influence item), ``manifestation``, ``sign`` and
    ``milestone``.  Raises ``KeyError`` for an unknown kind or key.
    """
    try:
        labels = LABEL_KINDS[kind]
    except KeyError:
        raise KeyError(f"{kind!r} is not a label kind; known: {', '.join(LABEL_KINDS)}") from None
    try:
        return gettext(labels[key], lang)
    except KeyError:
        raise KeyError(f"{key!r} is not a {kind} key; known: {', '.join(labels)}") from None


def item_label(key_or_text: str, lang: str | None = None) -> str:
    """The translated label of a protocol item key, else ``key_or_text`` unchanged.

    For fields that take protocol keys or free text (``nature_of_risk``,
    ``vulnerabilities``, ``protective_influences``, ``manifestations``, ``signs``,
    ``milestones_concerns``): a key of an influence, manifestation, sign or milestone
    shows as its label; anything else is the worker's own text and is shown as written.
    """
    text = _ITEMS.get(key_or_text)
    return key_or_text if text is None else gettext(text, lang)


def agency_keys() -> list[str]:
    """The agency keys of the exchange format, in its order."""
    return list(AGENCIES)


def indicator_keys() -> list[str]:
    """The five wellbeing indicator keys: safety, health, achievement, nurture, inclusion."""
    return list(WELLBEING_INDICATORS)


def milestone_band(age_years: int) -> dict[str, Any]:
    """The developmental milestone band (Appendix 4) for a child aged ``age_years``.

    Ages of 18 and over fall in the last band (adolescence); a negative age raises
    ``ValueError``.
    """
    if age_years < 0:
        raise ValueError(f"age must not be negative, got {age_years}")
    for band in MILESTONE_BANDS:
        if band["min_age"] <= age_years < band["max_age"]:
            return band
    return MILESTONE_BANDS[-1]


def all_messages() -> list[str]:
    """Every translatable string of the content, once each, in content order.

    Walks the public content structures and keeps every string except dict keys and the
    values of ``key``-like fields (``key``, ``group``, ``level``).  Used to check that a
    translation catalog covers the protocol.
    """
    seen: dict[str, None] = {}

    def walk(value: Any, field: str | None = None) -> None:
        if isinstance(value, str):
            if field not in _KEY_FIELDS:
                seen.setdefault(value, None)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, key)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, field)

    for name in CONTENT_NAMES:
        walk(getattr(content, name))
    return list(seen)
