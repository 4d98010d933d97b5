"""What the cells of notebooks/case.ipynb call: show a section as static HTML.

The overview cells show the whole case file (``report="case"``); the last cell shows
the protocol document asked for.  Each shows nothing otherwise, so an executed
notebook holds exactly the report it was run for, and the nbconvert templates can take
every output as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from IPython.display import HTML, display

from cpkit.reports import sections
from cpkit.reports.context import ReportContext


def show(ctx: ReportContext, section: Callable[[ReportContext], str]) -> None:
    """Display one section of the case file, when the whole case file was asked for."""
    if ctx.report == "case":
        display(HTML(section(ctx)))


def show_report(ctx: ReportContext) -> None:
    """Display the protocol document ``ctx.report`` (minutes, closure form ...)."""
    if ctx.report != "case":
        for part in sections.report(ctx):
            display(HTML(part))
