"""The dashboard's tables, as pure functions from store rows to pandas DataFrames.

The store keeps, for every case, copies of its derived values (overall risk, stage,
next deadline) and one row per protocol deadline, refreshed on every save; so the
dashboard needs no case document: :func:`load` reads two lists of rows through the
access guard (only the cases the user may list; never a training case) and the
functions here shape them.  :func:`rows_from_cases` makes the same rows from case
documents, for checking the copies and for the benchmark's "naive" comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from cpkit import protocol
from cpkit.collector import paused
from cpkit.dashboard.coming import coming_cmrs
from cpkit.dashboard.coming import load as load_coming
from cpkit.dashboard.table import CASELOAD_COLUMNS as CASELOAD_COLUMNS
from cpkit.dashboard.table import NOT_ASSESSED as NOT_ASSESSED
from cpkit.dashboard.table import OVERDUE_COLUMNS as OVERDUE_COLUMNS
from cpkit.dashboard.table import caseload_rows, overdue_rows
from cpkit.dashboard.table import kind_of as kind_of
from cpkit.dashboard.table import meeting_of as meeting_of
from cpkit.rules.stages import STAGES

RISK_LEVELS = tuple(reversed(protocol.LEVELS))  # highest first
SORTABLE = ("case_id", "overall_risk", "stage", "case_manager", "next_due", "days_late")


def overdue_table(rows: Iterable[dict], as_of: dt.date) -> pd.DataFrame:
    """The overdue list: one row per missed protocol deadline, with how many days late,
    the longest overdue first.  ``rows`` are :meth:`Store.deadline_rows` rows."""
    return pd.DataFrame(overdue_rows(rows, as_of), columns=list(OVERDUE_COLUMNS))


def lateness_by_agency(overdue: pd.DataFrame) -> pd.DataFrame:
    """The overdue deadlines an agency owes (progress reports, apologies), one row each,
    grouped by agency, the most days late first: who is late, for which CMR."""
    owed = overdue[overdue["agency"] != ""]
    return owed.sort_values(["agency", "days_late"], ascending=[True, False],
                            kind="stable").reset_index(drop=True)


def caseload_table(summaries: Iterable[dict], overdue: pd.DataFrame | list[dict]
                   ) -> pd.DataFrame:
    """The caseload: one row per case (``Store.summaries`` rows) with its overdue flags
    (how many deadlines are missed, which kinds, the most days late): the rows of
    :func:`cpkit.dashboard.table.caseload_rows`."""
    if isinstance(overdue, pd.DataFrame):
        overdue = overdue.to_dict("records")
    frame = pd.DataFrame(caseload_rows(summaries, overdue), columns=list(CASELOAD_COLUMNS))
    return frame.astype({"overdue": bool, "overdue_count": int, "days_late": int})


def counts_by_risk(caseload: pd.DataFrame) -> pd.Series:
    """How many cases at each overall risk level (high, medium, low, not assessed)."""
    order = [*RISK_LEVELS, NOT_ASSESSED]
    return caseload["overall_risk"].value_counts().reindex(order, fill_value=0).astype(int)


def counts_by_stage(caseload: pd.DataFrame) -> pd.Series:
    """How many cases at each stage, in the order of case management."""
    return caseload["stage"].value_counts().reindex(list(STAGES), fill_value=0).astype(int)


def workload(caseload: pd.DataFrame) -> pd.DataFrame:
    """Per case manager: open cases, open high-risk cases, cases with overdue deadlines."""
    open_ = caseload[caseload["stage"] != "closed"]
    frame = pd.DataFrame({
        "open": open_.groupby("case_manager").size(),
        "high": open_[open_["overall_risk"] == "high"].groupby("case_manager").size(),
        "overdue": caseload[caseload["overdue"]].groupby("case_manager").size(),
    }).fillna(0).astype(int)
    frame.index.name = "case_manager"
    return frame.sort_values(["open", "overdue"], ascending=False, kind="stable")


def filter_caseload(caseload: pd.DataFrame, *, risk: str | None = None,
                    stage: str | None = None, manager: str | None = None,
                    overdue: bool = False) -> pd.DataFrame:
    """The rows matching every filter given (``None`` / ``False``: no filter)."""
    keep = pd.Series(True, index=caseload.index)
    if risk is not None:
        keep &= caseload["overall_risk"] == risk
    if stage is not None:
        keep &= caseload["stage"] == stage
    if manager is not None:
        keep &= caseload["case_manager"] == manager
    if overdue:
        keep &= caseload["overdue"]
    return caseload[keep]


def sort_caseload(caseload: pd.DataFrame, column: str = "case_id",
                  ascending: bool = True) -> pd.DataFrame:
    """Sorted by ``column``; risk and stage sort in the protocol's order, not A-Z."""
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; sortable: {', '.join(SORTABLE)}")
    ranks = {"overall_risk": {"low": 1, "medium": 2, "high": 3},
             "stage": {s: i for i, s in enumerate(STAGES)}}

    def key(values: pd.Series) -> pd.Series:
        if values.name in ranks:
            return values.map(ranks[values.name]).fillna(0)
        return values.fillna("") if values.name == "case_manager" else values

    columns = [column] if column == "case_id" else [column, "case_id"]
    return caseload.sort_values(columns, ascending=ascending, kind="stable", key=key,
                                na_position="last")


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows about the caseload, as of one day."""

    as_of: dt.date
    caseload: pd.DataFrame
    overdue: pd.DataFrame
    by_risk: pd.Series
    by_stage: pd.Series
    workload: pd.DataFrame
    coming: list = field(default_factory=list)  # coming CMRs (see coming_cmrs)

    @property
    def managers(self) -> list[str]:
        return sorted(m for m in self.caseload["case_manager"].unique() if m)


def build(summaries: Iterable[dict], deadline_rows: Iterable[dict],
          as_of: dt.date, open_rows: Iterable[dict] = ()) -> DashboardData:
    """The dashboard's tables from the store's caseload and deadline rows (the overdue
    ones; ``open_rows``, every open one, for the coming CMRs)."""
    late = overdue_rows(deadline_rows, as_of)
    overdue = pd.DataFrame(late, columns=list(OVERDUE_COLUMNS))
    caseload = caseload_table(summaries, late)
    return DashboardData(as_of, caseload, overdue, counts_by_risk(caseload),
                         counts_by_stage(caseload), workload(caseload),
                         coming_cmrs(open_rows, as_of))


def load(guard, as_of: dt.date) -> DashboardData:
    """The live caseload (never training cases) as ``guard``'s user may list it (a row
    per case of every year: the collector is paused while they are read and shaped)."""
    with paused():
        open_rows = guard.deadline_rows(as_of, overdue_only=False, training=False)
        overdue = [r for r in open_rows if r["due"] < as_of]
        board = build(guard.summaries(training=False), overdue, as_of, open_rows)
        return replace(board, coming=load_coming(guard, as_of, open_rows))


def rows_from_cases(cases: Iterable, as_of: dt.date) -> tuple[list[dict], list[dict]]:
    """Summary and overdue-deadline rows recomputed from case documents (the slow way
    round; the store keeps these as columns).  Training cases are left out."""
    from cpkit.rules.calendar import calendar
    from cpkit.rules.deadlines import case_deadlines, next_open
    from cpkit.rules.meetings import current_risk
    from cpkit.rules.risk import case_risk
    from cpkit.rules.summary import stage

    cal = calendar()
    summaries, late = [], []
    for case in cases:
        if case.training:
            continue
        found = case_deadlines(case, cal)
        upcoming = next_open(found)
        risk_now = current_risk(case)
        summaries.append({
            "case_id": case.case_id, "overall_risk": case_risk(case).level,
            "current_risk": risk_now, "stage": stage(case), "case_manager": case.case_manager,
            "municipality": case.municipality, "next_kind": upcoming.name if upcoming else None,
            "next_due": upcoming.due if upcoming else None, "version": None})
        late += [{"case_id": case.case_id, "name": d.name, "kind": d.kind, "due": d.due,
                  "done_on": None, "meeting": d.meeting, "agency": d.agency,
                  "case_manager": case.case_manager, "current_risk": risk_now}
                 for d in found if d.done_on is None and d.due < as_of]
    summaries.sort(key=lambda r: r["case_id"])
    return summaries, late
