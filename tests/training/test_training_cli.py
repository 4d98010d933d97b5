"""`cpkit training ...`: list, answer key (HTML and PDF), sessions; and `cpkit demo`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cpkit.training import cases, session
from cpkit.training.checker import TraineeAnswer

CPKIT = Path(sys.executable).parent / "cpkit"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(CPKIT), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_list_shows_every_case_with_its_reference_level():
    done = run("training", "list")
    assert done.returncode == 0, done.stderr
    for tc in cases.load_all():
        assert tc.code in done.stdout
    assert "Low risk" in done.stdout and "High risk" in done.stdout


def test_answer_key_html(tmp_path):
    done = run("training", "answer-key", "TR-2026-0003", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "answer-key-TR-2026-0003.html").read_text(encoding="utf-8")
    assert "Answer key" in page and "TR-2026-0003" in page
    assert "Child age 5-9" in page  # the protocol's descriptor of the reference level
    assert "What happened next" in page  # the case followed to closure
    assert "training_case = cases.load" not in page  # code cells are left out


def test_answer_key_in_albanian_shows_the_answer_in_albanian(tmp_path):
    """The key's kernel runs in the asked language: headings, the reference answer's
    reasons, care plan, closure and what happened next, with no English text of it left."""
    import html

    from cpkit.i18n import gettext
    from cpkit.i18n.markdown import blocks
    from cpkit.training import answer_text

    done = run("training", "answer-key", "TR-2026-0003", "--lang", "sq", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = html.unescape((tmp_path / "answer-key-TR-2026-0003.html").read_text(encoding="utf-8"))
    sq = cases.load("TR-2026-0003", "sq").reference
    assert gettext("Model care plan", "sq") in page and "Model care plan" not in page
    assert sq.reasons["caregiver_capacity"] in page
    assert sq.actions[0]["contingency"] in page and sq.closure["family_views"] in page
    assert "Babai dhe njerka e përfunduan programin për prindërim në mars." in page
    english = json.loads((cases.CASES_DIR / "TR-2026-0003.answer.json").read_text("utf-8"))
    shown = [t for path, text in answer_text.texts(english)
             for t in ([b.replace("**", "") for _l, b in blocks(text)]
                       if path in answer_text.MARKDOWN_PATHS else [text])
             if len(t.split()) >= 4]
    assert not [t for t in shown if t in page]


def test_answer_key_pdf(tmp_path):
    out = tmp_path / "key.pdf"
    done = run("training", "answer-key", "TR-2026-0005", "--format", "pdf", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Answer key" in text and "TR-2026-0005" in text
    assert "Not known" in text and "unaccompanied" in text.lower()


@pytest.mark.parametrize("args", [("answer-key", "TR-2026-9999"),
                                  ("answer-key", "TR-2026-0001", "--format", "doc"),
                                  ("session", "show", "../etc")])
def test_bad_input_exits_2_without_traceback(args):
    done = run("training", *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_session_list_and_show():
    tc = cases.load("TR-2026-0004")
    for name, level in [("Ana", "low"), ("Besa", "low"), ("Marko", "medium")]:
        session.submit("class-3", name, tc.code,
                       TraineeAnswer({**tc.reference.factors, "family_stress": level}))
    listed = run("training", "session", "list")
    assert listed.returncode == 0 and "class-3" in listed.stdout
    shown = run("training", "session", "show", "class-3")
    assert shown.returncode == 0, shown.stderr
    assert "3 trainee(s), 3 answer(s)" in shown.stdout
    assert "Fleiss' kappa over all factors:" in shown.stdout
    assert "Most disagreement: Family stress" in shown.stdout


def test_demo_seeds_training_cases_apart_from_the_live_caseload(store):
    from cpkit.demo import seed_store

    codes = seed_store(store, count=4)
    assert set(cases.codes()) <= set(codes)
    live = {row["case_id"] for row in store.summaries(training=False)}
    training = {row["case_id"] for row in store.summaries(training=True)}
    assert training == set(cases.codes())
    assert not live & training
    stored = store.get("TR-2026-0003").case
    assert stored.training and stored.closure is not None
    assert stored.assessment.risk_factors.assessed() == cases.load("TR-2026-0003").reference.factors
    seed_store(store, count=4)  # seeding again replaces, never duplicates
    assert {r["case_id"] for r in store.summaries(training=True)} == training
