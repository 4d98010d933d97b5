"""The protocol's warnings in a form: shown above Save, each acknowledged by a tick.

A warning is what the protocol says *should* happen and has not (``docs/
protocol-rules.md``).  It never blocks a save for good: the user ticks "Acknowledged"
next to it, and the save records the acknowledgement (rule, field, who, when) on the
case, where the relevant report shows it.  Until each warning of this form is ticked,
Save writes nothing and says why.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from cpkit.errors import FieldProblem
from cpkit.forms.fields import esc
from cpkit.i18n import _
from cpkit.model import Case
from cpkit.rules import acknowledgements


class WarningPanel:
    """The pending warnings of one form, each with an "Acknowledged" checkbox."""

    def __init__(self, form: str) -> None:
        self.form = form
        self.warnings: list[FieldProblem] = []
        self.ticks: dict[tuple[str, str], w.Checkbox] = {}
        self.widget = w.VBox(layout=w.Layout(width="100%", display="none"))
        self.widget.add_class("cpkit-warnings")

    def update(self, case: Case | None, today: dt.date) -> None:
        """Show the warnings ``case`` raises for this form that nobody acknowledged."""
        self.warnings = [] if case is None else acknowledgements.pending(case, today, self.form)
        ticks = {}
        rows = []
        for warning in self.warnings:
            key = acknowledgements.key(warning)
            tick = self.ticks.get(key) or w.Checkbox(
                value=False, description=_("Acknowledged"), indent=False,
                layout=w.Layout(width="auto"))
            tick.add_class("cpkit-acknowledge")
            ticks[key] = tick
            text = w.HTML(f"<span class='cpkit-warning-text'><b>{esc(_('Warning'))}</b> "
                          f"{esc(warning.path)}: {esc(warning.message)}</span>",
                          layout=w.Layout(flex="1 1 30em"))
            row = w.HBox([text, tick], layout=w.Layout(width="100%", align_items="center"))
            row.add_class("cpkit-warning")
            rows.append(row)
        self.ticks = ticks
        self.widget.children = rows
        self.widget.layout.display = "flex" if rows else "none"

    @property
    def unacknowledged(self) -> list[FieldProblem]:
        return [wn for wn in self.warnings
                if not self.ticks[acknowledgements.key(wn)].value]

    def acknowledge_all(self) -> None:
        """Tick every warning (what a user does, one click each)."""
        for tick in self.ticks.values():
            tick.value = True

    def record(self, document: dict, user: str, now: dt.datetime) -> dict:
        """``document`` with the ticked warnings acknowledged by ``user`` at ``now``."""
        return acknowledgements.acknowledge(document, self.warnings, user, now)
