"""The dashboard's and the review's charts (matplotlib, no pyplot state).

Figures are made with :class:`matplotlib.figure.Figure` directly, so nothing depends
on a GUI backend and nothing accumulates in a long-running Voila kernel.  Charts
that can show small numbers take ``suppress``: a bar for fewer than
:data:`cpkit.dashboard.review.SMALL` cases is not drawn, and "<5" is written in its place.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from cpkit import protocol
from cpkit.dashboard.labels import risk_label, stage_label
from cpkit.i18n import _

COLOURS = {**{level: protocol.LEVEL_COLOURS[level] for level in protocol.LEVELS},
           "": protocol.LEVEL_COLOURS["not_known"]}
BAR = "#2f6fde"
SMALL = 5  # counts under this are not shown where suppression applies


def bar_chart(labels: Sequence[str], counts: Sequence[int], title: str, *,
              colours: Sequence[str] | None = None, suppress: bool = False,
              horizontal: bool = False) -> Figure:
    """One bar per label; with ``suppress``, counts under 5 are not drawn but
    labelled "<5"."""
    labels = [textwrap.fill(str(label), 28 if horizontal else 14) for label in labels]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(2.4, 0.3 * lines + 0.2 * len(labels) + 1.2) if horizontal else 3.2
    fig = Figure(figsize=(6.4, height), layout="constrained")
    ax = fig.add_subplot()
    shown = [0 if suppress and n < SMALL else n for n in counts]
    positions = range(len(labels))
    colour = list(colours) if colours else BAR
    bars = (ax.barh(positions, shown, color=colour) if horizontal
            else ax.bar(positions, shown, color=colour))
    texts = [f"<{SMALL}" if suppress and n < SMALL else str(n) for n in counts]
    ax.bar_label(bars, labels=texts, padding=3)
    if horizontal:
        ax.set_yticks(list(positions), labels=list(labels))
        ax.invert_yaxis()
        ax.set_xlim(0, max([*shown, 1]) * 1.2)
    else:
        ax.set_xticks(list(positions), labels=list(labels), rotation=0)
        ax.set_ylim(0, max([*shown, 1]) * 1.2)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    (ax.xaxis if horizontal else ax.yaxis).get_major_locator().set_params(integer=True)
    return fig


def risk_chart(by_risk: pd.Series) -> Figure:
    """Cases by overall risk level."""
    return bar_chart([risk_label(k) for k in by_risk.index], list(by_risk.values),
                     _("Cases by overall risk"),
                     colours=[COLOURS.get(k, BAR) for k in by_risk.index])


def stage_chart(by_stage: pd.Series) -> Figure:
    """Cases by stage of case management."""
    return bar_chart([stage_label(k) for k in by_stage.index], list(by_stage.values),
                     _("Cases by stage"))


def workload_chart(workload: pd.DataFrame) -> Figure:
    """Open cases per case manager, with how many are high risk and how many overdue."""
    height = max(2.4, 0.5 * len(workload) + 1.4)
    fig = Figure(figsize=(6.4, height), layout="constrained")
    ax = fig.add_subplot()
    names = [m or _("(no case manager)") for m in workload.index]
    rows = range(len(names))
    series = [("open", _("open cases"), BAR), ("high", _("high risk"), COLOURS["high"]),
              ("overdue", _("with overdue deadlines"), "#7f8c8d")]
    step = 0.8 / len(series)
    for i, (column, label, colour) in enumerate(series):
        bars = ax.barh([r + i * step for r in rows], workload[column].values, height=step,
                       color=colour, label=label)
        ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_yticks([r + step for r in rows], labels=names)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(_("Workload per case manager"), loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def img_tag(fig: Figure, alt: str) -> str:
    """The figure as an ``<img>`` with the PNG inline (pages stay one self-contained file)."""
    from html import escape

    data = base64.b64encode(png(fig)).decode("ascii")
    return f"<img class='cpkit-chart' alt='{escape(alt)}' src='data:image/png;base64,{data}'>"
