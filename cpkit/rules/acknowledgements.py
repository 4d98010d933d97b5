"""Warnings the user acknowledged: which rule, which field, who, when.

A warning (the protocol's "should") never stops a save on its own; a form asks the
user to acknowledge it first and the acknowledgement is kept on the case
(``acknowledgements``), so a report can show that the user saw it and went on.  A
warning is matched to an acknowledgement by rule id and field path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cpkit.errors import FieldProblem
from cpkit.model import Case, WarningAcknowledgement
from cpkit.rules.checks import case_warnings
from cpkit.rules.registry import all_rules


def key(problem: FieldProblem) -> tuple[str, str]:
    return problem.rule, problem.path


def is_acknowledged(case: Case, warning: FieldProblem) -> bool:
    return key(warning) in {(a.rule, a.field) for a in case.acknowledgements}


def pending(case: Case, as_of: dt.date | None = None,
            form: str | None = None) -> list[FieldProblem]:
    """The warnings not yet acknowledged (only those a ``form`` asks about, if given)."""
    rules = all_rules()
    return [w for w in case_warnings(case, as_of) if not is_acknowledged(case, w)
            and (form is None or rules[w.rule].form == form)]


def acknowledge(document: dict, warnings: Iterable[FieldProblem], by: str,
                at: dt.datetime) -> dict:
    """``document`` with an acknowledgement by ``by`` at ``at`` for each of ``warnings``
    (a warning already acknowledged is not recorded twice)."""
    entries = list(document.get("acknowledgements") or [])
    seen = {(e.get("rule"), e.get("field")) for e in entries if isinstance(e, dict)}
    for warning in warnings:
        if key(warning) not in seen:
            seen.add(key(warning))
            entries.append({"rule": warning.rule, "field": warning.path, "by": by,
                            "at": at.isoformat(timespec="seconds")})
    return {**document, "acknowledgements": entries} if entries else document


def for_report(case: Case, report: str) -> list[WarningAcknowledgement]:
    """The acknowledgements a report shows: those of the rules that name ``report``."""
    rules = all_rules()
    return [a for a in case.acknowledgements
            if a.rule in rules and report in rules[a.rule].reports]
