"""Report kernels start through cpkit.reports.kernel_launcher: ipykernel without its
debugger (debugpy's import was a tenth of a second of every kernel start)."""

from __future__ import annotations

from types import SimpleNamespace

from cpkit.reports.pool import _without_debugger
from cpkit.reports.render import KERNEL, kernel_env


def test_a_warm_kernel_runs_without_debugpy(pool):
    with pool.kernel(KERNEL, kernel_env()) as kernel:
        assert kernel.evaluate("__import__('sys').modules.get('debugpy', 'absent')") == "None"
        launched = kernel.evaluate("__import__('sys').argv[0]")
        assert launched.endswith("cpkit/reports/kernel_launcher.py'"), launched


def test_only_ipykernel_s_launcher_is_replaced():
    spec = SimpleNamespace(argv=["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    _without_debugger(spec)
    assert spec.argv == ["python", "-m", "cpkit.reports.kernel_launcher", "-f",
                         "{connection_file}"]
    other = SimpleNamespace(argv=["/opt/r/bin/R", "--slave", "-f", "{connection_file}"])
    _without_debugger(other)
    assert other.argv == ["/opt/r/bin/R", "--slave", "-f", "{connection_file}"]
