"""Python's cyclic garbage collector paused while a large batch of objects is built.

Why: reading many rows at once (a file's cases on import, a national caseload's rows
for the dashboard) makes hundreds of thousands of containers that are all kept until
the work is done, and the collector walks all of them again and again as they grow: a
third of an import's time, an eighth of the dashboard's data on 100,000 cases.  That
work makes few reference cycles (what it drops is freed by reference counting); they
are collected as usual once the collector is back on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block (back on after it, if it was on before).

    What the block made is handed to the oldest generation as it is back on
    (:func:`gc.freeze` then :func:`gc.unfreeze`, each a list splice): left in the
    youngest, every object the block made would be walked by the first young
    collection after it (0.15 s for an import's 10,000 cases), whether or not any
    of it is still alive; the next full collection looks at them as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def frozen_at_exit() -> None:
    """Spare this process the collector's walks of its whole heap at exit.

    Why: when the interpreter shuts down it clears every module and runs full
    collections over everything a command imported (papermill, nbconvert, WeasyPrint,
    SQLAlchemy: about 0.4 s of CPU for ``cpkit render``, after its work is done).
    Freezing the heap (:func:`gc.freeze`) at the last exit hook leaves those objects to
    the process's end; reference counting still frees what it frees, the exit hooks
    (closing kernels, removing temporary folders) still run, since they are registered
    later and so run earlier.  Call it early in a command.
    """
    import atexit

    atexit.register(gc.freeze)
