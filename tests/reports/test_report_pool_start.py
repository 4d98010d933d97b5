"""A kernel's start goes to a thread of its own only once jupyter_client is imported.

jupyter_client's package and its ``manager`` import each other; a second thread
importing jupyter_client meanwhile (the dashboard's warm-up importing nbconvert and
papermill, the CLI's pipeline) could be handed the half-initialised module, and the
kernel's start failed ("cannot import name 'AsyncKernelManager'").  Only a process
that has not imported jupyter_client yet shows it, hence the subprocess."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from cpkit.reports.pool import KernelPool, kernel_env
assert "jupyter_client" not in sys.modules
pool = KernelPool()
pool.prestart("python3", kernel_env())
manager = sys.modules.get("jupyter_client.manager")
print(hasattr(manager, "AsyncKernelManager"))
pool.close()
"""


def test_prestart_imports_jupyter_client_before_its_thread_starts():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"
