"""Same child or not: the verdict from the tokens two children share.

The rule, in the order a careful intake worker would apply it:

* a known birth date that differs, or a known sex that differs, is another child;
* name parts pair one to one, exactly or within one typing error, and at least two
  must pair (a given and a family name): one shared surname is a sibling, not the
  child; a second given name or a double surname on one side only does not count
  against a match;
* at most one part may pair only through a typo;
* the birth date (or, when one side has only the year, the year) must agree; with no
  date on either side the names alone give a "possible" match, for a person to decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpkit.matching.tokens import ChildTokens

PARTS_NEEDED = 2


@dataclass(frozen=True)
class Verdict:
    """``level``: ``same`` (names and birth date agree), ``possible`` (names agree, a
    date is missing) or ``different``; ``typos``: parts paired through a typo."""

    level: str
    exact: int = 0
    typos: int = 0

    @property
    def candidate(self) -> bool:
        return self.level != "different"


def _pairs(probe: ChildTokens, other: ChildTokens) -> tuple[int, int]:
    """Pair name parts one to one, exact pairs first; (exact, typo) counts."""
    free = list(range(len(other.parts)))
    exact = typos = 0
    waiting = []
    for mine, variants in probe.parts:
        hit = next((j for j in free if other.parts[j][0] == mine), None)
        if hit is None:
            waiting.append(variants)
        else:
            free.remove(hit)
            exact += 1
    for variants in waiting:
        hit = next((j for j in free if other.parts[j][0] in variants), None)
        if hit is not None:
            free.remove(hit)
            typos += 1
    return exact, typos


def compare(probe: ChildTokens, other: ChildTokens) -> Verdict:
    """Whether ``other`` is the child described by ``probe``."""
    if probe.born and other.born and probe.born != other.born:
        return Verdict("different")
    if probe.sex and other.sex and probe.sex != other.sex:
        return Verdict("different")
    exact, typos = _pairs(probe, other)
    if typos > 1 or exact + typos < PARTS_NEEDED:
        return Verdict("different", exact, typos)
    if probe.born and other.born:
        return Verdict("same", exact, typos)
    if probe.year and other.year:
        if probe.year != other.year:
            return Verdict("different", exact, typos)
        return Verdict("same" if typos == 0 else "possible", exact, typos)
    return Verdict("possible", exact, typos)
