"""The protocol content: shape, keys matching case-format.md, and the accessors."""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

import cpkit.protocol as protocol
from cpkit.protocol import content

REPO = Path(__file__).resolve().parents[2]
# Content fields whose values are keys or codes, not messages (timescale rows too).
KEY_FIELDS = {"key", "group", "level", "kind", "unit", "direction", "event"}

# Copied from case-format.md (the exchange format is the contract).
FACTOR_KEYS = [
    "child_age_capacity",
    "abuse_severity",
    "site_of_injury",
    "neglect_severity",
    "abuse_history",
    "abuser_access",
    "caregiver_capacity",
    "other_carers",
    "support_systems",
    "living_environment",
    "family_stress",
]
AGENCY_KEYS = [
    "csw",
    "dhsw",
    "education",
    "school_psychologist",
    "probation",
    "victim_advocate",
    "police_community",
    "police_trafficking",
    "police_domestic_violence",
    "family_medicine",
    "mental_health",
    "community_office",
    "residential_institution",
    "ngo",
    "child_rights_officer",
    "other",
]
ENUMS = {
    "WELLBEING_STATUSES": ["met", "partly_met", "not_met", "not_assessed"],
    "CLOSURE_REASONS": ["over_18", "risk_reduced", "removed_no_return", "moved", "died"],
    "MEETING_KINDS": ["initial", "review", "closure", "extraordinary"],
    "CARE_PLAN_TERMS": ["short", "medium", "long"],
    "ACTION_STATUSES": ["planned", "in_progress", "done", "not_done", "cancelled"],
    "CONSENT_VALUES": ["given", "refused", "not_sought", "not_applicable"],
    "SEX": ["female", "male", "other", "unknown"],
    "DISABILITY": ["none", "mild", "moderate", "severe"],
}


def _item_keys() -> list[str]:
    keys = [i["key"] for col in content.RISK_INFLUENCES.values() for i in col["items"]]
    for category in content.ABUSE_CATEGORIES.values():
        keys += [i["key"] for i in category["manifestations"]]
        keys += [i["key"] for items in category["signs"].values() for i in items]
    keys += [m["key"] for band in content.MILESTONE_BANDS for m in band["milestones"]]
    return keys


def test_risk_factors_in_case_format_order() -> None:
    assert protocol.factor_keys() == FACTOR_KEYS
    assert [f["key"] for f in content.RISK_FACTORS] == FACTOR_KEYS


def test_every_factor_has_three_descriptors() -> None:
    for f in content.RISK_FACTORS:
        assert list(f["descriptors"]) == ["low", "medium", "high"], f["key"]
        assert all(text.strip() for text in f["descriptors"].values()), f["key"]
        assert f["label"].strip()


def test_only_abuse_history_allows_not_known() -> None:
    allowing = [f["key"] for f in content.RISK_FACTORS if f["allows_not_known"]]
    assert allowing == ["abuse_history"]


def test_levels() -> None:
    assert list(content.RISK_LEVELS) == ["low", "medium", "high"]
    assert set(content.LEVEL_LABELS) == {"none", "low", "medium", "high", "not_known"}
    assert content.LEVEL_LABELS["not_known"] == "Not known"


def test_age_capacity_bands_follow_descriptors() -> None:
    bands = content.AGE_CAPACITY_BANDS
    assert [b["level"] for b in bands] == ["high", "medium", "low"]
    assert [b["max_age_inclusive"] for b in bands] == [5, 9, None]


def test_agencies_match_case_format() -> None:
    assert protocol.agency_keys() == AGENCY_KEYS
    for key, agency in content.AGENCIES.items():
        assert set(agency) == {"label", "representative", "role"}, key


def test_indicators_and_enumerations() -> None:
    assert protocol.indicator_keys() == ["safety", "health", "achievement", "nurture", "inclusion"]
    for name, keys in ENUMS.items():
        assert list(getattr(content, name)) == keys, name
    assert len(content.CLOSURE_REASONS) == 5


def test_abuse_categories() -> None:
    assert list(content.ABUSE_CATEGORIES) == ["physical", "sexual", "emotional", "neglect"]
    for key, category in content.ABUSE_CATEGORIES.items():
        assert category["manifestations"], key
        assert list(category["signs"]) == list(content.SIGN_KINDS), key
        assert all(category["signs"].values()), key
    groups = {m.get("group") for m in content.ABUSE_CATEGORIES["sexual"]["manifestations"]}
    assert groups == set(content.SEXUAL_ABUSE_GROUPS)


def test_item_keys_unique_and_snake_case() -> None:
    keys = _item_keys()
    assert len(keys) == len(set(keys))
    for key in keys:
        assert key == key.lower() and " " not in key and "-" not in key, key


def test_item_key_prefixes() -> None:
    for cat_key, category in content.ABUSE_CATEGORIES.items():
        for item in category["manifestations"]:
            assert item["key"].startswith(f"{cat_key}_")
        for kind, items in category["signs"].items():
            for item in items:
                assert item["key"].startswith(f"{cat_key}_{kind}_")
    for band in content.MILESTONE_BANDS:
        for item in band["milestones"]:
            assert item["key"].startswith(f"{band['key']}_")


def test_risk_influences() -> None:
    assert list(content.RISK_INFLUENCES) == [
        "nature_of_risk",
        "vulnerabilities",
        "protective_influences",
    ]
    sizes = [len(col["items"]) for col in content.RISK_INFLUENCES.values()]
    assert sizes == [9, 11, 8]


