"""The checker: agreement per factor, the overall level recomputed, the care plan gaps."""

from __future__ import annotations

import pytest

from cpkit import protocol
from cpkit.training import cases
from cpkit.training.checker import TraineeAnswer, check, reference_answer
from cpkit.training.feedback import feedback_html, feedback_sheet


@pytest.mark.parametrize("code", cases.codes())
def test_fully_correct_answer_scores_full_agreement(code):
    tc = cases.load(code)
    result = check(tc, reference_answer(tc))
    assert result.agreed == 11
    assert result.wrong_factors == []
    assert result.overall_agrees and result.cmr_agrees
    assert result.care_plan.complete
    assert result.full_agreement


def test_single_wrong_factor_is_named_with_the_reference_and_the_reason():
    tc = cases.load("TR-2026-0001")
    answer = reference_answer(tc)
    answer.factors["site_of_injury"] = "low"
    result = check(tc, answer)
    assert result.agreed == 10 and not result.full_agreement
    [wrong] = result.wrong_factors
    assert (wrong.factor, wrong.given, wrong.reference) == ("site_of_injury", "low", "high")
    assert wrong.reason == tc.reference.reasons["site_of_injury"]
    assert wrong.descriptor == protocol.descriptor("site_of_injury", "high")
    html = feedback_html(result)
    row = html.split("class='factor-site_of_injury'>")[1].split("</tr>")[0]
    assert "Low risk" in row and "High risk" in row and "differs" in row
    assert "Head, face, or reproductive organs" in row
    assert "face and above the eye" in row
    assert html.count("differs") == 1


def test_overall_is_recomputed_from_the_trainees_levels():
    tc = cases.load("TR-2026-0003")  # reference: medium
    answer = reference_answer(tc)
    answer.factors["family_stress"] = "high"
    result = check(tc, answer)
    assert result.overall.level == "high"
    assert result.overall.reasons == ("family_stress",)
    assert result.reference_overall.level == "medium"
    assert not result.overall_agrees and result.cmr_agrees

    low = {key: "low" for key in protocol.factor_keys()}
    result = check(tc, TraineeAnswer(low))
    assert result.overall.level == "low" and not result.overall.cmr_required
    assert not result.cmr_agrees
    assert "CMR required from your ratings: no; reference: yes." in feedback_html(result)


def test_unaccompanied_child_is_high_whatever_the_trainee_rates():
    tc = cases.load("TR-2026-0005")
    result = check(tc, TraineeAnswer({key: "low" for key in protocol.factor_keys()}))
    assert result.overall.level == "high"
    assert result.overall.reasons == ("unaccompanied",)
    assert result.agreed == 0


def test_unrated_and_impossible_levels_do_not_count():
    tc = cases.load("TR-2026-0004")
    result = check(tc, TraineeAnswer({"site_of_injury": "not_known", "family_stress": "low"}))
    assert result.overall.assessed == 1 and not result.overall.complete
    assert [f.factor for f in result.factors if f.agrees] == ["family_stress"]
    assert "You rated 1 of 11 factors" in feedback_html(result)


def test_care_plan_gaps_are_named():
    tc = cases.load("TR-2026-0001")
    actions = [
        {"need": "Safe from being hit", "indicator": "safety", "action": "Stay with grandmother",
         "responsible_agency": "csw"},
        {"need": "Medical care", "indicator": "health", "action": "Check-up",
         "contingency": "Case manager takes him"},
    ]
    cp = check(tc, TraineeAnswer(dict(tc.reference.factors), actions=actions)).care_plan
    assert cp.actions == 2
    assert cp.missing_contingency == (1,)
    assert cp.missing_agency == (2,)
    missing = {m.indicator for m in cp.missing_needs}
    assert missing == {"nurture", "achievement"}
    assert "police_domestic_violence" in cp.agencies_not_used
    assert not cp.complete


def test_feedback_sheet_is_a_page_naming_the_case_code():
    tc = cases.load("TR-2026-0002")
    sheet = feedback_sheet(check(tc, reference_answer(tc)), tc.title, "Trainee <b>")
    assert sheet.startswith("<!DOCTYPE html>") and "TR-2026-0002" in sheet
    assert "Trainee &lt;b&gt;" in sheet and "<b>" not in sheet.split("<body>")[1][:200]


@pytest.mark.rule("care_plan.agreed_actions_complete", "refuses")
@pytest.mark.parametrize("code", cases.codes())
def test_the_checker_and_the_rule_give_the_same_care_plan_verdict(code):
    """"Plan should be developed and agreed, identifying key actions and responsibilities
    and timeframes ... contingency arrangements": the trainer kit's checker names the
    same gaps as the rule that refuses an agreed plan, and the model plan has none."""
    from cpkit.model import Case
    from cpkit.rules.registry import all_rules

    tc = cases.load(code)
    answer = reference_answer(tc)
    answer.actions[0].pop("contingency", None)
    answer.actions[-1].update(term=None, due=None)
    result = check(tc, answer).care_plan
    plan = Case.model_validate({**tc.case.to_document(), "care_plan": {
        "agreed_on": tc.case.referral.date.isoformat(), "actions": answer.actions}})
    rule = all_rules()["care_plan.agreed_actions_complete"]
    refused = {(int(p.path.split("[")[1].split("]")[0]) + 1, p.path.rsplit(".", 1)[1])
               for p in rule.function(plan)}
    checked = ({(n, "contingency") for n in result.missing_contingency}
               | {(n, "responsible_agency") for n in result.missing_agency}
               | {(n, "term") for n in result.missing_timeframe})
    assert checked == refused and (1, "contingency") in refused
    assert (len(answer.actions), "term") in refused
    model = Case.model_validate({**tc.case.to_document(), "care_plan": {
        "agreed_on": tc.case.referral.date.isoformat(), "actions": tc.reference.actions}})
    assert list(rule.function(model)) == []


def test_feedback_in_albanian_gives_the_translated_reason():
    from cpkit.i18n import set_lang
    from cpkit.markup import esc

    set_lang("sq")
    try:
        tc = cases.load("TR-2026-0001")
        answer = reference_answer(tc)
        answer.factors["site_of_injury"] = "low"
        html = feedback_html(check(tc, answer))
    finally:
        set_lang(None)
    english = cases.load("TR-2026-0001", "en").reference
    reason = tc.reference.reasons["site_of_injury"]
    assert reason != english.reasons["site_of_injury"]
    row = html.split("class='factor-site_of_injury'>")[1].split("</tr>")[0]
    assert esc(reason) in row and "face and above the eye" not in row
    assert esc(tc.reference.cmr_decision) in html and esc(english.cmr_decision) not in html
