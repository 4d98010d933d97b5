"""A kernel's start goes to a thread of its own only once jupyter_client is imported.

jupyter_client's package and its ``manager`` import each other; a second thread
importing jupyter_client meanwhile (the dashboard's warm-up importing nbconvert and
papermill, the CLI's pipeline) could be handed the half-initialised module, and the
kernel's start failed ("cannot import name 'AsyncKernelManager'").  Only a process
that has not imported jupyter_client yet shows it, hence the subprocess."""

from __future__ import annotations

import os
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


def test_a_started_kernel_answers_and_its_shutdown_leaves_no_process():
    # The pool's own wait for a starting kernel (jupyter_client's without the idle
    # fifth of a second at its end) hands over a kernel that answers at once, and its
    # shutdown waits for the kernel's process itself: gone, reaped, when it returns.
    from cpkit.reports.pool import WarmKernel, kernel_env

    kernel = WarmKernel("python3", kernel_env())
    try:
        process = kernel.km.provisioner.process
        assert kernel.evaluate("6 * 7") == "42"
        assert kernel.verify()["execution_count"] == 1
    finally:
        kernel.shutdown()
    assert process.returncode is not None  # waited for: no zombie, no poll left to do
    assert kernel.km is None
    kernel.shutdown()  # again: nothing left to stop


def test_the_pdf_engine_starts_on_a_thread_of_its_own():
    # `cpkit render --format pdf` (and a one-report PDF batch) imports WeasyPrint while
    # it waits for the kernel; the page is printed in the process that imported it.
    script = ("import sys, threading\n"
              "from cpkit.reports.pdf import start_engine\n"
              "start_engine()\n"
              "[t.join() for t in threading.enumerate() if t.name == 'cpkit-pdf-engine']\n"
              "print('weasyprint' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"


EXITS_WITH_A_WARM_KERNEL = """
import time
from cpkit.reports.pool import default_pool, kernel_env
pool = default_pool()
pool.prestart("python3", kernel_env())
with pool.kernel("python3", kernel_env()) as kernel:
    print(kernel.km.provisioner.process.pid, flush=True)
"""


def test_a_process_that_exits_with_a_warm_kernel_stops_it_first():
    # `cpkit render` leaves its pool to atexit; by then the kernel's own thread takes
    # no more work, and the kernel used to outlive the process (until ipykernel's
    # parent poller noticed, up to a second later), unreaped.
    done = subprocess.run([sys.executable, "-c", EXITS_WITH_A_WARM_KERNEL],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pid = int(done.stdout.split()[-1])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError("the kernel outlived the process that started it")
