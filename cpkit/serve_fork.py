"""Kernels forked from the zygote (:mod:`cpkit.serve_zygote`), as a jupyter_client
kernel provisioner.

``cpkit serve`` names this provisioner (``cpkit-fork``, registered as an entry point
of ``jupyter_client.kernel_provisioners``) as the default for Voila's kernels; the
kernel manager (:class:`cpkit.serve_kernels.CpkitKernelManager`) starts the zygote with
the server (:func:`start_zygote`).  A kernel is then one fork of a warm process instead
of a new Python that imports everything again.  When the zygote cannot serve (not
started, gone, a kernel command that is not this Python's ipykernel), the kernel is
launched as jupyter_client's own local provisioner launches it: the fork is a speed-up,
never a condition.

The forked kernel is the zygote's child, not the server's: :class:`ForkedKernel` gives
the provisioner what it uses of a ``Popen`` (poll, wait, signals) through the pid, and
the kernel is its own process group, so shutting it down signals the kernel alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from cpkit.serve_launch import ZYGOTE_ENV
from cpkit.serve_zygote import KERNEL_NAME, PROVISIONER, command

LAUNCHER = ["-m", "ipykernel_launcher"]
READY_WAIT = 60.0  # seconds a kernel waits for the zygote to warm up before launching alone


class ZygoteSocket:
    """A zygote answering on ``socket``: the hub's (:mod:`cpkit.hub.zygote`), named to
    each user's server by ``$CPKIT_ZYGOTE``, which either listens or is not there."""

    def __init__(self, socket: Path):
        self.socket = socket

    async def ready(self, timeout: float = READY_WAIT) -> bool:
        return self.socket.exists()

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int | None:
        """A new kernel's pid, or None when the zygote could not fork one."""
        if not await self.ready():
            return None
        try:
            reader, writer = await asyncio.open_unix_connection(str(self.socket))
        except OSError:
            return None
        try:
            request = {"argv": argv, "env": env, "cwd": cwd}
            writer.write(json.dumps(request).encode() + b"\n")
            await writer.drain()
            answer = json.loads(await reader.readline() or b"{}")
        except (OSError, ValueError):
            return None
        finally:
            writer.close()
        return answer.get("pid")


class Zygote(ZygoteSocket):
    """The zygote process of this server and the socket it answers on."""

    def __init__(self, root: Path):
        self.folder = Path(tempfile.mkdtemp(prefix="cpkit-zygote-"))  # 0700
        super().__init__(self.folder / "zygote.sock")
        from cpkit.access.withheld import without_secrets

        # no way to the store or the key in the process every kernel is a copy of
        self.process = subprocess.Popen(command(self.socket, [root]),
                                        stdin=subprocess.DEVNULL,
                                        env=without_secrets(dict(os.environ)))

    def alive(self) -> bool:
        return self.process.poll() is None

    async def ready(self, timeout: float = READY_WAIT) -> bool:
        """Wait until the zygote listens (it has warmed up) or is gone."""
        deadline = time.monotonic() + timeout
        while self.alive() and not self.socket.exists():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        return self.alive()

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for path in (self.socket, self.folder):
            try:
                path.unlink() if path.is_socket() else path.rmdir()
            except OSError:
                pass


_zygote: Zygote | None = None


def current_zygote() -> ZygoteSocket | None:
    """This server's zygote, or the hub's one its environment names, or None."""
    if _zygote is not None:
        return _zygote
    path = os.environ.get(ZYGOTE_ENV)
    return ZygoteSocket(Path(path)) if path else None


def register() -> None:
    """Make ``cpkit-fork`` known to jupyter_client in this process, as its entry point
    does once cpkit is installed: a stale install's metadata (an old ``egg-info`` first
    on the path) would otherwise leave every kernel unlaunchable, and the server
    waiting for its landing page."""
    from importlib.metadata import EntryPoint

    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    KernelProvisionerFactory.provisioners.setdefault(PROVISIONER, EntryPoint(
        name=PROVISIONER, value=f"{__name__}:ForkProvisioner",
        group=KernelProvisionerFactory.GROUP_NAME))


def start_zygote(root: Path) -> Zygote:
    """Start this server's zygote for the notebooks under ``root`` (once)."""
    global _zygote
    register()
    if _zygote is None or not _zygote.alive():
        _zygote = Zygote(root)
    return _zygote


def stop_zygote() -> None:
    global _zygote
    if _zygote is not None:
        _zygote.stop()
        _zygote = None


class ForkedKernel:
    """What jupyter_client uses of a ``Popen``, for a kernel the zygote forked (its
    child, which the zygote reaps: here it is watched through its pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._process = psutil.Process(pid)

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                gone = self._process.status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                gone = True
            if gone:
                self.returncode = -signal.SIGTERM  # its status went to the zygote
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.05)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def is_kernel(process: psutil.Process) -> bool:
    """Is ``process`` a kernel, forked (named :data:`KERNEL_NAME`) or launched?"""
    try:
        return (process.name() == KERNEL_NAME
                or any("ipykernel" in part for part in process.cmdline()))
    except psutil.Error:  # gone meanwhile
        return False


class ForkProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with kernels forked from the zygote."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        args = _ipykernel_args(cmd)
        zygote = current_zygote()
        if zygote is None or args is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = {**(kwargs.get("env") or os.environ)}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        pid = await zygote.fork(args, env, cwd)
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid  # a session leader: its group is its own
        self.cwd = cwd
        return self.connection_info


def _ipykernel_args(cmd: list[str]) -> list[str] | None:
    """ipykernel's arguments when ``cmd`` runs this Python's ipykernel, else None."""
    if len(cmd) > 3 and cmd[0] == sys.executable and cmd[1:3] == LAUNCHER:
        return cmd[3:]
    return None
