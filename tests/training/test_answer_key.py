"""The answer key's sections show the reference answer in the page's language."""

from __future__ import annotations

from cpkit import protocol
from cpkit.i18n import set_lang
from cpkit.markup import esc
from cpkit.training import answer_key as key
from cpkit.training import cases


def test_the_key_in_albanian_shows_the_translated_answer():
    set_lang("sq")
    try:
        tc = cases.load("TR-2026-0003")
        page = "".join([key.factors_html(tc), key.overall_html(tc), key.wellbeing_html(tc),
                        key.needs_html(tc), key.care_plan_html(tc), key.follow_up_html(tc)])
    finally:
        set_lang(None)
    en, sq = cases.load("TR-2026-0003", "en").reference, tc.reference
    for k in protocol.factor_keys():
        assert esc(sq.reasons[k]) in page and esc(en.reasons[k]) not in page
    assert esc(sq.cmr_decision) in page and esc(en.cmr_decision) not in page
    assert esc(sq.summary) in page and esc(sq.needs[0]) in page
    assert esc(sq.actions[0]["contingency"]) in page
    assert esc(en.actions[0]["contingency"]) not in page
    assert esc(sq.meetings[-1]["decisions"][0]) in page
    assert esc(sq.closure["child_views"]) in page
    assert esc(en.closure["child_views"]) not in page
