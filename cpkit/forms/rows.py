"""A list of repeated sub-forms (care plan actions, participants, apologies...).

Each row is built from the row's dict; the dict is kept, so keys a row does not show
(an action's id and progress, unknown keys) survive editing.  Rows can be added,
removed and (optionally) moved; the field paths follow the row's new position so
problems still land next to the right widget.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import ipywidgets as w

from cpkit.forms.docpath import set_in
from cpkit.forms.fields import Field, button, esc
from cpkit.forms.shared import layout, plain
from cpkit.i18n import _

RowBuilder = Callable[[str, int, dict], tuple[list[Field], list[w.Widget]]]


class RowList:
    """Rows under ``prefix`` (e.g. ``care_plan.actions``)."""

    def __init__(self, prefix: str, build: RowBuilder, *, title: Callable[[int, dict], str],
                 add_label: str, new_item: Callable[[list[dict]], dict] = lambda _items: {},
                 reorder: bool = False, on_change: Callable[[], None] = lambda: None,
                 cls: str = ""):
        self.prefix, self.build, self.title = prefix, build, title
        self.new_item, self.reorder, self.on_change = new_item, reorder, on_change
        self.items: list[dict] = []
        self.rows: list[list[Field]] = []
        self.container = w.VBox(layout=layout(width="100%"))
        self.add_button = button(add_label, icon="plus", cls="cpkit-add")
        self.add_button.on_click(lambda _b: self.add())
        self.box = w.VBox([self.container, self.add_button], layout=layout(width="100%"))
        if cls:
            self.box.add_class(cls)
        self.observer: Callable[[], None] = lambda: None

    @property
    def fields(self) -> list[Field]:
        return [f for row in self.rows for f in row]

    def set(self, items: list[dict] | None) -> None:
        self.items = copy.deepcopy(items or [])
        self._render()

    def get(self) -> list[dict]:
        out = []
        for item, fields in zip(self.items, self.rows, strict=True):
            data = copy.deepcopy(item)
            for f in fields:
                set_in(data, f.rel, f.get())
            out.append(data)
        return out

    def add(self) -> None:
        self.items = self.get()
        self.items.append(self.new_item(self.items))
        self._render()
        self.on_change()

    def remove(self, index: int) -> None:
        self.items = self.get()
        del self.items[index]
        self._render()
        self.on_change()

    def move(self, index: int, step: int) -> None:
        target = index + step
        self.items = self.get()
        if not 0 <= target < len(self.items):
            return
        self.items[index], self.items[target] = self.items[target], self.items[index]
        self._render()
        self.on_change()

    def _render(self) -> None:
        boxes, self.rows = [], []
        for i, item in enumerate(self.items):
            fields, extra = self.build(f"{self.prefix}[{i}]", i, item)
            for f in fields:
                f.load(item)
                f.observe(self.observer)
            self.rows.append(fields)
            controls = []
            if self.reorder:
                up = button(_("Move up"), icon="arrow-up", cls="cpkit-up")
                down = button(_("Move down"), icon="arrow-down", cls="cpkit-down")
                up.on_click(lambda _b, i=i: self.move(i, -1))
                down.on_click(lambda _b, i=i: self.move(i, 1))
                up.disabled, down.disabled = i == 0, i == len(self.items) - 1
                controls += [up, down]
            remove = button(_("Remove"), icon="trash", cls="cpkit-remove", style="")
            remove.on_click(lambda _b, i=i: self.remove(i))
            controls.append(remove)
            head = w.HBox([plain(w.HTML, f"<span class='cpkit-row-title'>"
                                 f"{esc(self.title(i, item))}</span>",
                                 layout=layout(flex="1 1 auto")), *controls],
                          layout=layout(width="100%", flex_flow="row wrap",
                                        align_items="center"))
            row = w.VBox([head, *[f.box for f in fields], *extra], layout=layout(width="100%"))
            row.add_class("cpkit-row")
            boxes.append(row)
        self.container.children = boxes
