"""A closed case reopened by a further referral about the same child.

"Closing a case does not mean that work stops with the child and the family" (Procedure
for Closing Cases): when an agency refers the child again, intake finds the closed case
(the child is known) and links the referral to it rather than opening a second file.
The new concern is a referral like the first: the Center for Social Work assesses it
("The assessment should be completed within 14 working days from referral"), then a
CMR is held if the risk is medium or high.  So the case goes back to the ``referral``
stage, and its deadlines start again from the new referral.

The closure is not lost: it moves into ``reopenings`` (a cpkit key of the case, with
the day, who reopened it and the referring agency), where the chronology reads it.
:func:`current_cycle` is the case as its deadlines and stage see it after a reopening:
what was recorded before it (meetings, the agreed care plan, an assessment not redone)
is history, not something owed again.
"""

from __future__ import annotations

import datetime as dt

from cpkit.model import Assessment, CarePlan, Case


def reopenings(case: Case) -> list[dict]:
    """The case's reopenings, oldest first (``{"date", "by", "referring_agency",
    "closure"}``)."""
    return list((case.model_extra or {}).get("reopenings") or [])


def reopened_on(case: Case) -> dt.date | None:
    """The day of the latest reopening, while the case is open."""
    found = reopenings(case)
    if case.closure is not None or not found:
        return None
    return dt.date.fromisoformat(str(found[-1]["date"]))


def reopen(case: Case, on: dt.date, by: str, referring_agency: str | None) -> Case:
    """``case`` (closed) reopened on ``on`` by ``by`` after a further referral from
    ``referring_agency``: its closure kept in ``reopenings``, the case open again."""
    if case.closure is None:
        raise ValueError(f"{case.code} is open; only a closed case is reopened")
    out = case.model_copy(deep=True)
    entry = {"date": on.isoformat(), "by": by, "referring_agency": referring_agency,
             "closure": case.closure.model_dump(mode="json", by_alias=True,
                                                exclude_none=True)}
    out.reopenings = [*reopenings(case), {k: v for k, v in entry.items() if v is not None}]
    out.closure = None
    return out


def current_cycle(case: Case) -> Case:
    """``case`` as its deadlines and stage see it: after a reopening, the new referral
    (on the reopening day) with only what was done since; otherwise the case itself."""
    since = reopened_on(case)
    if since is None:
        return case
    out = case.model_copy(deep=True)
    out.referral = out.referral.model_copy(update={"date": since, "identified_on": None})
    a = case.assessment
    if not ((a.started_on and a.started_on >= since)
            or (a.completed_on and a.completed_on >= since)):
        out.assessment = Assessment()
    elif a.completed_on and a.completed_on < since:  # reassessment started, not done
        out.assessment = out.assessment.model_copy(update={"completed_on": None})
    if not (case.care_plan.agreed_on and case.care_plan.agreed_on >= since):
        out.care_plan = CarePlan()
    out.meetings = [m for m in case.meetings if m.date >= since]
    return out