def test_milestone_bands() -> None:
    bands = content.MILESTONE_BANDS
    assert [b["key"] for b in bands] == [
        "infancy",
        "early_childhood",
        "middle_childhood",
        "adolescence",
    ]
    assert bands[0]["min_age"] == 0 and bands[-1]["max_age"] == 18
    for previous, band in itertools.pairwise(bands):
        assert previous["max_age"] == band["min_age"]
    assert protocol.milestone_band(0)["key"] == "infancy"
    assert protocol.milestone_band(3)["key"] == "early_childhood"
    assert protocol.milestone_band(12)["key"] == "middle_childhood"
    assert protocol.milestone_band(13)["key"] == "adolescence"
    assert protocol.milestone_band(18)["key"] == "adolescence"
    with pytest.raises(ValueError):
        protocol.milestone_band(-1)


def test_cmr_process_and_forms() -> None:
    assert list(content.CMR_PROCESS) == ["before", "during", "after"]
    assert len(content.CMR_PROCESS["during"]) == 10
    assert [a["key"] for a in content.CMR_AGENDA] == [
        "assessment_of_situation",
        "case_presentation",
        "other",
        "next_meeting",
    ]
    assert [s["key"] for s in content.MINUTES_SECTIONS] == [
        "client",
        "referred_by",
        "risk",
        "meeting_date",
        "assessment",
        "actions_case_manager",
        "description",
        "action_plan",
        "review",
        "participants",
    ]
    assert [s["key"] for s in content.CLOSURE_FORM_SECTIONS] == [
        "closure_date",
        "responsible",
        "participants",
        "reason",
        "views",
    ]
    assert [s["key"] for s in content.ASSESSMENT_STEPS] == [
        "planning",
        "gathering",
        "verifying",
        "analysis",
    ]
    assert len(content.ASSESSMENT_PURPOSES) == 3
    assert len(content.CARE_PLAN_PURPOSES) == 3


def test_every_message_is_non_empty() -> None:
    messages = protocol.all_messages()
    assert len(messages) > 300
    for message in messages:
        assert message.strip() == message and message, repr(message)


def _n_calls_and_stray_strings() -> tuple[set[str], list[str]]:
    """The N_ literals of content.py, and string literals that are neither N_ nor keys."""
    tree = ast.parse((REPO / "cpkit" / "protocol" / "content.py").read_text("utf-8"))
    allowed: set[int] = set()
    messages: set[str] = set()
    if tree.body and isinstance(tree.body[0], ast.Expr):  # the module docstring
        allowed.add(id(tree.body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
            (arg,) = node.args
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            messages.add(arg.value)
            allowed.add(id(arg))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                allowed.add(id(key))
                if isinstance(key, ast.Constant) and key.value in KEY_FIELDS:
                    allowed.add(id(value))
    stray = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in allowed
    ]
    return messages, stray


def test_every_user_facing_string_is_marked() -> None:
    messages, stray = _n_calls_and_stray_strings()
    assert stray == []
    assert set(protocol.all_messages()) == messages


def test_descriptor() -> None:
    assert protocol.descriptor("site_of_injury", "medium") == "Torso"
    assert protocol.descriptor("site_of_injury", "high", lang="en").startswith("Head")
    assert protocol.descriptor("abuse_history", "not_known") == "Not known"
    with pytest.raises(ValueError):
        protocol.descriptor("site_of_injury", "not_known")
    with pytest.raises(ValueError):
        protocol.descriptor("site_of_injury", "severe")
    with pytest.raises(KeyError):
        protocol.descriptor("no_such_factor", "low")


def test_factor() -> None:
    assert protocol.factor("abuse_history")["allows_not_known"] is True
    with pytest.raises(KeyError):
        protocol.factor("nope")


def test_label() -> None:
    assert protocol.label("level", "none") == "No risk"
    assert protocol.label("factor", "site_of_injury") == "Site of injury"
    assert protocol.label("indicator", "nurture") == "Nurture"
    assert protocol.label("status", "partly_met") == "Partly met"
    assert protocol.label("agency", "csw") == "Center for Social Work"
    assert protocol.label("closure_reason", "moved") == "If the child moves"
    assert protocol.label("meeting_kind", "review")
    assert protocol.label("abuse_category", "neglect") == "Neglect"
    assert protocol.label("term", "long") == "Long term"
    assert protocol.label("action_status", "in_progress") == "In progress"
    assert protocol.label("consent", "not_sought") == "Not sought"
    assert protocol.label("sex", "unknown") == "Unknown"
    assert protocol.label("disability", "severe") == "Severe"
    assert protocol.label("influence", "vulnerability_self_harm") == "Self-harm"
    assert protocol.label("manifestation", "physical_smacking") == "Smacking"
    assert protocol.label("sign", "sexual_physical_pregnancy") == "Pregnancy"
    assert protocol.label("milestone", "infancy_babbling") == "Babbling"
    with pytest.raises(KeyError):
        protocol.label("colour", "red")
    with pytest.raises(KeyError):
        protocol.label("sex", "n/a")


def test_every_label_kind_resolves_every_key() -> None:
    for kind, labels in protocol.LABEL_KINDS.items():
        for key in labels:
            assert protocol.label(kind, key), (kind, key)


def test_item_label() -> None:
    assert protocol.item_label("nature_domestic_abuse") == "Domestic abuse"
    assert protocol.item_label("neglect_physical_hard_labour") == "Hard labour"
    assert protocol.item_label("Father drinks at weekends") == "Father drinks at weekends"


def test_reexports() -> None:
    for name in protocol.CONTENT_NAMES:
        assert getattr(protocol, name) is getattr(content, name)
    public = {n for n in dir(content) if n.isupper() and n != "N_"}
    assert public == set(protocol.CONTENT_NAMES)


def test_imports_nothing_from_jupyter_or_the_database() -> None:
    code = (
        "import sys, cpkit.protocol\n"
        "banned = ('ipywidgets', 'IPython', 'sqlalchemy', 'nbformat', 'voila')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
