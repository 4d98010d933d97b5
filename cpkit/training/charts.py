"""The trainer's charts of a group session, as static PNG images.

Built on :class:`matplotlib.figure.Figure` directly (no pyplot state, no GUI backend),
so they render the same in a kernel, under Voila and in tests.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from cpkit import protocol
from cpkit.i18n import _
from cpkit.training.agreement import CATEGORIES, SessionAgreement

COLOURS = protocol.LEVEL_COLOURS


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _short(key: str, width: int = 46) -> str:
    text = protocol.label("factor", key)
    return text if len(text) <= width else text[: width - 1] + "…"


def ratings_chart(agreement: SessionAgreement) -> bytes:
    """Per factor, how many trainees gave each level (stacked horizontal bars)."""
    factors = list(agreement.factors)
    fig = Figure(figsize=(9, 5.5))
    ax = fig.add_subplot()
    names = [_short(f.factor) for f in factors]
    left = [0] * len(factors)
    for level in CATEGORIES:
        counts = [f.counts[level] for f in factors]
        if not any(counts):
            continue
        ax.barh(names, counts, left=left, color=COLOURS[level],
                label=protocol.label("level", level))
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel(_("Ratings"))
    ax.set_title(_("How the group rated each factor"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, fontsize=8,
              frameon=False)
    return _png(fig)


def agreement_chart(agreement: SessionAgreement) -> bytes:
    """Per factor, the proportion of agreeing pairs, lowest (most disagreement) first."""
    rated = sorted((f for f in agreement.factors if f.proportion is not None),
                   key=lambda f: f.proportion)
    fig = Figure(figsize=(9, 5.5))
    ax = fig.add_subplot()
    names = [_short(f.factor) for f in rated]
    values = [f.proportion for f in rated]
    colours = [COLOURS["high"] if v < 0.5 else COLOURS["medium"] if v < 0.8 else COLOURS["low"]
               for v in values]
    ax.barh(names, values, color=colours)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(_("Proportion of trainee pairs giving the same level"))
    kappa = ("—" if agreement.kappa is None else f"{agreement.kappa:.2f}")
    ax.set_title(_("Agreement per factor (Fleiss' kappa overall: {kappa})").format(kappa=kappa))
    return _png(fig)
