"""The care plan: actions to meet the child's needs, who does them, by when.

Actions can be added, edited, moved up and down and removed; each keeps its id and
its progress notes (a new note is added with today's date and the assessor's name).
"""

from __future__ import annotations

import re

import ipywidgets as w

from cpkit import protocol
from cpkit.forms import fields
from cpkit.forms.base import CaseForm
from cpkit.forms.fields import esc, note, section
from cpkit.i18n import N_, _, gettext

NEW_NOTE = "_new_progress"


def _options(kind: str, keys) -> list[tuple[str, str]]:
    return [(protocol.label(kind, key), key) for key in keys]


def next_action_id(items: list[dict]) -> str:
    numbers = [int(m.group(1)) for item in items
               if (m := re.fullmatch(r"A(\d+)", str(item.get("id") or "")))]
    return f"A{max(numbers, default=0) + 1}"


class CarePlanForm(CaseForm):
    form = "care_plan"
    title = N_("Care plan")

    def document_kinds(self) -> list[tuple[str, str]]:
        return [("care-plan", _("the care plan"))]

    def build(self) -> list[w.Widget]:
        self.actions = self.rows(
            "care_plan.actions", self._action_row, reorder=True,
            title=lambda i, item: _("Action {n}").format(n=i + 1)
            + (f" ({item['id']})" if item.get("id") else ""),
            add_label=_("Add action"),
            new_item=lambda items: {"id": next_action_id(items), "status": "planned"},
            cls="cpkit-actions")
        purposes = "".join(f"<li>{esc(gettext(p))}</li>" for p in protocol.CARE_PLAN_PURPOSES)
        plan = section(_("Care plan"), [
            w.HTML(f"<ul class='cpkit-note'>{purposes}</ul>"),
            self.add(fields.date("care_plan.agreed_on", _("Agreed on"))).box,
            self.add(fields.date("care_plan.review_date", _("Review date"))).box,
            self.add(fields.date("care_plan.distributed_on", _("Copies distributed on"))).box,
        ])
        return [plan, section(_("Actions"), [self.actions.box])]

    def _action_row(self, prefix: str, _index: int, item: dict):
        def rel(name: str) -> dict:
            return {"rel": name}

        row = [
            fields.text(f"{prefix}.need", _("Need"), **rel("need")),
            fields.choice(f"{prefix}.indicator", _("Wellbeing indicator"),
                          _options("indicator", protocol.indicator_keys()), **rel("indicator")),
            fields.choice(f"{prefix}.risk_factor", _("Risk factor addressed"),
                          _options("factor", protocol.factor_keys()), **rel("risk_factor")),
            fields.text(f"{prefix}.action", _("Action"), multiline=True, rows=2,
                        **rel("action")),
            fields.choice(f"{prefix}.responsible_agency", _("Responsible agency"),
                          _options("agency", protocol.agency_keys()),
                          **rel("responsible_agency")),
            fields.text(f"{prefix}.responsible_person", _("Responsible person"),
                        **rel("responsible_person")),
            fields.choice(f"{prefix}.term", _("Term"), _options("term", protocol.CARE_PLAN_TERMS),
                          **rel("term")),
            fields.date(f"{prefix}.due", _("Due date"), **rel("due")),
            fields.text(f"{prefix}.contingency", _("Contingency"), multiline=True, rows=2,
                        **rel("contingency")),
            fields.choice(f"{prefix}.status", _("Status"),
                          _options("action_status", protocol.ACTION_STATUSES),
                          default="planned", **rel("status")),
            fields.text(f"{prefix}.{NEW_NOTE}", _("New progress note"), multiline=True, rows=2,
                        **rel(NEW_NOTE)),
        ]
        progress = item.get("progress") or []
        if progress:
            entries = "".join(
                f"<li>{esc(p.get('date') or '')} {esc(p.get('by') or '')}: "
                f"{esc(p.get('note') or '')}</li>" for p in progress)
            extra = [w.HTML(f"<div class='cpkit-checklist-title'>{esc(_('Progress notes'))}"
                            f"</div><ul class='cpkit-note'>{entries}</ul>")]
        else:
            extra = [note(_("No progress notes yet."))]
        return row, extra

    def fill_extra(self, document: dict) -> None:
        self.actions.set((document.get("care_plan") or {}).get("actions"))

    def collect_extra(self, document: dict) -> None:
        actions = self.actions.get()
        for action in actions:
            text = action.pop(NEW_NOTE, None)
            if text:
                action.setdefault("progress", []).append(
                    {"date": self.today.isoformat(), "by": self.author(), "note": text})
        if actions or (document.get("care_plan") or {}).get("actions") is not None:
            document.setdefault("care_plan", {})["actions"] = actions
