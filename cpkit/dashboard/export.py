"""The caseload as a spreadsheet: ``cpkit caseload --format csv|xlsx``.

The same table as the dashboard's, with headers and values in the user's language
(risk levels, stages and deadline kinds by their protocol names), case codes only:
nothing in it identifies a child.  Every text cell is defused
(:func:`cpkit.defuse.spreadsheet_cell`): no formula from stored data, no control
character.
"""

from __future__ import annotations

import io

import pandas as pd

from cpkit.dashboard.data import DashboardData, kind_of
from cpkit.dashboard.labels import risk_label, stage_label
from cpkit.defuse import spreadsheet_cell
from cpkit.i18n import _, current_lang
from cpkit.rules.deadlines import label as deadline_label

FORMATS = ("csv", "xlsx")


def caseload_sheet(data: DashboardData, lang: str | None = None) -> pd.DataFrame:
    """The caseload with translated headers and labelled values, in code order."""
    lang = lang or current_lang()
    frame = data.caseload
    risks = {k: risk_label(k, lang) for k in frame["overall_risk"].unique()}
    stages = {k: stage_label(k, lang) for k in frame["stage"].unique()}
    kinds = {n: deadline_label(kind_of(n), lang) if n else "" for n in
             frame["next_kind"].fillna("").unique()}
    overdue_kinds = {
        text: "; ".join(deadline_label(k, lang) for k in text.split(", ")) if text else ""
        for text in frame["overdue_kinds"].unique()}
    yes, no = _("yes"), _("no")
    sheet = pd.DataFrame({
        _("code"): frame["case_id"],
        _("overall risk"): frame["overall_risk"].map(risks),
        _("stage"): frame["stage"].map(stages),
        _("case manager"): frame["case_manager"],
        _("municipality"): frame["municipality"].fillna(""),
        _("next deadline"): frame["next_kind"].fillna("").map(kinds),
        _("due"): frame["next_due"],
        _("overdue"): frame["overdue"].map({True: yes, False: no}),
        _("overdue deadlines"): frame["overdue_count"],
        _("days late"): frame["days_late"],
        _("which deadlines are overdue"): frame["overdue_kinds"].map(overdue_kinds),
    })
    for column in sheet.columns:
        if sheet[column].dtype == object or pd.api.types.is_string_dtype(sheet[column]):
            sheet[column] = sheet[column].map(spreadsheet_cell)
    return sheet


def caseload_csv(data: DashboardData, lang: str | None = None) -> str:
    """The caseload as CSV text (UTF-8, comma-separated, ISO dates)."""
    return caseload_sheet(data, lang).to_csv(index=False, lineterminator="\n")


def caseload_xlsx(data: DashboardData, lang: str | None = None) -> bytes:
    """The caseload as an Excel workbook (one sheet, header row frozen)."""
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
