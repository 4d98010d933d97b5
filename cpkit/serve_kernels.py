"""The kernel manager of ``cpkit serve`` (loaded by Voila by name, see :mod:`cpkit.serve`).

Voila's own pooled manager is built on top of this class
(``VoilaConfiguration.multi_kernel_manager_class``); it adds three things:

- **a limit on kernels serving pages** (``max_kernels``, per server: each user has
  their own ``cpkit serve`` or JupyterHub server).  At the limit, the kernels of pages
  already left (a browser was connected, none is now) are shut down at once; a page
  that would still start one more is refused (HTTP 429, "too many forms open") and a
  pool refill waits until pages are closed, so a script or a careless user cannot fill
  the machine's memory while a user going from form to form never meets the limit;
- **the landing page first**: preheated kernels of the case's forms (``cpkit.serve.CASE_FORMS``,
  in the order the landing page links them) start only once the landing page's kernel has
  settled (or after ``landing_wait`` seconds), one at a time, so two cores are not
  shared by seven kernels while the first visitor waits;
- **lazy pools for the rest**: a notebook nobody has opened yet (the dashboard, intake,
  referring, the agency page) has no preheated kernel; its first page starts one as
  plain Voila does, and from then on a pool is kept for it.  About 130 MB of memory per
  notebook nobody uses;
- jupyter_server's culling, configured by ``cpkit.serve`` (``cull_idle_timeout``,
  ``cull_interval``, ``cull_connected=False``): a kernel whose page was closed or left
  (no connection) and idle is shut down; pooled kernels are never culled (Voila).  A
  page's kernel no browser has connected to yet is idle while its page still loads
  (the browser fetches and starts Voila's scripts, seconds on a busy machine): it is
  given ``unconnected_grace`` seconds (within the culling minute) instead of
  ``cull_idle_timeout``, or a slow page would lose its kernel before it could use it.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta
from pathlib import Path

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Bool, Float, Integer, Unicode

from cpkit.forms.query import PREHEAT  # "True" in a pool kernel's environment
from cpkit.serve_launch import ZYGOTE_ENV

RENDER = "/voila/render/"  # in a page kernel's SCRIPT_NAME, before the notebook's name


class CpkitKernelManager(AsyncMappingKernelManager):
    """Kernels for cpkit's forms: limited, the landing page's preheated first."""

    max_kernels = Integer(8, config=True,
                          help="Kernels serving pages at once (pooled ones not counted).")
    landing = Unicode("index.ipynb", config=True, help="The landing page's notebook.")
    landing_wait = Float(120, config=True,
                         help="Longest wait for a preheated kernel to settle before the "
                              "next form's is started.")

    unconnected_grace = Float(50, config=True,
                              help="Seconds a page's kernel may stay idle before any browser "
                                   "connected to it (its page still loading) until culled.")

    room_wait = Float(5, config=True,
                      help="Seconds a page waits at the limit for a page being left to "
                           "close its connection before it is refused.")

    fork_kernels = Bool(True, config=True,
                        help="Fork kernels from a warm zygote (cpkit.serve_zygote) when "
                             "the kernels' provisioner is cpkit's (cpkit.serve_fork).")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected: set[str] = set()  # kernels a browser has connected to
        from cpkit import serve_pages

        serve_pages.install()  # (Voila's process: its pages too)
        if self.fork_kernels and not os.environ.get(ZYGOTE_ENV):  # else the hub's
            from cpkit.serve_fork import start_zygote

            start_zygote(Path(self.root_dir))
        pools = getattr(self, "kernel_pools_config", None)  # Voila's pooled manager only
        if pools is not None:
            default = dict(pools.get("default", {}))
            self._pool_size = default.get("pool_size", 1)
            # At start only the landing page is preheated; the case's forms follow, one
            # at a time, once it has settled (:meth:`_preheat_the_rest`); any other
            # notebook gets a pool once opened (:meth:`start_kernel`).
            landing = pools.get(self.landing, {}).get("pool_size", self._pool_size)
            self.kernel_pools_config = {**pools, "default": {**default, "pool_size": 0},
                                        self.landing: {**default, "pool_size": landing}}
            asyncio.get_event_loop().create_task(self._preheat_the_rest())

    def pooled_ids(self) -> set[str]:
        """Kernels waiting in Voila's pools (preheated, no page yet)."""
        found = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    found.add(task.result()["kernel_id"])
        return found

    def page_kernels(self) -> int:
        """Kernels serving (or having served) a page: every kernel not in a pool."""
        return len(set(self.list_kernel_ids()) - self.pooled_ids())

    async def start_kernel(self, *args, **kwargs) -> str:
        from cpkit.serve_guard import form_kernel_env

        env = form_kernel_env(kwargs.get("env") or dict(os.environ))
        kwargs["env"] = env
        if env.get(PREHEAT) == "True":
            while self.page_kernels() >= self.max_kernels:  # refill once pages close
                await asyncio.sleep(2)
        elif not await self._room_for_a_page():
            raise web.HTTPError(
                429, reason=f"Too many forms open ({self.max_kernels}): close a form's tab "
                "and try again in a minute")
        kernel_id = await super().start_kernel(*args, **kwargs)
        if env.get(PREHEAT) == "False":
            self._pool_once_opened(env.get("SCRIPT_NAME", ""))
        return kernel_id

    def left_kernels(self) -> list[str]:
        """Kernels of pages already left: a browser was connected to them, none is now."""
        pooled = self.pooled_ids()
        return [kid for kid in self.list_kernel_ids()
                if kid in self._connected and kid not in pooled
                and self._kernel_connections.get(kid, 0) == 0]

    async def _room_for_a_page(self) -> bool:
        """Is there room for one more page's kernel?  At the limit, the kernels of pages
        already left are shut down now rather than within the culling minute, so a user
        going from form to form never meets the limit; only open (or loading) pages
        count.  The page being left may close its connection just after the next page
        is asked for: ``room_wait`` seconds are given to it."""
        deadline = time.monotonic() + self.room_wait
        while self.page_kernels() >= self.max_kernels:
            left = self.left_kernels()
            if left:
                await asyncio.gather(*(self._shut_down_left(kid) for kid in left))
            elif time.monotonic() > deadline:
                return False
            else:
                await asyncio.sleep(0.25)
        return True

    async def _shut_down_left(self, kernel_id: str) -> None:
        try:
            await self.shutdown_kernel(kernel_id)
        except (KeyError, web.HTTPError):  # culled or shut down meanwhile: room either way
            self._connected.discard(kernel_id)

    def _pool_once_opened(self, script_name: str) -> None:
        """A page of a notebook without a pool was opened: keep one for it from now on
        (started after Voila's ``fill_delay``, so after this page's kernel)."""
        if not hasattr(self, "_pools") or RENDER not in script_name:
            return
        notebook = script_name.split(RENDER, 1)[1]
        if not self._pools.get(notebook) and notebook in self.notebook_names():
            self.fill_if_needed(notebook_name=notebook)

    def notify_connect(self, kernel_id: str) -> None:
        self._connected.add(kernel_id)
        super().notify_connect(kernel_id)

    async def shutdown_all(self, *args, **kwargs) -> None:
        await super().shutdown_all(*args, **kwargs)
        from cpkit.serve_fork import stop_zygote

        stop_zygote()

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        self._connected.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    async def cull_kernel_if_idle(self, kernel_id: str):
        """Cull as jupyter_server does, but leave a kernel no browser has connected to
        yet ``unconnected_grace`` seconds of idleness: its page may still be loading."""
        kernel = self._kernels.get(kernel_id)
        if (kernel is not None and kernel_id not in self._connected
                and getattr(kernel, "execution_state", None) != "dead"
                and hasattr(kernel, "last_activity")
                and utcnow() - kernel.last_activity < timedelta(seconds=self.unconnected_grace)):
            return
        return await super().cull_kernel_if_idle(kernel_id)

    async def _preheat_the_rest(self) -> None:
        """Preheat the case's forms, one after the other, each once the one before has
        settled: the first visitor's landing page never shares the cores with them."""
        from cpkit.serve import CASE_FORMS, READY

        if not await self._settled(self.landing):
            self.log.warning("cpkit: the landing page's kernel took over %d s",
                             self.landing_wait)
        self.log.info(READY)
        self.kernel_pools_config = {
            **self.kernel_pools_config,
            "default": {**self.kernel_pools_config["default"], "pool_size": self._pool_size}}
        served = set(self.notebook_names())
        for notebook in (f"{form}.ipynb" for form in CASE_FORMS):
            if notebook in served and not self._pools.get(notebook):
                self.fill_if_needed(delay=0, notebook_name=notebook)
                await self._settled(notebook)

    def notebook_names(self) -> list[str]:
        """The notebooks Voila serves (relative to its root), as its pools name them."""
        root = Path(self.root_dir)
        return [str(p.relative_to(root)) for p in root.rglob("*.ipynb")
                if self._notebook_filter(p)]

    async def _settled(self, notebook: str) -> bool:
        """Wait until ``notebook``'s preheated kernel has run its cells up to
        ``wait_for_request()`` (it then waits on Voila's request-info socket), at most
        ``landing_wait`` seconds."""
        from voila.request_info_handler import RequestInfoSocketHandler

        deadline = time.monotonic() + self.landing_wait
        while time.monotonic() < deadline:
            ready = [task.result()["kernel_id"] for task in self._pools.get(notebook, ())
                     if task.done() and not task.cancelled() and task.exception() is None]
            if any(kid in RequestInfoSocketHandler._waiters for kid in ready):
                return True
            await asyncio.sleep(0.25)
        return False
