"""The reference answers' texts: found along one list of paths, translated in every
language, codes, dates and names left as written."""

from __future__ import annotations

import json
import re

import pytest

from cpkit import protocol
from cpkit.i18n.markdown import blocks
from cpkit.training import answer_text, cases
from cpkit.training.cases import CASES_DIR

CODES = cases.codes()
LANGS = ["sq", "sr", "sr-Cyrl"]


def _answer(code: str) -> dict:
    return json.loads((CASES_DIR / f"{code}.answer.json").read_text(encoding="utf-8"))


def _messages(path: str, text: str) -> list[str]:
    """What a translator gets for one text (a Markdown text: one message per block)."""
    return ([b for _lead, b in blocks(text)] if path in answer_text.MARKDOWN_PATHS
            else [text])


def test_the_paths_find_every_text_a_person_reads():
    """Every case's reasons, needs, summary, decision, care plan texts, meetings'
    views and decisions, closure views and follow-up are found; no key, date or name."""
    doc = _answer("TR-2026-0003")  # followed to closure: every kind of text
    found = {path for path, _text in answer_text.texts(doc)}
    for path in ("risk_factors.*.reason", "wellbeing.*.reason", "needs.[]", "summary",
                 "cmr.decision", "care_plan.actions.[].need", "care_plan.actions.[].action",
                 "care_plan.actions.[].contingency", "meetings.[].decisions.[]",
                 "meetings.[].family_views", "meetings.[].child_views",
                 "meetings.[].next_meeting_reason", "closure.child_views",
                 "closure.family_views", "follow_up"):
        assert path in found, path
    texts = [t for _p, t in answer_text.texts(doc)]
    values = set(texts)
    assert not values & {"risk_reduced", "school_psychologist", "high", "medium", "csw",
                         "2026-05-06", "Sw. Fatmir Hoti", "Sw. Arbëresha Dema"}
    assert doc["risk_factors"]["abuse_history"]["reason"] in values
    assert doc["closure"]["reason"] not in values


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", CODES)
def test_every_answer_text_is_translated(code, lang):
    """No English text of the reference answer is left in sq, sr or sr-Cyrl, and no
    protocol key shows instead of a text."""
    english = _answer(code)
    shown = answer_text.translated(english, lang)
    pairs = list(zip(answer_text.texts(english), answer_text.texts(shown), strict=True))
    assert len(pairs) > 25  # the smallest case: 11 reasons, 5 wellbeing, plan, ...
    left = []
    for (path, source), (path2, text) in pairs:
        assert path == path2
        sources = set(_messages(path, source))
        left += [m for m in _messages(path, text) if m in sources]
        assert text.strip() and not re.search(r"\b[a-z]+_[a-z_]+\b", text), (path, text)
    assert not left, (code, lang, left)


@pytest.mark.parametrize("code", CODES)
def test_codes_dates_and_names_stay_as_written(code):
    """Translation touches the texts only: blank them and the documents are equal."""
    english = _answer(code)
    shown = answer_text.translated(english, "sq")

    def blank(doc: dict) -> dict:
        out = answer_text.translated(doc, "en")
        for path in answer_text.ALL_PATHS:
            for container, key in answer_text._places(out, path.split(".")):
                container[key] = "…"
        return out

    assert blank(shown) == blank(english)
    assert english == _answer(code)  # the source is not changed by translating


@pytest.mark.parametrize("lang", LANGS)
def test_load_gives_the_reference_in_the_language(lang):
    """cases.load builds the Reference from the translated answer: every field a page
    shows (reasons, needs, summary, decision, care plan, meetings, closure, follow-up)."""
    for code in CODES:
        en, shown = cases.load(code, "en").reference, cases.load(code, lang).reference
        assert shown.factors == en.factors and shown.wellbeing == en.wellbeing
        for key in protocol.factor_keys():
            assert shown.reasons[key] != en.reasons[key]
        assert not set(shown.needs) & set(en.needs)
        assert shown.summary != en.summary and shown.cmr_decision != en.cmr_decision
        for a, b in zip(shown.actions, en.actions, strict=True):
            assert (a["need"], a["action"], a["contingency"]) != (b["need"], b["action"],
                                                                   b["contingency"])
            assert {k: a[k] for k in ("id", "indicator", "responsible_agency", "term")} == \
                {k: b[k] for k in ("id", "indicator", "responsible_agency", "term")}
        for m, n in zip(shown.meetings, en.meetings, strict=True):
            assert not set(m["decisions"]) & set(n["decisions"])
            assert (m["kind"], m["chair"]) == (n["kind"], n["chair"])
        if en.closure:
            assert shown.closure["reason"] == en.closure["reason"]
            assert shown.closure["child_views"] != en.closure["child_views"]
        if en.follow_up:
            assert [lead for lead, _t in blocks(shown.follow_up)] == \
                [lead for lead, _t in blocks(en.follow_up)]
            assert not {t for _l, t in blocks(shown.follow_up)} & \
                {t for _l, t in blocks(en.follow_up)}


def test_english_load_gives_the_file_as_written():
    for code in CODES:
        ref = cases.load(code, "en").reference
        doc = _answer(code)
        assert ref.reasons == {k: v["reason"] for k, v in doc["risk_factors"].items()}
        assert ref.care_plan == doc["care_plan"]
        assert list(ref.meetings) == doc.get("meetings", [])
        # Markdown comes back block by block (wrapped lines joined: the same rendering)
        assert blocks(ref.follow_up or "") == blocks(doc.get("follow_up") or "")
