"""The exercise and trainer widgets, driven as a browser would (values set, buttons clicked)."""

from __future__ import annotations

from cpkit import protocol
from cpkit.forms.fields import esc
from cpkit.training import cases, session
from cpkit.training.checker import TraineeAnswer, reference_answer
from cpkit.training.widgets import Exercise, SessionView, cases_index_html, factor_options


def test_factor_options_carry_the_protocols_descriptors():
    options = dict((value, text) for text, value in factor_options("abuse_history"))
    assert options["high"].endswith(protocol.descriptor("abuse_history", "high"))
    assert options["not_known"] == "Not known"


def test_rating_and_checking_an_exercise():
    tc = cases.load("TR-2026-0001")
    exercise = Exercise(tc, session_name="class-1")
    assert "rate the factors" in exercise.risk.banner.value
    for key, level in tc.reference.factors.items():
        exercise.risk.radios[key].value = level
    exercise.risk.radios["site_of_injury"].value = "medium"
    assert "High risk" in exercise.risk.banner.value and "11 of 11" in exercise.risk.banner.value
    exercise.check_button.click()
    assert exercise.result is not None and exercise.result.agreed == 10
    assert "you agree with the reference on 10 of 11" in exercise.feedback.value
    assert "Head, face, or reproductive organs" in exercise.feedback.value
    assert "download='feedback-TR-2026-0001.html'" in exercise.sheet_link.value


def test_care_plan_rows_and_full_answer_round_trip():
    tc = cases.load("TR-2026-0006")
    exercise = Exercise(tc)
    exercise.set_answer(reference_answer(tc))
    assert len(exercise.care_plan.rows) == len(tc.reference.actions)
    exercise.care_plan.rows[0].widget.children[-1].click()  # remove the first action
    assert len(exercise.care_plan.rows) == len(tc.reference.actions) - 1
    result = exercise.check()
    assert [m.indicator for m in result.care_plan.missing_needs] == ["safety"]


def test_sending_to_the_session_and_the_trainers_view(cpkit_home):
    tc = cases.load("TR-2026-0002")
    exercise = Exercise(tc, session_name="class-2")
    exercise.submit_button.click()
    assert "name" in exercise.status.value  # no name yet: refused, nothing stored
    assert session.answers("class-2") == []
    for i, level in enumerate(["high", "high", "medium"]):
        exercise.set_answer(TraineeAnswer({**tc.reference.factors, "abuser_access": level}))
        exercise.trainee.value = f"Trainee {i}"
        exercise.submit_button.click()
        assert "Sent to class-2" in exercise.status.value
    view = SessionView("class-2")
    assert view.result.trainees == 3
    assert "Opportunity of abuser to contact the child" in view.summary.value
    assert len(view.charts.children) == 2
    assert all(bytes(img.value).startswith(b"\x89PNG") for img in view.charts.children)
    view.case.value = "TR-2026-0002"
    assert view.result.answers == 3


def test_trainers_view_of_an_empty_session():
    view = SessionView("empty")
    assert "No answers" in view.summary.value and view.charts.children == ()


def test_cases_index_links_every_exercise():
    page = cases_index_html()
    for code in cases.codes():
        assert f"href='{code}.ipynb'" in page


def test_trainees_index_gives_no_answer_away_the_trainers_view_does():
    trainee, trainer = cases_index_html(), cases_index_html(trainer=True)
    for tc in cases.load_all():
        assert esc(tc.title) in trainee and esc(tc.title) in trainer
        assert esc(", ".join(tc.reference.teaches)) not in trainee
        assert esc(", ".join(tc.reference.teaches)) in trainer
    assert "Reference level" not in trainee and "Reference level" in trainer
    for level in ("Low", "Medium", "High"):
        assert f"<td>{level}</td>" not in trainee


def test_the_reference_and_what_a_case_teaches_appear_only_after_check():
    tc = cases.load("TR-2026-0001")
    exercise = Exercise(tc)
    teaches = esc(", ".join(tc.reference.teaches))
    assert teaches not in exercise.feedback.value and "Reference level" not in \
        exercise.feedback.value
    exercise.check()
    assert teaches in exercise.feedback.value
    assert f"Reference level:</b> {protocol.label('level', tc.overall().level)}" in \
        exercise.feedback.value


def test_the_trainers_index_says_what_each_case_teaches_in_the_language():
    from cpkit.i18n import gettext, set_lang

    set_lang("sq")
    try:
        trainer = cases_index_html(trainer=True)
    finally:
        set_lang(None)
    tc = cases.load("TR-2026-0001")
    for topic in tc.reference.teaches:
        assert gettext(topic, "sq") != topic and esc(gettext(topic, "sq")) in trainer
