"""The caseload as a spreadsheet: ``cpkit caseload --format csv|xlsx``.

The same table as the dashboard's, with headers and values in the user's language
(risk levels, stages and deadline kinds by their protocol names), case codes only:
nothing in it identifies a child.  Every text cell is defused
(:func:`cpkit.defuse.spreadsheet_cell`): no formula from stored data, no control
character.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cpkit.dashboard.labels import risk_label, stage_label
from cpkit.dashboard.table import kind_of
from cpkit.defuse import spreadsheet_cell
from cpkit.i18n import _, current_lang
from cpkit.rules.timescales import label as deadline_label  # as rules.deadlines.label

if TYPE_CHECKING:
    import pandas as pd

    from cpkit.dashboard.data import DashboardData

FORMATS = ("csv", "xlsx")


def sheet_rows(caseload: Iterable[dict], lang: str | None = None
               ) -> tuple[list[str], list[list]]:
    """The headers (translated) and the cells of the caseload rows
    (:func:`cpkit.dashboard.table.caseload_rows`) with labelled values, every text
    cell defused; in the order given (code order)."""
    lang = lang or current_lang()
    known: dict = {}  # (what, stored value) -> its defused cell: worked out once each

    def once(what: str, value, make=lambda v: v):
        key = (what, value)
        if key not in known:
            known[key] = spreadsheet_cell(make(value))
        return known[key]

    def risk(k):
        return risk_label(k, lang)

    def stage(k):
        return stage_label(k, lang)

    def kind(n):
        return deadline_label(kind_of(n), lang) if n else ""

    def kinds(text):
        return "; ".join(deadline_label(k, lang) for k in text.split(", ")) if text else ""

    yes, no = spreadsheet_cell(_("yes")), spreadsheet_cell(_("no"))
    headers = [_("code"), _("overall risk"), _("stage"), _("case manager"), _("municipality"),
               _("next deadline"), _("due"), _("overdue"), _("overdue deadlines"),
               _("days late"), _("which deadlines are overdue")]
    cells = [[spreadsheet_cell(r["case_id"]), once("risk", r["overall_risk"], risk),
              once("stage", r["stage"], stage), once("text", r["case_manager"]),
              once("text", r["municipality"] or ""), once("kind", r["next_kind"] or "", kind),
              r["next_due"], yes if r["overdue"] else no, r["overdue_count"], r["days_late"],
              once("kinds", r["overdue_kinds"], kinds)] for r in caseload]
    return headers, cells


def csv_text(caseload: Iterable[dict], lang: str | None = None) -> str:
    """The caseload rows as CSV text (UTF-8, comma-separated, ISO dates), without pandas."""
    headers, cells = sheet_rows(caseload, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else v for v in row] for row in cells])
    return out.getvalue()


def caseload_sheet(data: DashboardData, lang: str | None = None) -> pd.DataFrame:
    """The caseload with translated headers and labelled values, in code order."""
    import pandas as pd

    headers, cells = sheet_rows(data.caseload.to_dict("records"), lang)
    return pd.DataFrame(cells, columns=headers)


def caseload_csv(data: DashboardData, lang: str | None = None) -> str:
    """The caseload as CSV text (UTF-8, comma-separated, ISO dates)."""
    return csv_text(data.caseload.to_dict("records"), lang)


def caseload_xlsx(data: DashboardData, lang: str | None = None) -> bytes:
    """The caseload as an Excel workbook (one sheet, header row frozen)."""
    import pandas as pd

    buffer = io.BytesIO()
    sheet = caseload_sheet(data, lang)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        name = _("Caseload")[:31]
        sheet.to_excel(writer, index=False, sheet_name=name)
        ws = writer.sheets[name]
        ws.freeze_panes = "A2"
        for column, header in zip(ws.columns, sheet.columns, strict=True):
            width = max([len(str(header)), *(len(str(c.value or "")) for c in column[1:200])])
            ws.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
    return buffer.getvalue()
