"""The protocol's rules, each with an id, its sentence, and what breaking it does.

The brief's principle: what the protocol says *must* or *only* happen is a
**refusal** (nothing is written; exit 2 on the command line, Save refused in a form);
what it says *should* happen is a **warning** the user acknowledges (the
acknowledgement, who and when, is kept on the case and shown in the relevant report).
A few rules fix a value the kit computes (the overall risk of an unaccompanied child):
they are **derived**.

Each rule is one function, registered with :func:`rule`; ``docs/protocol-rules.md``
has one row per rule id, and ``tests/rules/test_rule_table.py`` keeps the two (and the
tests that prove each rule) in step.  A refusal or warning function takes the case and
the day the user acts on (``as_of``; ``None`` where no day is known, e.g. checking a
stored document) and returns :class:`~cpkit.errors.FieldProblem` items naming fields;
:func:`run` stamps them with the rule's id and severity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Literal

from cpkit.errors import FieldProblem
from cpkit.i18n import gettext

Kind = Literal["refusal", "warning", "derived"]
Check = Callable[..., Iterable[FieldProblem]]


@dataclass(frozen=True)
class Rule:
    """One protocol rule: its id, the protocol's words, where they stand, its kind."""

    id: str
    kind: Kind
    words: str                 # the protocol's sentence (marked for translation)
    where: str                 # section, appendix, article
    function: Callable
    form: str | None = None    # the form whose Save asks to acknowledge a warning
    reports: tuple[str, ...] = ()  # the reports that show its acknowledgements

    def quote(self) -> str:
        """The protocol's words and where they stand, in the user's language."""
        return f"(“{gettext(self.words)}”, {gettext(self.where)})"

    @property
    def qualname(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


RULES: dict[str, Rule] = {}


def rule(rule_id: str, kind: Kind, words: str, where: str, *, form: str | None = None,
         reports: Iterable[str] = ()) -> Callable[[Callable], Callable]:
    """Register the decorated function as the one that applies rule ``rule_id``."""

    def register(function: Callable) -> Callable:
        if rule_id in RULES and RULES[rule_id].qualname != (
                f"{function.__module__}.{function.__qualname__}"):
            raise ValueError(f"rule {rule_id} is registered twice")
        RULES[rule_id] = Rule(rule_id, kind, words, where, function, form, tuple(reports))
        function.rule_id = rule_id  # type: ignore[attr-defined]
        return function

    return register


def _load_all() -> None:
    """Import every module that registers rules, so :data:`RULES` is complete."""
    from cpkit.rules import care_plan, child, closure, consent, meetings, risk  # noqa: F401


def all_rules() -> dict[str, Rule]:
    _load_all()
    return RULES


def run(case, kind: Kind, as_of: dt.date | None = None) -> list[FieldProblem]:
    """Every problem the rules of ``kind`` find in ``case``, stamped with the rule."""
    return [p for r in all_rules().values() if r.kind == kind for p in apply(r, case, as_of)]


def apply(r: Rule, case, as_of: dt.date | None = None) -> list[FieldProblem]:
    """The problems rule ``r`` finds in ``case``, each with the rule's id, severity and
    the protocol's words."""
    return [replace(p, rule=r.id, severity=r.kind, message=f"{p.message} {r.quote()}")
            for p in r.function(case, as_of)]
