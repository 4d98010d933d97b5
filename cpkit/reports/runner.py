"""Kernel side of the warm engine's batches: several cases' notebooks in one request.

Run cell by cell from the host (nbclient), a case's notebook costs a dozen requests and
half a dozen IOPub messages each, serialised, sent, parsed and bookkept on both sides:
about 0.1 s of the kernel's CPU and as much of the host's, against 2 ms of work in the
cells themselves.  :func:`run` takes the code cells of several cases at once (one
request, the answer in one reply) and runs each cell with IPython's own ``run_cell``,
as the kernel runs an ``execute_request``: same execution counts, same display
outputs, same errors.  After each case the kernel is wiped and checked
(:mod:`cpkit.reports.isolation`) exactly as between two requests; a case after which it
does not come out clean ends the call, and the host replaces the kernel.

A cell that gives anything a plain list of display outputs cannot show as the host's
cell-by-cell run would record it (printed text, warnings, an expression's value, a
display updated or cleared) makes its case ``odd``: the host runs that case again on
its own, cell by cell, and keeps that run.

The cases of one call reach the kernel together (the request carries their notebooks'
parameters, the case documents among them): they are one batch's cases, rendered for
one user, and the case notebook (cpkit's own) reads only its own parameters; what the
wipe guarantees between two cases is that nothing one case's cells leave behind is
there for the next.
"""

from __future__ import annotations

import io
import json
import sys

from IPython.core.displaypub import DisplayPublisher

from cpkit.reports import isolation


class _Outputs(DisplayPublisher):
    """Collects one cell's ``display()`` calls as notebook outputs (nbformat 4).  One per
    call of :func:`run` (a traitlets object is slow to make), emptied for each cell."""

    def __init__(self, shell):
        super().__init__(shell=shell)
        self.empty()

    def empty(self) -> None:
        self.outputs: list[dict] = []
        self.odd = False

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                **kwargs):
        if transient or update:  # a display to update later: only a live client has it
            self.odd = True
        self.outputs.append({"output_type": "display_data", "data": data,
                             "metadata": metadata if metadata is not None else {}})

    def clear_output(self, wait=False):
        self.odd = True


def _cell(shell, outputs: _Outputs, source: str) -> tuple[dict, bool]:
    """Run one cell as an execute_request would; (its result, whether it failed)."""
    outputs.empty()
    streams = io.StringIO()
    saved = shell.display_pub, sys.stdout, sys.stderr
    shell.display_pub, sys.stdout, sys.stderr = outputs, streams, streams
    try:
        result = shell.run_cell(source, store_history=True)
    finally:
        shell.display_pub, sys.stdout, sys.stderr = saved
    if not result.success:
        err = result.error_in_exec or result.error_before_exec
        return {"error": [type(err).__name__, str(err)], "count": result.execution_count}, True
    if outputs.odd or streams.getvalue() or result.result is not None:
        return {"odd": True}, True
    return {"count": result.execution_count, "outputs": outputs.outputs}, False


def _case(shell, outputs: _Outputs, sources: list[str]) -> dict:
    cells = []
    for index, source in enumerate(sources):
        done, stop = _cell(shell, outputs, source)
        if stop:
            return {**done, "cell": index}
        cells.append([done["count"], done["outputs"]])
    return {"cells": cells}


def run(jobs: str) -> str:
    """Run each case of ``jobs`` (JSON: a list of cases, each the sources of its code cells
    in order) in a freshly wiped kernel; the results as JSON, one per case run.

    Each result is ``{"cells": [[execution count, outputs], ...]}``, or ``{"error":
    [name, message], "cell": i}`` for a failed cell (the case's remaining cells are not
    run, as papermill stops), or ``{"odd": true, "cell": i}``.  A result with ``"dirty"``
    (what the wipe could not remove) is the last: the kernel must not serve another case.
    """
    shell = isolation._shell()
    outputs = _Outputs(shell)
    out: list[str] = []
    for sources in json.loads(jobs):
        result = _case(shell, outputs, sources)
        try:
            isolation.reset()
            report = json.loads(isolation.check())
            dirty = sorted(k for k, v in report["problems"].items() if v)
            if report["execution_count"] != 1:
                dirty.append("execution_count")
        except Exception as err:  # the case broke the wipe itself
            dirty = [f"wipe ({type(err).__name__})"]
        if dirty:
            result["dirty"] = dirty
        try:
            out.append(json.dumps(result))
        except (TypeError, ValueError):  # an output JSON cannot carry: the host runs it
            out.append(json.dumps({"odd": True, "cell": -1, **(
                {"dirty": result["dirty"]} if "dirty" in result else {})}))
        if "dirty" in result:
            break
    return "[" + ",".join(out) + "]"
