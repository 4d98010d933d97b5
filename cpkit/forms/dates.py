"""Meeting dates on working days: a proposed date on a weekend or a public holiday
(the configured country's, Kosovo by default) is flagged under its field, with the
holiday's name in the user's language, and the next working day offered as a button.

A flag, never a refusal: a Task Force may meet on a Saturday.  The date the user sees
is also written out in words ("Monday, 4 January 2027"), so a mistyped day shows.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from cpkit.forms.fields import Field, button, esc
from cpkit.i18n import _, current_lang
from cpkit.i18n.formatting import format_date
from cpkit.i18n.transliterate import latin_to_cyrillic
from cpkit.rules.calendar import calendar


def parse(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def non_working(day: dt.date, lang: str | None = None) -> str | None:
    """Why ``day`` is not a working day (the holiday's name, or the weekend), or ``None``."""
    cal = calendar()
    if cal.is_working_day(day):
        return None
    lang = lang or current_lang()
    name = cal.holiday_name(day, lang)
    if name and lang == "sr-Cyrl":
        name = latin_to_cyrillic(name)
    return name or _("weekend")


class WorkingDayCheck:
    """Under a date field: the date in words, and a flag with "Use <next working day>"
    when it falls on a weekend or public holiday."""

    def __init__(self, field: Field):
        self.field = field
        self.note = w.HTML()
        self.note.add_class("cpkit-note")
        self.use_button = button("", style="info", cls="cpkit-use-working-day")
        self.use_button.on_click(lambda _b: self.use())
        self.use_button.layout.display = "none"
        self.offered: dt.date | None = None
        self.box = w.HBox([self.note, self.use_button],
                          layout=w.Layout(width="100%", flex_flow="row wrap",
                                          align_items="center"))
        self.box.add_class("cpkit-working-day")
        field.box.children = (*field.box.children, self.box)
        if getattr(field, "echo", None) is not None:  # the words are said here instead
            field.echo.layout.display = "none"
        field.widget.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        day = parse(self.field.get())
        self.offered = None
        self.use_button.layout.display = "none"
        self.box.remove_class("cpkit-flagged")
        if day is None:
            self.note.value = ""
            return
        words = format_date(day, format="full")
        why = non_working(day)
        if why is None:
            self.note.value = f"<span>{esc(words)}</span>"
            return
        self.offered = calendar().next_working_day(day)
        offered = format_date(self.offered, format="full")
        self.note.value = (
            "<span class='cpkit-flag' role='status'><b aria-hidden='true'>⚠</b> "
            + esc(_("{day} is not a working day ({why}). The next working day is "
                    "{next}.").format(day=words, why=why, next=offered)) + "</span>")
        self.use_button.description = _("Use {day}").format(day=offered)
        self.use_button.tooltip = self.use_button.description
        self.use_button.layout.display = "inline-flex"
        self.box.add_class("cpkit-flagged")

    def use(self) -> None:
        """Move the date to the working day offered."""
        if self.offered is not None:
            self.field.widget.value = self.offered.isoformat()
