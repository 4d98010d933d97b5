"""The report kernel's start: ipykernel without its debugger.

Why: a report kernel is never debugged (nobody attaches to it; it runs the packaged
case notebook and is wiped after each case), yet ipykernel imports debugpy at start when
it is installed, about a tenth of a second of CPU of every kernel start, which every
``cpkit render`` and the batch's fixed start-up wait for.  With debugpy made unimportable
ipykernel starts as usual and only says it has no debugger.

:class:`cpkit.reports.pool.WarmKernel` runs ``python -m cpkit.reports.kernel_launcher``
where the kernel spec says ``-m ipykernel_launcher`` (same arguments); otherwise this is
``ipykernel_launcher`` itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

LAUNCHER = "ipykernel_launcher"  # what the kernel spec runs, replaced by this module


def main() -> None:
    # As ipykernel_launcher: not the working folder (IPython puts it back).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    sys.modules["debugpy"] = None  # `import debugpy` raises ImportError
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
