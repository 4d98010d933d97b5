"""Meeting dates on a weekend or public holiday are flagged under their field and the
next working day offered; taking it needs no reason (still "one month later")."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.forms.cmr import MeetingForm
from cpkit.forms.dates import non_working
from cpkit.i18n import set_lang
from tests.forms.test_forms_widgets import field, put

CASE = "PR-2026-0001"


@pytest.fixture
def cases(sqlite_store):
    from tests.conftest import fixture_case

    sqlite_store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    return sqlite_store


def test_the_default_next_meeting_on_new_year_is_flagged_and_moved(cases):
    form = MeetingForm(CASE, store=cases, today=dt.date(2026, 11, 30))
    i = form.meeting_index
    put(form, f"meetings[{i}].status", "planned")
    put(form, f"meetings[{i}].date", "2026-12-02")
    assert form.next_meeting.widget.value == "2027-01-02"  # a month later: a Saturday holiday
    check = form.next_check
    assert check.offered == dt.date(2027, 1, 5)
    assert "not a working day" in check.note.value and "New Year" in check.note.value
    assert check.use_button.layout.display == "inline-flex"
    assert "Tuesday, 5 January 2027" in check.use_button.description
    assert "not a working day" not in form.date_check.note.value  # a Wednesday
    assert "Wednesday" in form.date_check.note.value  # the date in words
    check.use_button.click()
    assert form.next_meeting.widget.value == "2027-01-05"
    assert check.use_button.layout.display == "none"
    assert not [p for p in form.problems if p.path.endswith("next_meeting_reason")]
    assert form.save() is True
    assert cases.get(CASE).case.meetings[i].next_meeting == dt.date(2027, 1, 5)
    # moving the meeting keeps the next one a month (working day) later
    put(form, f"meetings[{i}].date", "2026-12-09")
    assert form.next_meeting.widget.value == "2027-01-09"


def test_a_holiday_is_named_in_the_users_language():
    try:
        set_lang("sq")
        assert non_working(dt.date(2027, 1, 1)) == "Viti i Ri"
        set_lang("sr-Cyrl")
        assert non_working(dt.date(2027, 1, 1)) == "Нова година"
        set_lang("en")
        assert non_working(dt.date(2026, 12, 5)) == "weekend"  # a plain Saturday
        assert non_working(dt.date(2026, 12, 7)) is None
    finally:
        set_lang(None)


def test_field_helpers_are_unchanged(cases):
    form = MeetingForm(CASE, store=cases, today=dt.date(2026, 11, 30))
    assert field(form, f"meetings[{form.meeting_index}].next_meeting") is form.next_meeting


def test_a_date_typed_in_the_regional_form_is_understood_and_said_in_words(cases):
    from cpkit.forms.referral import ReferralForm

    try:
        set_lang("sq")
        form = ReferralForm(CASE, store=cases, today=dt.date(2026, 11, 30))
        date_field = field(form, "consent.date")
        assert date_field.widget.placeholder == "DD.MM.VVVV"  # the format, in Albanian
        put(form, "consent.date", "29.09.2026")
        assert date_field.get() == "2026-09-29"
        assert "shtator 2026" in date_field.echo.value  # in the user's language
        put(form, "consent.date", "30.02.2026")  # no such day: said next to the field
        assert form.save() is False and date_field.message.value
        put(form, "consent.date", "28.09.2026.")  # the Serbian way, with the final dot
        assert form.save() is True
        assert cases.get(CASE).case.consent.date == dt.date(2026, 9, 28)
    finally:
        set_lang(None)
