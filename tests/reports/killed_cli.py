"""The cpkit command line, killed with SIGKILL (``kill -9``) by itself at a chosen
point: a test helper for tests/reports/test_render_kill.py.

``CPKIT_KILL_AT=WHAT:N``: die at the N-th event of WHAT, where WHAT is ``open`` (any
file opened: imports, the kernel's files, the store, the reports: a point anywhere in
the run), ``part`` (a ``.part`` file opened under ``CPKIT_KILL_UNDER``: a report or
notebook being staged), ``rename`` (a rename into ``CPKIT_KILL_UNDER``: a staged file
put in place) or ``placed`` (the first file opened after the N-th such rename: the
file just put in place, before whatever comes next).  Python's audit hooks see each
of these just before it happens; the signal is the real one, so nothing of the process
runs after it (no ``finally``, no ``atexit``, no buffered write).
"""

from __future__ import annotations

import os
import signal
import sys


def _killer(what: str, count: int, under: str):
    seen = 0

    def hook(event: str, args: tuple) -> None:
        nonlocal seen
        if what == "placed":
            if event == "os.rename" and os.fsdecode(args[1]).startswith(under):
                seen += 1
            elif event == "open" and seen >= count:
                os.kill(os.getpid(), signal.SIGKILL)
            return
        if event == "open" and what in ("open", "part"):
            try:
                path = os.fsdecode(args[0])
            except TypeError:  # a file descriptor
                return
            if what == "part" and not (path.startswith(under) and path.endswith(".part")):
                return
        elif event == "os.rename" and what == "rename":
            if not os.fsdecode(args[1]).startswith(under):
                return
        else:
            return
        seen += 1
        if seen == count:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


if __name__ == "__main__":
    what, _colon, count = os.environ["CPKIT_KILL_AT"].partition(":")
    sys.addaudithook(_killer(what, int(count), os.environ.get("CPKIT_KILL_UNDER", "/")))
    from cpkit.cli import main

    sys.exit(main())
