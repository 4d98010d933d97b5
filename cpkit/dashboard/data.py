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
from cpkit.dashboard.coming import coming_cmrs
from cpkit.dashboard.coming import load as load_coming
from cpkit.rules.summary import STAGES

RISK_LEVELS = tuple(reversed(protocol.LEVELS))  # highest first
NOT_ASSESSED = ""  # the risk key of a case whose overall risk is not known yet
CASELOAD_COLUMNS = ("case_id", "overall_risk", "current_risk", "stage", "case_manager",
                    "municipality", "next_kind", "next_due", "overdue", "overdue_count",
                    "days_late", "overdue_kinds", "version")
OVERDUE_COLUMNS = ("case_id", "kind", "name", "due", "days_late", "case_manager",
                   "current_risk", "meeting", "agency")
SORTABLE = ("case_id", "overall_risk", "stage", "case_manager", "next_due", "days_late")


def kind_of(name: str | None) -> str:
    """The deadline kind of a stored deadline name (``minutes@2026-10-01`` -> minutes)."""
    return (name or "").split("@", 1)[0].split("#", 1)[0]


def meeting_of(name: str | None) -> str:
    """The meeting date in a repeated deadline's name (``minutes@2026-10-01``), or ``""``."""
    rest = (name or "").split("@", 1)
    return rest[1].split("#", 1)[0] if len(rest) == 2 else ""


def overdue_table(rows: Iterable[dict], as_of: dt.date) -> pd.DataFrame:
    """The overdue list: one row per missed protocol deadline, with how many days late,
    the longest overdue first.  ``rows`` are :meth:`Store.deadline_rows` rows."""
    late = [r for r in rows if r["done_on"] is None and r["due"] < as_of]
    frame = pd.DataFrame(late, columns=["case_id", "name", "kind", "due", "case_manager",
                                        "current_risk"])
    frame["days_late"] = [(as_of - due).days for due in frame["due"]]
    frame["meeting"] = [r["meeting"].isoformat() if r.get("meeting") else meeting_of(r["name"])
                        for r in late]
    frame["agency"] = [r.get("agency") or "" for r in late]
    frame = frame.sort_values(["days_late", "case_id", "name"], ascending=[False, True, True],
                              kind="stable")
    return frame.loc[:, list(OVERDUE_COLUMNS)].reset_index(drop=True)


def lateness_by_agency(overdue: pd.DataFrame) -> pd.DataFrame:
    """The overdue deadlines an agency owes (progress reports, apologies), one row each,
    grouped by agency, the most days late first: who is late, for which CMR."""
    owed = overdue[overdue["agency"] != ""]
    return owed.sort_values(["agency", "days_late"], ascending=[True, False],
                            kind="stable").reset_index(drop=True)


def caseload_table(summaries: Iterable[dict], overdue: pd.DataFrame) -> pd.DataFrame:
    """The caseload: one row per case (``Store.summaries`` rows) with its overdue flags
    (how many deadlines are missed, which kinds, the most days late)."""
    frame = pd.DataFrame(list(summaries), columns=["case_id", "overall_risk", "current_risk",
                                                   "stage", "case_manager", "municipality",
                                                   "next_kind", "next_due", "version"])
    frame["overall_risk"] = frame["overall_risk"].fillna(NOT_ASSESSED)
    frame["case_manager"] = frame["case_manager"].fillna("")
    frame["next_kind"] = frame["next_kind"].fillna("")
    frame["municipality"] = frame["municipality"].fillna("")
    frame["next_due"] = frame["next_due"].astype(object).where(frame["next_due"].notna(), None)
    counts: dict = {}
    worst: dict = {}
    kinds: dict = {}
    if len(overdue):
        grouped = overdue.groupby("case_id", sort=False)
        counts = grouped.size().to_dict()
        worst = grouped["days_late"].max().to_dict()
        kinds = grouped["kind"].agg(lambda ks: ", ".join(dict.fromkeys(ks))).to_dict()
    codes = frame["case_id"]
    frame["overdue_count"] = [int(counts.get(c, 0)) for c in codes]
    frame["overdue"] = frame["overdue_count"] > 0
    frame["days_late"] = [int(worst.get(c, 0)) for c in codes]
    frame["overdue_kinds"] = [kinds.get(c, "") for c in codes]
    return frame.loc[:, list(CASELOAD_COLUMNS)]


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
    overdue = overdue_table(deadline_rows, as_of)
    caseload = caseload_table(summaries, overdue)
    return DashboardData(as_of, caseload, overdue, counts_by_risk(caseload),
                         counts_by_stage(caseload), workload(caseload),
                         coming_cmrs(open_rows, as_of))


def load(guard, as_of: dt.date) -> DashboardData:
    """The live caseload (never training cases) as ``guard``'s user may list it."""
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
