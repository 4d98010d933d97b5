"""Working days: Monday to Friday less the public holidays of the configured country."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache

from cpkit.rules import holiday_table

DEFAULT_COUNTRY = "XK"  # Kosovo


class Calendar:
    """A working-day calendar for one country (``CPKIT_COUNTRY``, Kosovo by default)."""

    def __init__(self, country: str | None = None):
        self.country = country or os.environ.get("CPKIT_COUNTRY", DEFAULT_COUNTRY)
        self._library = None  # the holiday library's table, made when first asked
        # The written-out days (:mod:`cpkit.rules.holiday_table`) where they are the
        # installed library's: ``None`` elsewhere (another country or library version).
        self._days = table_days(self.country)
        # Answers kept: every stored case asks for the same few hundred days, and the
        # holiday table's lookup is slow Python (an import of 10,000 cases asks 100,000
        # times).
        self._working: dict[dt.date, bool] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    def is_working_day(self, day: dt.date) -> bool:
        found = self._working.get(day)
        if found is None:
            found = self._working[day] = day.weekday() < 5 and not self._holiday(day)
        return found

    def _holiday(self, day: dt.date) -> bool:
        if self._days is not None and holiday_table.FIRST <= day.year <= holiday_table.LAST:
            return day in self._days
        return day in self._holidays

    @property
    def _holidays(self):
        """The holiday library's table for the country (names, years outside the
        written-out ones)."""
        if self._library is None:
            self._library = country_holidays(self.country)
        return self._library

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (negative: before).

        "N working days after date D counts from the first working day after D":
        one working day after a Friday is the next Monday.
        """
        found = self._added.get((start, days))
        if found is None:
            found = self._added[start, days] = self._count(start, days)
        return found

    def _count(self, start: dt.date, days: int) -> dt.date:
        step = 1 if days >= 0 else -1
        day, left = start, abs(days)
        while left:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def holiday_name(self, day: dt.date, lang: str | None = None) -> str | None:
        """The public holiday on ``day`` (``None``: none), named in ``lang`` where the
        holiday tables have it (Kosovo's: English, Albanian, Serbian Latin)."""
        if lang is None:
            return self._holidays.get(day)
        return _named(self.country, HOLIDAY_LANGUAGES.get(lang.split("-")[0], "en_US"),
                      day.year).get(day) or self._holidays.get(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


# cpkit's language -> the holiday tables' language for the names of holidays.
HOLIDAY_LANGUAGES = {"en": "en_US", "sq": "sq", "sr": "sr"}


@lru_cache(maxsize=32)
def _named(country: str, language: str, year: int):
    try:
        return country_holidays(country, years=year, language=language)
    except (NotImplementedError, KeyError, ValueError):
        return country_holidays(country, years=year)


def country_holidays(country: str, **options):
    """``holidays.country_holidays(country, **options)``, importing that one country.

    Why: ``holidays.country_holidays`` imports the module of every country the library
    knows (``holidays.countries``, about 200 of them: a sixth of a second in every
    ``cpkit show``, render and form kernel) to find one.  The country's own module is
    run on its own here, found through the library's registry; where that does not
    work (a country or a library version laid out otherwise), the library's way."""
    found = _country_class(country)
    if found is None:
        import holidays

        return holidays.country_holidays(country, **options)
    return found(**options)


def table_days(country: str) -> frozenset[dt.date] | None:
    """The public holidays of :mod:`cpkit.rules.holiday_table` when they are
    ``country``'s as the installed holiday library gives them, else ``None``.

    Why: importing the holiday library took about a sixth of ``cpkit show``'s start
    (its registry and calendars).  The table is the library's own output for the years
    it covers, written out by :func:`holiday_table_text` and used only with the library
    version it was written from (its ``dist-info`` folder beside the package: one
    ``stat``, no import); a test checks it against the library."""
    from cpkit.paths import installed

    if country != holiday_table.COUNTRY or not installed("holidays", holiday_table.LIBRARY):
        return None
    return frozenset(dt.date.fromisoformat(day) for day in holiday_table.DAYS.split())


def holiday_table_text(country: str = DEFAULT_COUNTRY, first: int = 2000,
                       last: int = 2060) -> str:
    """The text of :mod:`cpkit.rules.holiday_table` from the installed library
    (``python -c "from cpkit.rules.calendar import holiday_table_text as t; print(t(),
    end='')" > cpkit/rules/holiday_table.py`` after the library is upgraded)."""
    import holidays

    days = [d.isoformat() for d in sorted(country_holidays(country,
                                                           years=range(first, last + 1)))]
    body = "\n".join(" ".join(days[i:i + 8]) for i in range(0, len(days), 8))
    return (f'"""The public holidays of {country} in {first}-{last}, as the holiday library '
            f'{holidays.__version__} gives them\n(written by '
            '``cpkit.rules.calendar.holiday_table_text``; read by ``Calendar`` without\n'
            'importing the library).  Generated: do not edit."""\n\n'
            f'COUNTRY = "{country}"\nLIBRARY = "{holidays.__version__}"\n'
            f"FIRST, LAST = {first}, {last}\n"
            f'DAYS = """\n{body}\n"""\n')


@lru_cache(maxsize=8)
def _country_class(country: str):
    """The holiday class of ``country`` from its own module, or ``None``."""
    import importlib.util
    import sys
    from pathlib import Path

    try:
        from holidays.registry import COUNTRIES

        module, (name, *codes) = next((m, entry) for m, entry in COUNTRIES.items()
                                      if country in entry[1:])
        loaded = sys.modules.get(f"holidays.countries.{module}")
        if loaded is None:  # run alone, under a name of its own (the package is not run)
            import holidays

            path = Path(holidays.__file__).parent / "countries" / f"{module}.py"
            spec = importlib.util.spec_from_file_location(f"cpkit_holidays_{module}", path)
            loaded = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(loaded)
        return getattr(loaded, name)
    except Exception:  # noqa: BLE001 - any surprise: the library's own way
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (31 January + 1 month = 28 or 29 February); the month's
    last day where the day does not exist in it (as ``dateutil``'s ``relativedelta``)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


@lru_cache(maxsize=8)
def calendar(country: str | None = None) -> Calendar:
    """A shared calendar per country (the holiday tables are built once)."""
    return Calendar(country)
