"""Kernels forked from the zygote: real kernels, real processes."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from jupyter_client.manager import AsyncKernelManager

from cpkit.serve_fork import ForkProvisioner, is_kernel, start_zygote, stop_zygote
from cpkit.serve_zygote import KERNEL_NAME, cpkit_imports

PROBE = ("import json, os, random, psutil\n"
         "p = psutil.Process()\n"
         "print(json.dumps({'query': os.environ.get('QUERY_STRING'), 'cwd': os.getcwd(),"
         " 'name': p.name(), 'parent': p.ppid(), 'random': random.random(),"
         " 'forms': 'cpkit.forms.query' in __import__('sys').modules,"
         " 'targets': sorted(__import__('comm').get_comm_manager().targets)}))")


def notebook(cells: list[str]) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": c, "metadata": {},
                                  "outputs": [], "execution_count": None} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def root(tmp_path):
    (tmp_path / "form.ipynb").write_text(notebook([
        "from cpkit.forms.query import wait_for_request\nimport json", "%matplotlib x"]))
    yield tmp_path
    stop_zygote()


async def start(root, provisioner="cpkit-fork", **env) -> AsyncKernelManager:
    manager = AsyncKernelManager(kernel_name="python3")
    manager.kernel_spec.metadata["kernel_provisioner"] = {"provisioner_name": provisioner}
    await manager.start_kernel(cwd=str(root), env={**os.environ, **env})
    return manager


async def probe(manager: AsyncKernelManager) -> dict:
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        printed = []
        await client.execute_interactive(
            PROBE, timeout=120, output_hook=lambda m: printed.append(
                m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        return json.loads("".join(printed))
    finally:
        client.stop_channels()


def wait_until(condition, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_the_zygote_imports_the_notebooks_cpkit_modules_only(root):
    (root / "sub").mkdir()
    (root / "sub" / "other.ipynb").write_text(notebook(
        ["import os\nfrom cpkit.forms import base\nimport cpkit.i18n", "from . import x"]))
    (root / "broken.ipynb").write_text("{not json")
    assert cpkit_imports(root) == ["cpkit.forms.query", "cpkit.forms", "cpkit.i18n"]


def test_a_forked_kernel_has_its_request_s_environment_folder_and_seed(root):
    (root / "other.ipynb").write_text(notebook(["import cpkit.no_such_module"]))

    async def run():
        zygote = start_zygote(root)
        managers = [await start(root, QUERY_STRING=f"case=C-{i}") for i in range(2)]
        try:
            seen = [await probe(m) for m in managers]
            pids = [m.provisioner.pid for m in managers]
            assert isinstance(managers[0].provisioner, ForkProvisioner)
        finally:
            for m in managers:
                await m.shutdown_kernel()
        return zygote, seen, pids

    zygote, seen, pids = asyncio.run(run())
    assert [s["query"] for s in seen] == ["case=C-0", "case=C-1"]
    assert {s["cwd"] for s in seen} == {str(root)}
    assert {s["name"] for s in seen} == {KERNEL_NAME}
    assert {s["parent"] for s in seen} == {zygote.process.pid}
    assert all(s["forms"] for s in seen)  # imported by the zygote, before any request
    # ipywidgets, imported by the zygote outside any kernel, registered in each kernel
    assert all({"jupyter.widget", "jupyter.widget.control"} <= set(s["targets"])
               for s in seen)
    assert seen[0]["random"] != seen[1]["random"]  # each kernel seeded anew
    assert all(wait_until(lambda p=p: gone(p), 10) for p in pids)  # shut down and reaped


def test_kernels_end_with_the_zygote_and_the_zygote_with_its_server(root):
    server = subprocess.Popen(
        [sys.executable, "-c",
         "import asyncio, sys, time\n"
         "from pathlib import Path\n"
         "from cpkit.serve_fork import start_zygote\n"
         "z = start_zygote(Path(sys.argv[1]))\n"
         "asyncio.run(z.ready())\n"
         "print(z.process.pid, flush=True)\n"
         "time.sleep(600)", str(root)],
        stdout=subprocess.PIPE, text=True, env={**os.environ})
    zygote = int(server.stdout.readline())
    server.kill()
    server.wait()
    assert wait_until(lambda: gone(zygote), 10)

    async def kernel_of_a_zygote():
        zygote = start_zygote(root)
        manager = await start(root)
        await probe(manager)
        return zygote, manager.provisioner.pid

    zygote, kernel = asyncio.run(kernel_of_a_zygote())
    zygote.process.send_signal(signal.SIGKILL)
    assert wait_until(lambda: gone(kernel), 20)  # ipykernel's parent poller


def test_without_the_zygote_a_kernel_is_launched_as_usual(root):
    stop_zygote()

    async def run():
        manager = await start(root)
        try:
            seen = await probe(manager)
            process = psutil.Process(manager.provisioner.pid)
            return seen, any("ipykernel" in p for p in process.cmdline()), is_kernel(process)
        finally:
            await manager.shutdown_kernel()

    seen, launched, counted = asyncio.run(run())
    assert launched and counted and seen["name"] != KERNEL_NAME


def test_the_provisioner_is_found_even_where_the_install_s_metadata_is_stale(
        root, monkeypatch):
    """An old ``cpkit.egg-info`` first on the path hides the entry point: the server
    still launches its kernels (it would wait for its landing page for ever)."""
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    found = KernelProvisionerFactory._get_provisioner

    def no_entry_point(self, name):
        if name == "cpkit-fork":
            raise KeyError(name)
        return found(self, name)

    monkeypatch.setattr(KernelProvisionerFactory, "provisioners", {
        k: v for k, v in KernelProvisionerFactory.provisioners.items() if k != "cpkit-fork"})
    monkeypatch.setattr(KernelProvisionerFactory, "_get_provisioner", no_entry_point)
    start_zygote(root)

    async def run():
        manager = await start(root)
        try:
            return await probe(manager)
        finally:
            await manager.shutdown_kernel()

    assert asyncio.run(run())["name"] == KERNEL_NAME
