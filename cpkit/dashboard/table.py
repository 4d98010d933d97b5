"""The caseload and overdue tables as plain rows (dicts), without pandas.

The one place the caseload's overdue flags are worked out: the dashboard's DataFrames
(:mod:`cpkit.dashboard.data`) are made from these rows, and ``cpkit caseload --format
csv`` writes them as they are, without paying for pandas' import (about a second of
CPU, more than the whole command may take).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

NOT_ASSESSED = ""  # the risk key of a case whose overall risk is not known yet
CASELOAD_COLUMNS = ("case_id", "overall_risk", "current_risk", "stage", "case_manager",
                    "municipality", "next_kind", "next_due", "overdue", "overdue_count",
                    "days_late", "overdue_kinds", "version")
OVERDUE_COLUMNS = ("case_id", "kind", "name", "due", "days_late", "case_manager",
                   "current_risk", "meeting", "agency")


def kind_of(name: str | None) -> str:
    """The deadline kind of a stored deadline name (``minutes@2026-10-01`` -> minutes)."""
    return (name or "").split("@", 1)[0].split("#", 1)[0]


def meeting_of(name: str | None) -> str:
    """The meeting date in a repeated deadline's name (``minutes@2026-10-01``), or ``""``."""
    rest = (name or "").split("@", 1)
    return rest[1].split("#", 1)[0] if len(rest) == 2 else ""


def overdue_rows(rows: Iterable[dict], as_of: dt.date) -> list[dict]:
    """One row per missed protocol deadline (``Store.deadline_rows`` rows), with how
    many days late, the longest overdue first (then by code and deadline name)."""
    late = [{"case_id": r["case_id"], "kind": r["kind"], "name": r["name"], "due": r["due"],
             "days_late": (as_of - r["due"]).days, "case_manager": r["case_manager"],
             "current_risk": r["current_risk"],
             "meeting": r["meeting"].isoformat() if r.get("meeting") else meeting_of(r["name"]),
             "agency": r.get("agency") or ""}
            for r in rows if r["done_on"] is None and r["due"] < as_of]
    late.sort(key=lambda r: (-r["days_late"], r["case_id"], r["name"]))
    return late


def caseload_rows(summaries: Iterable[dict], overdue: Iterable[dict]) -> list[dict]:
    """One row per case (``Store.summaries`` rows) with its overdue flags: how many
    deadlines are missed, which kinds (in the order of ``overdue``), the most days late."""
    counts: dict[str, int] = {}
    worst: dict[str, int] = {}
    kinds: dict[str, dict[str, None]] = {}
    for r in overdue:
        code = r["case_id"]
        counts[code] = counts.get(code, 0) + 1
        worst[code] = max(worst.get(code, r["days_late"]), r["days_late"])
        kinds.setdefault(code, {})[r["kind"]] = None
    return [{"case_id": (code := s["case_id"]),
             "overall_risk": s["overall_risk"] or NOT_ASSESSED,
             "current_risk": s["current_risk"], "stage": s["stage"],
             "case_manager": s["case_manager"] or "", "municipality": s["municipality"] or "",
             "next_kind": s["next_kind"] or "", "next_due": s["next_due"],
             "overdue": code in counts, "overdue_count": counts.get(code, 0),
             "days_late": worst.get(code, 0), "overdue_kinds": ", ".join(kinds.get(code, ())),
             "version": s["version"]} for s in summaries]
