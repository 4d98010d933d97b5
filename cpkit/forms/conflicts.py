"""The fields two people changed at once, side by side, for the person to decide.

When a save (or a restored draft) meets someone else's save on the same field, the
form shows each such field with both values: "Saved by Arta Morina at 10:42: ..." and
"Yours: ...", and asks which to keep (or, for text, to combine the two).  Nothing is
written until every field is decided; then the form saves the merge with the choices
(the audit records which fields the person decided).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from cpkit.forms.fields import button, esc, path_class
from cpkit.i18n import _
from cpkit.merge import ABSENT, FieldConflict

THEIRS, MINE, COMBINE = "theirs", "mine", "combine"
SHOWN_MAX = 400


def describe(value: Any) -> str:
    """A value as a person reads it (no JSON): text as typed, lists and parts in short."""
    if value is ABSENT:
        return _("(not there: removed or never filled in)")
    if value is None or value == "" or value == [] or value == {}:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        text = "; ".join(describe(item) for item in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{key}: {describe(item)}" for key, item in value.items()
                         if item not in (None, "", [], {}))
    else:
        text = str(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…"


def combinable(conflict: FieldConflict) -> bool:
    return isinstance(conflict.theirs, str) and isinstance(conflict.mine, str)


class ConflictPanel:
    """The list of fields to decide, and the button that applies the choices."""

    def __init__(self, on_apply: Callable[[dict[str, Any]], None], apply_label: str):
        self.on_apply = on_apply
        self.conflicts: list[FieldConflict] = []
        self.choices: dict[str, w.RadioButtons] = {}
        self.combined: dict[str, w.Textarea] = {}
        self.intro = w.HTML()
        self.items = w.VBox(layout=w.Layout(width="100%"))
        self.apply_button = button(apply_label, style="primary", icon="check",
                                   cls="cpkit-merge-apply")
        self.apply_button.on_click(lambda _b: self.apply())
        self.widget = w.VBox([self.intro, self.items, self.apply_button],
                             layout=w.Layout(width="100%", display="none"))
        self.widget.add_class("cpkit-merge")

    @property
    def open(self) -> bool:
        return self.widget.layout.display != "none"

    def show(self, conflicts: list[FieldConflict], saved_by: str | None,
             saved_at: dt.datetime | None, label_for: Callable[[str], str]) -> None:
        self.conflicts = conflicts
        self.choices, self.combined = {}, {}
        if saved_at is not None and saved_at.tzinfo is None:  # SQLite keeps UTC, naive
            saved_at = saved_at.replace(tzinfo=dt.UTC)
        when = saved_at.astimezone().strftime("%H:%M") if saved_at else "?"
        who = saved_by or _("someone else")
        self.intro.value = (
            "<div class='cpkit-conflict'>" + esc(_(
                "{who} saved this case at {when}, after you opened it, and changed {n} of "
                "the fields you changed. Everything else was merged. Choose what to keep "
                "for each field below; nothing is saved until every field is decided."
            ).format(who=who, when=when, n=len(conflicts))) + "</div>")
        self.items.children = [self._item(c, who, when, label_for(c.path)) for c in conflicts]
        self._update()
        self.widget.layout.display = "flex"

    def _item(self, conflict: FieldConflict, who: str, when: str, label: str) -> w.Widget:
        theirs = _("Saved by {who} at {when}: {value}").format(
            who=who, when=when, value=describe(conflict.theirs))
        mine = _("Yours: {value}").format(value=describe(conflict.mine))
        options = [(_("Keep theirs"), THEIRS), (_("Keep yours"), MINE)]
        if combinable(conflict):
            options.append((_("Combine both (edit below)"), COMBINE))
        choice = w.RadioButtons(options=options, value=None, description=_("Keep"),
                                layout=w.Layout(width="auto"))
        combined = w.Textarea(value=f"{conflict.theirs}\n{conflict.mine}",
                              layout=w.Layout(width="100%", max_width="720px",
                                              display="none"))
        combined.add_class("cpkit-merge-combined")
        choice.observe(lambda _c: self._update(), names="value")
        self.choices[conflict.path], self.combined[conflict.path] = choice, combined
        box = w.VBox([
            w.HTML(f"<div class='cpkit-merge-label'>{esc(label)}</div>"
                   f"<div class='cpkit-theirs'>{esc(theirs)}</div>"
                   f"<div class='cpkit-mine'>{esc(mine)}</div>"),
            choice, combined], layout=w.Layout(width="100%"))
        box.add_class("cpkit-merge-field")
        box.add_class(path_class(conflict.path))
        return box

    def _update(self) -> None:
        for path, choice in self.choices.items():
            self.combined[path].layout.display = "flex" if choice.value == COMBINE else "none"
        self.apply_button.disabled = not self.decided()

    def decided(self) -> bool:
        return all(choice.value is not None for choice in self.choices.values())

    def choose(self, path: str, which: str, text: str | None = None) -> None:
        """Decide ``path`` (``theirs``, ``mine`` or ``combine`` with ``text``)."""
        self.choices[path].value = which
        if text is not None:
            self.combined[path].value = text

    def values(self) -> dict[str, Any]:
        """The value chosen for each field (all must be decided)."""
        out = {}
        for conflict in self.conflicts:
            which = self.choices[conflict.path].value
            out[conflict.path] = (conflict.theirs if which == THEIRS else
                                  conflict.mine if which == MINE else
                                  self.combined[conflict.path].value.strip() or None)
        return out

    def apply(self) -> None:
        if self.decided():
            self.on_apply(self.values())

    def close(self) -> None:
        self.widget.layout.display = "none"
        self.items.children = []
        self.conflicts = []
