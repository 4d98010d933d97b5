"""Shared by the report tests: one warm kernel per test module."""

from __future__ import annotations

import pytest

from cpkit.reports.engine import register
from cpkit.reports.pool import KernelPool
from cpkit.reports.render import KERNEL, kernel_env


@pytest.fixture(scope="module")
def pool():
    register()
    kernels = KernelPool(size=1)
    kernels.prestart(KERNEL, kernel_env())
    yield kernels
    kernels.close()
