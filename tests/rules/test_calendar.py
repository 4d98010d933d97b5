"""Working days in Kosovo, holidays included (hand-worked)."""

import datetime as dt

from cpkit.rules.calendar import Calendar, add_months

XK = Calendar("XK")


def test_one_working_day_after_a_friday_is_monday():
    assert XK.add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)


def test_new_year_days_are_not_working_days():
    # Wed 31 Dec 2025: 1 and 2 January are holidays, 3-4 a weekend -> Mon 5 January.
    assert XK.add_working_days(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 5)


def test_catholic_and_orthodox_easter_mondays_are_skipped():
    # 2026: Catholic Easter Monday 6 April, Constitution Day 9 April, Orthodox Easter
    # Monday 13 April.  From Fri 3 April, 5 working days: 7, 8, 10, 14, 15.
    assert XK.add_working_days(dt.date(2026, 4, 3), 5) == dt.date(2026, 4, 15)


def test_working_days_backwards():
    assert XK.add_working_days(dt.date(2026, 11, 23), -2) == dt.date(2026, 11, 19)


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(dt.date(2026, 3, 10), 1) == dt.date(2026, 4, 10)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_country_is_configurable(monkeypatch):
    monkeypatch.setenv("CPKIT_COUNTRY", "RS")
    serbia = Calendar()
    assert serbia.country == "RS"
    assert not serbia.is_working_day(dt.date(2026, 2, 16))  # Statehood Day in Serbia
    assert XK.is_working_day(dt.date(2026, 2, 16))


def test_one_country_loaded_alone_gives_the_library_s_holidays():
    """cpkit loads Kosovo's holiday module on its own (not the library's ~200 countries):
    the same days, the same names in every language the kit speaks."""
    import holidays

    from cpkit.rules.calendar import country_holidays

    for year in range(2000, 2041):
        for language in (None, "en_US", "sq", "sr"):
            assert dict(country_holidays("XK", years=year, language=language)) == dict(
                holidays.country_holidays("XK", years=year, language=language)), year
    assert dict(country_holidays("DE", years=2026)) == dict(
        holidays.country_holidays("DE", years=2026))


def test_counting_working_days_imports_no_other_country():
    import subprocess
    import sys

    probe = ("import sys, datetime as dt\nfrom cpkit.rules.calendar import Calendar\n"
             "Calendar('XK').add_working_days(dt.date(2026, 4, 3), 5)\n"
             "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_the_written_out_holidays_are_the_library_s():
    """cpkit.rules.holiday_table is the installed library's output: rewrite it with
    ``holiday_table_text`` when the library is upgraded (until then the calendar falls
    back to the library, see the next test)."""
    from pathlib import Path

    from cpkit.rules import calendar as module
    from cpkit.rules import holiday_table

    assert Path(holiday_table.__file__).read_text(encoding="utf-8") == (
        module.holiday_table_text())
    assert module.table_days("XK") is not None


def test_the_table_and_the_library_give_the_same_working_days(monkeypatch):
    from cpkit.rules import calendar as module

    table = Calendar("XK")
    monkeypatch.setattr(module, "table_days", lambda country: None)
    library = Calendar("XK")
    assert table._days is not None and library._days is None
    day = dt.date(1999, 1, 1)
    while day < dt.date(2062, 1, 1):
        assert table.is_working_day(day) == library.is_working_day(day), day
        day += dt.timedelta(days=1)
    assert table.add_working_days(dt.date(2026, 4, 3), 5) == dt.date(2026, 4, 15)
    assert table.holiday_name(dt.date(2026, 4, 9)) == "Constitution Day"


def test_another_library_version_or_country_leaves_the_table_unused(monkeypatch):
    from cpkit.rules import calendar as module
    from cpkit.rules import holiday_table

    assert module.table_days("RS") is None
    monkeypatch.setattr(holiday_table, "LIBRARY", "0.0-not-installed")
    assert module.table_days("XK") is None
    assert not Calendar("XK").is_working_day(dt.date(2026, 4, 9))
