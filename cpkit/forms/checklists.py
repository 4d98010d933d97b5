"""Checklists over the protocol's item lists (influences, manifestations, signs, milestones).

Items come from :mod:`cpkit.protocol`; a stored entry matches an item by key or by its
label (English or translated), so cases that store labels read back ticked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ipywidgets as w

from cpkit.forms.docpath import get_in
from cpkit.forms.fields import ChecklistField, Field, esc
from cpkit.forms.shared import layout, plain, style
from cpkit.i18n import gettext


def items_of(entries: Iterable[dict]) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """``[(key, translated label)]`` and each key's aliases (its labels)."""
    items, aliases = [], {}
    for entry in entries:
        items.append((entry["key"], gettext(entry["label"])))
        aliases[entry["key"]] = {entry["label"], gettext(entry["label"])}
    return items, aliases


def checklist(path: str, label: str, entries: Iterable[dict], *, other: bool = True,
              columns: int = 2) -> ChecklistField:
    items, aliases = items_of(entries)
    return ChecklistField(path, label, items, aliases=aliases, other=other, columns=columns)


class LazyChecklist(Field):
    """A list of item keys whose checkboxes are made only when their panel is opened.

    Keeps the stored list as read (entries it has no checkbox for are kept), so a
    long appendix (signs of abuse) costs nothing until the assessor opens it.
    """

    def __init__(self, path: str, aliases: dict[str, set[str]]):
        super().__init__(path, plain(w.HTML, layout=layout(display="none")))  # never shown
        self.aliases = aliases
        self.value: list[str] = []
        self.boxes: dict[str, w.Checkbox] = {}
        self._callbacks: list[Callable[[], None]] = []
        self._quiet = False

    def names(self, key: str) -> set[str]:
        return {key, *self.aliases.get(key, set())}

    def make_boxes(self, items: list[tuple[str, str]]) -> w.Box:
        each = layout(width="auto", min_width="16em", flex="1 1 45%")
        boxes = []
        for key, text in items:
            box = w.Checkbox(description=text, indent=False, layout=each, style=style(w.Checkbox),
                             value=bool(self.names(key) & set(self.value)))
            box.observe(lambda change, key=key: self._toggle(key, change["new"]), names="value")
            self.boxes[key] = box
            boxes.append(box)
        grid = w.Box(boxes, layout=layout(display="flex", flex_flow="row wrap", width="100%"))
        grid.add_class("cpkit-checklist")
        return grid

    def _toggle(self, key: str, on: bool) -> None:
        if self._quiet:
            return
        names = self.names(key)
        if on and not names & set(self.value):
            self.value.append(key)
        elif not on:
            self.value = [v for v in self.value if v not in names]
        for callback in self._callbacks:
            callback()

    def get(self) -> list[str]:
        return list(self.value)

    def set(self, value) -> None:
        self.value = list(value or [])
        self._quiet = True
        try:
            for key, box in self.boxes.items():
                box.value = bool(self.names(key) & set(self.value))
        finally:
            self._quiet = False

    def load(self, document: dict) -> None:
        self.set(get_in(document, self.rel))

    def observe(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)


def title_html(text: str, cls: str = "cpkit-checklist-title") -> w.HTML:
    return plain(w.HTML, f"<div class='{cls}'>{esc(text)}</div>")
