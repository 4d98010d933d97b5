"""Dates and numbers per language; names exactly as entered."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.i18n import LANGUAGES, set_lang
from cpkit.i18n.formatting import format_date, format_datetime, format_name, format_number
from cpkit.summary_text import case_summary
from tests.conftest import AS_OF, fixture_case

DAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "22 November 2026"),
    ("sq", "22 nëntor 2026"),
    ("sr", "22. novembar 2026."),
    ("sr-Cyrl", "22. новембар 2026."),
])
def test_format_date_long(lang, expected):
    assert format_date(DAY, lang) == expected
    assert format_date("2026-11-22", lang) == expected


def test_format_date_short_and_empty():
    assert format_date(DAY, "sr", "short") == "22. 11. 2026."
    assert format_date(DAY, "sq", "short") == "22.11.26"
    assert format_date(None, "sq") == ""
    assert format_date("", "sr") == ""


def test_format_date_follows_the_current_language(monkeypatch):
    monkeypatch.setenv("CPKIT_LANG", "sq")
    assert format_date(DAY) == "22 nëntor 2026"


def test_times_use_the_24_hour_clock_in_kosovo():
    moment = dt.datetime(2026, 11, 22, 14, 5)
    assert "14:05" in format_datetime(moment, "sq")
    assert "14:05" in format_datetime(moment, "sr-Cyrl")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "1,234.5"), ("sq", "1\u00a0234,5"), ("sr", "1.234,5"), ("sr-Cyrl", "1.234,5"),
])
def test_format_number(lang, expected):
    assert format_number(1234.5, lang) == expected


@pytest.mark.parametrize("name", ["Милица Јовановић", "Arbëresha Krasniqi", "Đorđe Nikolić"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_names_are_never_translated_or_transliterated(name, lang):
    assert format_name(name, lang) == name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_cyrillic_name_stays_cyrillic_in_every_language(lang):
    case = fixture_case("case_cyrillic_emotional.json")
    set_lang(lang)
    try:
        text = case_summary(case, AS_OF)
    finally:
        set_lang(None)
    assert "Милица Јовановић" in text
    if lang == "sq":
        assert "Fëmija" in text  # the label is Albanian, the name is as entered


@pytest.mark.parametrize("lang", ["sq", "sr", "sr-Cyrl"])
@pytest.mark.parametrize("name", ["case_medium_neglect.json", "case_high_physical.json"])
def test_a_case_summary_names_its_stage_and_deadlines_in_words_never_keys(lang, name):
    """``cpkit show``: the stage and each open deadline in the reader's language (the
    deadline's kind label, "overdue" translated), not the keys the store keeps."""
    from cpkit.rules.deadlines import case_deadlines
    from cpkit.rules.summary import stage

    case = fixture_case(name)
    open_ = [d for d in case_deadlines(case) if d.done_on is None]
    keys = {stage(case), "overdue", "due"} | {d.kind for d in open_} | {d.name for d in open_}
    set_lang(lang)
    try:
        text = case_summary(case, AS_OF)
    finally:
        set_lang(None)
    words = {w.strip("(),:") for w in text.split()}
    assert open_ and not keys & words, keys & words
