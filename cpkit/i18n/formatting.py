"""Dates and numbers written the way each language writes them (Babel, CLDR data).

``format_date(date(2026, 11, 22), "sq")`` -> ``22 nëntor 2026``; ``"sr"`` -> ``22. novembar
2026.``; ``"sr-Cyrl"`` -> ``22. новембар 2026.``; ``"en"`` -> ``22 November 2026``.

Names are data, not interface text: :func:`format_name` shows a name exactly as it was
entered, in whatever script, in every language (a Cyrillic name stays Cyrillic in an
Albanian report; a Latin one is never transliterated for ``sr-Cyrl``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import dates, numbers

from cpkit.i18n import babel_locale

__all__ = [
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_name",
    "format_number",
    "format_percent",
]

DateLike = dt.date | dt.datetime | str | None


def _as_date(value: DateLike) -> dt.date | dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    return value


def format_date(value: DateLike, lang: str | None = None, format: str = "long") -> str:
    """``value`` (a date, datetime or ISO ``YYYY-MM-DD`` text) as ``lang`` writes dates.

    ``format`` is Babel's ``short``, ``medium``, ``long`` (default) or ``full``, or a
    CLDR pattern.  ``None`` or ``""`` gives ``""`` (a date not yet recorded).
    """
    day = _as_date(value)
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return dates.format_date(day, format=format, locale=babel_locale(lang))


def format_datetime(value: DateLike, lang: str | None = None, format: str = "medium") -> str:
    """A date with its time of day, in ``lang``'s way (``format`` as for Babel)."""
    moment = _as_date(value)
    if moment is None:
        return ""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return dates.format_datetime(moment, format=format, locale=babel_locale(lang))


def format_number(value: int | float | Decimal, lang: str | None = None) -> str:
    """A number with ``lang``'s digit grouping and decimal sign (``1.234,5`` in Serbian)."""
    return numbers.format_decimal(value, locale=babel_locale(lang))


format_decimal = format_number


def format_percent(value: float | Decimal, lang: str | None = None) -> str:
    """A fraction as a percentage (``0.85`` -> ``85%`` / ``85 %``) in ``lang``'s way."""
    return numbers.format_percent(value, locale=babel_locale(lang))


def format_name(name: str | None, lang: str | None = None) -> str:
    """A person's name exactly as entered, whatever ``lang`` is.

    It exists so templates and widgets say what they mean: names are never translated
    or transliterated; ``lang`` is accepted only for a uniform call.
    """
    return "" if name is None else name
