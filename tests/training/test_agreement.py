"""Fleiss' kappa against hand-computed examples, and a session's agreement."""

from __future__ import annotations

import pytest

from cpkit.training.agreement import fleiss_kappa, proportions, session_agreement

# Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories.
WIKIPEDIA = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def test_kappa_of_the_wikipedia_worked_example():
    assert fleiss_kappa(WIKIPEDIA) == pytest.approx(0.210, abs=0.0005)
    assert proportions(WIKIPEDIA[1]) == pytest.approx(0.253, abs=0.0005)


def test_kappa_of_a_small_example_by_hand():
    # 3 subjects, 2 raters, 2 categories: [2,0] [0,2] [1,1]
    # P_i = 1, 1, 0 -> P = 2/3; p = (3/6, 3/6) -> Pe = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3
    assert fleiss_kappa([[2, 0], [0, 2], [1, 1]]) == pytest.approx(1 / 3)


def test_perfect_and_degenerate_agreement():
    assert fleiss_kappa([[3, 0], [0, 3]]) == pytest.approx(1.0)
    assert fleiss_kappa([[3, 0], [3, 0]]) is None  # one category only: 0/0
    assert fleiss_kappa([[1, 0]]) is None          # a single rating is no agreement


def _answer(trainee, case, **factors):
    return {"trainee": trainee, "case": case, "factors": factors}


def test_single_case_session_gives_proportions_per_factor_and_kappa_overall():
    answers = [
        _answer("A", "TR-1", site_of_injury="high", family_stress="high"),
        _answer("B", "TR-1", site_of_injury="high", family_stress="medium"),
        _answer("C", "TR-1", site_of_injury="high", family_stress="low"),
    ]
    result = session_agreement(answers)
    assert (result.trainees, result.answers, result.cases) == (3, 3, ("TR-1",))
    by = {f.factor: f for f in result.factors}
    assert by["site_of_injury"].proportion == 1.0
    assert by["family_stress"].proportion == 0.0
    assert by["family_stress"].counts == {"low": 1, "medium": 1, "high": 1, "not_known": 0}
    assert by["site_of_injury"].kappa is None  # one subject: not defined
    assert by["abuse_history"].proportion is None
    # subjects [0,0,3,0] and [1,1,1,0]: P = 1/2; p = (1/6,1/6,4/6) -> Pe = 1/2 -> kappa 0
    assert result.kappa == pytest.approx(0.0)
    assert [f.factor for f in result.most_disagreed()] == ["family_stress"]


def test_per_factor_kappa_over_cases_and_latest_answer_counts():
    answers = [
        _answer("A", "TR-1", abuse_history="high"),
        _answer("B", "TR-1", abuse_history="high"),
        _answer("A", "TR-2", abuse_history="low"),
        _answer("B", "TR-2", abuse_history="high"),
        _answer("b ", "TR-2", abuse_history="low"),  # B answers again: the latest counts
    ]
    result = session_agreement(answers)
    assert result.trainees == 2 and result.answers == 4
    history = next(f for f in result.factors if f.factor == "abuse_history")
    # subjects (cases) [0,0,2,0] and [2,0,0,0]: kappa 1
    assert history.kappa == pytest.approx(1.0)
    assert history.proportion == 1.0
