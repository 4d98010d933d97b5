"""Field widgets shared by every form: an input, its label and its message.

A :class:`Field` edits one path of the case document and knows how to turn the
widget's value into the document's value and back (dates are typed as text so that
an impossible date can be shown as a message rather than silently refused by the
browser).  Every input carries a label: the widget's ``description`` (rendered by
ipywidgets as a ``<label for=...>``) or, for checkboxes, their own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ipywidgets as w

from cpkit.forms.docpath import get_in
from cpkit.forms.shared import layout, plain, style
from cpkit.i18n import _
from cpkit.markup import esc

LABEL_WIDTH = "14em"
INPUT_LAYOUT = {"width": "100%", "max_width": "720px"}
NONE = ""  # the "nothing chosen" value of choice widgets


def path_class(path: str) -> str:
    """A CSS class naming ``path``: ``a.b[0].c`` -> ``cpkit-path-a-b-0-c``."""
    return "cpkit-path-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def path_words(path: str) -> str:
    """Words for a path of the case document that no field of the form shows (the closure
    form names a wellbeing indicator of the assessment): the protocol item it concerns,
    else "another form" -- never the path itself."""
    from cpkit import protocol

    parts = [p for p in re.split(r"[.\[\]]+", path) if p]
    for kind in ("indicator", "factor"):
        for part in reversed(parts):
            try:
                return protocol.label(kind, part)
            except KeyError:
                continue
    return _("a field of another form")


def heading(text: str, level: int = 3) -> w.HTML:
    return plain(w.HTML, f"<h{level} class='cpkit-heading'>{esc(text)}</h{level}>")


def note(text: str, cls: str = "cpkit-note") -> w.HTML:
    return plain(w.HTML, f"<div class='{cls}'>{esc(text)}</div>")


def section(title: str, children: Sequence[w.Widget], cls: str = "") -> w.VBox:
    box = w.VBox([heading(title), *children], layout=w.Layout(width="100%"))
    box.add_class("cpkit-section")
    if cls:
        box.add_class(cls)
    return box


class Field:
    """One input bound to one path of the case document."""

    def __init__(self, path: str, widget: w.Widget, *, rel: str | None = None,
                 extra: Sequence[w.Widget] = ()):
        self.path = path
        self.rel = rel or path
        self.widget = widget
        self.message = plain(w.HTML, layout=layout(width="100%"))
        self.message.add_class("cpkit-message")
        self.box = w.VBox([widget, *extra, self.message], layout=layout(width="100%"))
        self.box.add_class("cpkit-field")
        self.box.add_class(path_class(path))
        self.present = False  # whether the loaded document had a value here

    # value conversion ----------------------------------------------------------
    def get(self) -> Any:
        return self.widget.value

    def set(self, value: Any) -> None:
        self.widget.value = value

    def load(self, document: dict) -> None:
        value = get_in(document, self.rel)
        self.present = value is not None
        self.set(value)

    def observe(self, callback: Callable[[], None]) -> None:
        self.widget.observe(lambda _change: callback(), names="value")

    def show(self, messages: list[str]) -> None:
        text = "".join(f"<div>{esc(m)}</div>" for m in messages)
        if self.message.value != text:
            self.message.value = text
        if messages:
            self.box.add_class("cpkit-invalid")
        else:
            self.box.remove_class("cpkit-invalid")


class TextField(Field):
    def get(self) -> str | None:
        value = self.widget.value
        return value if value.strip() else None

    def set(self, value: Any) -> None:
        self.widget.value = "" if value is None else str(value)


class LinesField(TextField):
    """A text area whose lines are the items of a list."""

    def get(self) -> list[str]:
        return [line.strip() for line in self.widget.value.splitlines() if line.strip()]

    def set(self, value: Any) -> None:
        self.widget.value = "\n".join(value or [])


class ChoiceField(Field):
    default: Any = NONE

    def get(self) -> Any:
        value = self.widget.value
        if value == self.default and self.default != NONE and not self.present:
            return None  # the model's default, not written unless chosen
        return None if value == NONE or value is None else value

    def set(self, value: Any) -> None:
        self.widget.value = self.default if value is None else value


class YesNoField(Field):
    _to = {NONE: None, "yes": True, "no": False}

    def get(self) -> bool | None:
        return self._to[self.widget.value]

    def set(self, value: Any) -> None:
        self.widget.value = {None: NONE, True: "yes", False: "no"}[value]


class FlagField(Field):
    def get(self) -> bool | None:
        if self.widget.value:
            return True
        return False if self.present else None  # unticked and never set: not written

    def set(self, value: Any) -> None:
        self.widget.value = bool(value)


class ChecklistField(Field):
    """Checkboxes over the protocol's items, plus (optionally) the worker's own lines.

    A stored entry counts as an item when it is the item's key or its label (older
    cases store the label); entries are written back as they were read, new ticks as
    keys, so a case round-trips unchanged.
    """

    def __init__(self, path: str, label: str, items: Iterable[tuple[str, str]], *,
                 rel: str | None = None, other: bool = True, columns: int = 2,
                 aliases: dict[str, set[str]] | None = None):
        self.items = list(items)
        self.label = label
        self.aliases = aliases or {}
        each = layout(width="auto", min_width="16em",
                      flex="1 1 45%" if columns > 1 else "1 1 100%")
        self.boxes = {key: w.Checkbox(description=text, indent=False, value=False,
                                      layout=each, style=style(w.Checkbox))
                      for key, text in self.items}
        grid = w.Box(list(self.boxes.values()),
                     layout=layout(display="flex", flex_flow="row wrap", width="100%",
                                   max_width="1000px"))
        grid.add_class("cpkit-checklist")
        self.other = w.Textarea(description=_("Other (one per line)"), rows=2,
                                layout=layout(**INPUT_LAYOUT),
                                style=label_style(w.Textarea)) if other else None
        title = plain(w.HTML, f"<div class='cpkit-checklist-title'>{esc(label)}</div>")
        container = w.VBox([title, grid, *([self.other] if self.other else [])],
                           layout=layout(width="100%"))
        super().__init__(path, container, rel=rel)
        self._read: list[str] = []

    def _names(self, key: str) -> set[str]:
        return {key, *self.aliases.get(key, set())}

    def set(self, value: Any) -> None:
        self._read = list(value or [])
        taken: set[str] = set()
        for key, box in self.boxes.items():
            hit = self._names(key) & set(self._read)
            box.value = bool(hit)
            taken |= hit
        if self.other is not None:
            self.other.value = "\n".join(v for v in self._read if v not in taken)

    def get(self) -> list[str]:
        out: list[str] = []
        for key, box in self.boxes.items():
            if not box.value:
                continue
            earlier = [v for v in self._read if v in self._names(key)]
            out.append(earlier[0] if earlier else key)
        order = {v: i for i, v in enumerate(self._read)}
        out.sort(key=lambda v: order.get(v, len(order)))
        if self.other is not None:
            out += [line.strip() for line in self.other.value.splitlines() if line.strip()]
        return out

    def observe(self, callback: Callable[[], None]) -> None:
        for box in self.boxes.values():
            box.observe(lambda _change: callback(), names="value")
        if self.other is not None:
            self.other.observe(lambda _change: callback(), names="value")


# --- factories ------------------------------------------------------------------

def label_style(widget: type[w.Widget]) -> w.Widget:
    """The labelled inputs' one (shared) style: the label column's width."""
    return style(widget, description_width=LABEL_WIDTH)


def text(path: str, label: str, *, rel: str | None = None, multiline: bool = False,
         placeholder: str = "", rows: int = 3) -> TextField:
    cls = w.Textarea if multiline else w.Text
    kwargs = {"rows": rows} if multiline else {}
    widget = cls(description=label, placeholder=placeholder, layout=layout(**INPUT_LAYOUT),
                 style=label_style(cls), **kwargs)
    return TextField(path, widget, rel=rel)


REGIONAL_DATE = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\.?\s*$")


class DateField(TextField):
    """A date typed in the regional form (29.09.2026, Serbian 29.09.2026.) or as
    2026-09-29; stored as ISO.  Under the field the date is written out in words in the
    user's language ("Tuesday, 29 September 2026"), so a mistyped day shows at once."""

    def __init__(self, path: str, widget: w.Widget, *, rel: str | None = None):
        self.echo = w.HTML(style=style(w.HTML))  # own Layout: dates.py hides it
        self.echo.add_class("cpkit-note")
        self.echo.add_class("cpkit-date-words")
        super().__init__(path, widget, rel=rel, extra=[self.echo])
        widget.observe(lambda _change: self._words(), names="value")

    def get(self) -> str | None:
        value = super().get()
        found = REGIONAL_DATE.match(value or "")
        if found:
            day, month, year = (int(g) for g in found.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
        return value.strip() if value else value

    def _words(self) -> None:
        import datetime as dt

        from cpkit.i18n.formatting import format_date

        try:
            day = dt.date.fromisoformat(self.get() or "")
        except ValueError:
            self.echo.value = ""
            return
        self.echo.value = f"<span>{esc(format_date(day, format='full'))}</span>"


def date(path: str, label: str, *, rel: str | None = None) -> DateField:
    """A date typed as DD.MM.YYYY (the regional form) or YYYY-MM-DD: an impossible date
    gets a message, not a silent no; the label says the form."""
    widget = w.Text(description=label, placeholder=_("DD.MM.YYYY"),
                    tooltip=_("Date: DD.MM.YYYY (or YYYY-MM-DD)"),
                    layout=layout(width="100%", max_width="24em"), style=label_style(w.Text))
    widget.add_class("cpkit-date")
    return DateField(path, widget, rel=rel)


def lines(path: str, label: str, *, rel: str | None = None, rows: int = 3) -> LinesField:
    widget = w.Textarea(description=label, rows=rows, placeholder=_("one per line"),
                        layout=layout(**INPUT_LAYOUT), style=label_style(w.Textarea))
    return LinesField(path, widget, rel=rel)


def choice(path: str, label: str, options: Iterable[tuple[str, str]], *,
           rel: str | None = None, none: str | None = None, radio: bool = False,
           default: str | None = None) -> ChoiceField:
    """A drop-down (or radio buttons) over protocol keys; ``none`` labels "not chosen".

    With ``default`` there is no "not chosen" option: an absent value shows as it.
    """
    options = list(options)
    opts = options if default else [(none if none is not None else "—", NONE), *options]
    if radio:
        widget = w.RadioButtons(options=opts, description=label, value=default or NONE,
                                layout=layout(width="100%", max_width="1000px"),
                                style=label_style(w.RadioButtons))
    else:
        widget = w.Dropdown(options=opts, description=label, value=default or NONE,
                            layout=layout(width="100%", max_width="36em"),
                            style=label_style(w.Dropdown))
    field = ChoiceField(path, widget, rel=rel)
    field.default = default or NONE
    return field


def yes_no(path: str, label: str, *, rel: str | None = None) -> YesNoField:
    widget = w.Dropdown(options=[(_("Not recorded"), NONE), (_("Yes"), "yes"), (_("No"), "no")],
                        value=NONE, description=label, style=label_style(w.Dropdown),
                        layout=layout(width="100%", max_width="24em"))
    return YesNoField(path, widget, rel=rel)


def flag(path: str, label: str, *, rel: str | None = None) -> FlagField:
    widget = w.Checkbox(description=label, indent=False, value=False,
                        layout=layout(width="auto", max_width="720px"), style=style(w.Checkbox))
    return FlagField(path, widget, rel=rel)


def _button_style() -> w.ButtonStyle:
    """The buttons' one (shared) style: they differ by ``button_style``, a trait of the
    button itself, never by their style's colours."""
    return style(w.Button)


def button(label: str, *, style: str = "", icon: str = "", cls: str = "",
           tooltip: str = "") -> w.Button:
    # its own Layout: buttons are shown and hidden one by one (layout.display)
    b = w.Button(description=label, button_style=style, icon=icon, tooltip=tooltip or label,
                 layout=w.Layout(width="auto"), style=_button_style())
    if cls:
        b.add_class(cls)
    return b


def link(href: str, text: str, cls: str = "cpkit-link") -> str:
    return f"<a class='{cls}' href='{esc(href)}'>{esc(text)}</a>"
