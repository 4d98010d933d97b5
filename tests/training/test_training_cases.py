"""The worked cases: valid, fictional, training-only, and covering what the issue asks."""

from __future__ import annotations

import json

import pytest

from cpkit import exchange, protocol
from cpkit.rules.risk import case_risk
from cpkit.training import cases
from cpkit.training.cases import CASES_DIR

CODES = cases.codes()


def test_at_least_six_cases_with_training_codes():
    assert len(CODES) >= 6
    assert all(code.startswith("TR-2026-") for code in CODES)


@pytest.mark.parametrize("code", CODES)
def test_case_file_is_a_clean_training_document(code):
    document = json.loads((CASES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    assert document["training"] is True
    assert document["case_id"] == code
    # the reference answer lives in its own file, not in the case
    assert not {k for k in document if k.startswith("x_")}
    assert not document.get("assessment", {}).get("risk_factors")
    case = exchange.load_case(document)
    assert case.to_document() == document


@pytest.mark.parametrize("code", CODES)
def test_reference_rates_every_factor_with_a_reason_and_a_descriptor(code):
    ref = cases.load(code).reference
    assert list(ref.factors) == protocol.factor_keys()
    for key, level in ref.factors.items():
        assert ref.reasons[key].strip(), key
        assert protocol.descriptor(key, level)
    assert set(ref.wellbeing) == set(protocol.indicator_keys())
    assert ref.needs and ref.actions and ref.cmr_decision


@pytest.mark.parametrize("code", CODES)
def test_model_care_plan_names_agency_and_contingency_for_every_action(code):
    for action in cases.load(code).reference.actions:
        assert action["responsible_agency"] in protocol.agency_keys()
        assert action["contingency"].strip()
        assert action["indicator"] in protocol.indicator_keys()


@pytest.mark.parametrize("code", CODES)
def test_cmr_decision_follows_the_reference_level(code):
    tc = cases.load(code)
    assert tc.reference.cmr_required == tc.overall().cmr_required


@pytest.mark.parametrize("code", CODES)
def test_worked_case_is_valid_and_stays_training(code):
    worked = cases.worked_case(code)
    assert worked.training is True
    assert case_risk(worked).level == cases.load(code).overall().level
    # the whole worked case passes the format and the protocol's rules again
    exchange.load_case(worked.to_document())


def test_cases_cover_the_issue():
    loaded = cases.load_all()
    categories = {c for tc in loaded for c in tc.case.referral.abuse_categories}
    assert categories >= {"physical", "sexual", "emotional", "neglect"}
    assert {tc.overall().level for tc in loaded} >= {"low", "medium", "high"}
    assert any(tc.case.child.unaccompanied for tc in loaded)
    probation = [tc for tc in loaded if tc.case.child.in_conflict_with_law]
    assert probation and "probation" in probation[0].case.agencies_involved
    # trafficking or exploitation: the protocol's top descriptor of family stress
    assert any(tc.reference.factors["family_stress"] == "high"
               and "traffick" in tc.reference.reasons["family_stress"] for tc in loaded)
    closed = [cases.worked_case(tc.code) for tc in loaded if tc.reference.closure]
    assert closed and closed[0].closure is not None
    assert any(m.kind == "closure" for m in closed[0].meetings)


@pytest.mark.parametrize("code", CODES)
def test_each_case_has_a_story_and_a_notebook(code):
    tc = cases.load(code)
    for part in ("## Referral", "## What the agencies know", "## Home visit"):
        assert part in tc.story
    assert (CASES_DIR.parents[2] / "notebooks" / "training" / f"{code}.ipynb").exists()


def test_file_names_carry_codes_not_children():
    given = {cases.load(code).case.child.given_name.casefold() for code in CODES}
    for path in CASES_DIR.iterdir():
        assert not any(name in path.name.casefold() for name in given)


def test_unknown_code_is_refused():
    from cpkit.errors import BadInput

    with pytest.raises(BadInput, match="not a training case"):
        cases.load("TR-2026-9999")


def test_load_gives_a_copy_safe_to_edit():
    first = cases.load(CODES[0])
    first.case.assessment.risk_factors.site_of_injury = "high"
    assert cases.load(CODES[0]).case.assessment.risk_factors.site_of_injury is None


@pytest.mark.parametrize("lang", ["sq", "sr", "sr-Cyrl"])
def test_every_story_title_and_topic_is_translated(lang):
    """The trainee reads the case in the kit's language: no block of a story, no title
    and no topic stays English (the catalogs translate them like the protocol)."""
    from cpkit.i18n.markdown import blocks

    for code in cases.codes():
        english, shown = cases.load(code, "en"), cases.load(code, lang)
        left = [text for _lead, text in blocks(english.story) if text in shown.story]
        assert not left, (code, lang, left)
        assert shown.title != english.title
        assert not set(shown.reference.teaches) & set(english.reference.teaches)
        # the story keeps its shape: the same headings and list items, in order
        assert [lead for lead, _t in blocks(shown.story)] == \
            [lead for lead, _t in blocks(english.story)]


def test_the_english_story_comes_back_as_written():
    from cpkit.i18n.markdown import blocks

    for tc in cases.load_all():
        source = (cases.CASES_DIR / f"{tc.code}.story.md").read_text(encoding="utf-8")
        assert blocks(cases.load(tc.code, "en").story) == blocks(source)
