"""Agreement between trainees: Fleiss' kappa, overall and per risk factor.

Fleiss' kappa is written out here (a dozen lines) rather than taken from statsmodels,
which would add statsmodels, scipy and patsy to the kit for one formula; it is tested
against the worked example of Fleiss (1971) as given on Wikipedia (kappa = 0.210).

Definitions used in the trainer's view:

- *Subjects* are the things rated and *categories* the levels ``low``, ``medium``,
  ``high`` and ``not_known`` (kept apart from ``high``: saying "not known" is a different
  judgement from "high", although the protocol counts both as high risk).
- **Overall kappa**: the subjects are the (case, factor) pairs of the session, rated by
  the trainees who answered that case.
- **Per-factor kappa**: the subjects are the session's cases, for that factor.  With a
  single case a kappa per factor is not defined (one subject); the view then shows the
  factor's **proportion of agreement** P_i: the share of pairs of trainees who gave the
  same level (1.0 when everyone agrees).  With several cases P is the mean over cases.
- The factors where the group **disagrees most** are those with the lowest P.
- A trainee who answers a case twice counts once, with the latest answer.  Trainees may
  skip a factor, so the number of raters may vary per subject: the generalisation of
  Fleiss' formulas to varying n_i is used (identical to Fleiss' when every n_i is equal).
  Subjects with fewer than two ratings are left out.
- When every rating falls in one category, kappa is 0/0 and reported as not defined
  (``None``); P is then 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cpkit import protocol

CATEGORIES = (*protocol.LEVELS, "not_known")


def proportions(row: Sequence[int]) -> float | None:
    """P_i: the share of agreeing pairs among the n_i ratings of one subject."""
    n = sum(row)
    if n < 2:
        return None
    return (sum(c * c for c in row) - n) / (n * (n - 1))


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa of ``table`` (subjects x categories, counts of raters).

    ``None`` when no subject has two ratings or all ratings fall in one category.
    """
    rows = [list(r) for r in table if sum(r) >= 2]
    if not rows:
        return None
    p_bar = sum(proportions(r) for r in rows) / len(rows)
    total = sum(sum(r) for r in rows)
    p_e = sum((sum(r[j] for r in rows) / total) ** 2 for j in range(len(rows[0])))
    if p_e >= 1.0 - 1e-12:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


@dataclass(frozen=True)
class FactorAgreement:
    factor: str
    counts: dict[str, int]        # level -> ratings, over all the session's cases
    proportion: float | None      # P (mean over cases)
    kappa: float | None           # over cases as subjects; None with a single case
    ratings: int


@dataclass(frozen=True)
class SessionAgreement:
    trainees: int
    cases: tuple[str, ...]
    answers: int
    kappa: float | None
    factors: tuple[FactorAgreement, ...]

    def most_disagreed(self, limit: int = 3) -> list[FactorAgreement]:
        """The factors with the lowest proportion of agreement (below full agreement)."""
        rated = [f for f in self.factors if f.proportion is not None and f.proportion < 1.0]
        return sorted(rated, key=lambda f: f.proportion)[:limit]


def latest_answers(answers: Iterable[dict]) -> list[dict]:
    """One answer per (trainee, case): the last one given."""
    latest: dict[tuple[str, str], dict] = {}
    for answer in answers:
        latest[(answer["trainee"].strip().casefold(), answer["case"])] = answer
    return list(latest.values())


def _row(levels: list[str]) -> list[int]:
    return [levels.count(c) for c in CATEGORIES]


def session_agreement(answers: Iterable[dict]) -> SessionAgreement:
    """Agreement of a session's ``answers`` (dicts with ``trainee``, ``case``, ``factors``)."""
    answers = latest_answers(answers)
    cases = tuple(sorted({a["case"] for a in answers}))
    # ratings[factor][case] -> the levels given
    ratings = {f: {c: [] for c in cases} for f in protocol.factor_keys()}
    for answer in answers:
        for key, level in (answer.get("factors") or {}).items():
            if key in ratings and level in CATEGORIES:
                ratings[key][answer["case"]].append(level)
    overall_table = [_row(levels) for per_case in ratings.values() for levels in per_case.values()]
    factors = []
    for key, per_case in ratings.items():
        rows = [_row(levels) for levels in per_case.values()]
        ps = [p for p in (proportions(r) for r in rows) if p is not None]
        counts = {c: sum(r[i] for r in rows) for i, c in enumerate(CATEGORIES)}
        multi = sum(1 for r in rows if sum(r) >= 2) >= 2
        factors.append(FactorAgreement(
            key, counts, sum(ps) / len(ps) if ps else None,
            fleiss_kappa(rows) if multi else None, sum(counts.values())))
    return SessionAgreement(
        trainees=len({a["trainee"].strip().casefold() for a in answers}), cases=cases,
        answers=len(answers), kappa=fleiss_kappa(overall_table), factors=tuple(factors))
