"""The hub's spawner: each user's Voila, on the page of their cpkit role.

Hub users are not system accounts: every user's server runs as the service account
(which alone can read the key and the store's credentials), as
:class:`jupyterhub.spawner.LocalProcessSpawner` processes without switching user.
That is safe only because a user's server is Voila behind the hub's authentication
(:mod:`cpkit.hub.singleuser`), which runs no code sent by the browser; what each user
may see is decided by cpkit's Guard from ``JUPYTERHUB_USER``.

Before starting a server the spawner looks the hub user up in cpkit's users: a hub
user cpkit does not know (or an admin, who has no case page) gets no server, with a
message saying so.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Unicode

from cpkit.hub import singleuser
from cpkit.serve_launch import ZYGOTE_ENV


class NotACpkitUser(Exception):
    """The hub user is not one of cpkit's users (or has no page of cases)."""


@functools.cache
def _store(store_url: str):
    """One store per hub process (its engine pools connections; logins are many)."""
    from cpkit.store import Store

    return Store(store_url, migrate=False)


def role_landing(store_url: str, name: str):
    """The landing of cpkit user ``name`` in the store at ``store_url``."""
    from cpkit.access.users import get_user
    from cpkit.hub.landing import landing_for

    user = get_user(_store(store_url), name)
    if user is None:
        raise NotACpkitUser(f"{name} is not a cpkit user: ask your cpkit administrator "
                            "to add you (cpkit user add)")
    landing = landing_for(user.roles)
    if landing is None:
        raise NotACpkitUser(f"{name} has no page of cases (an administrator uses the "
                            "cpkit command line)")
    return landing


class CpkitSpawner(LocalProcessSpawner):
    """LocalProcessSpawner for users without system accounts, starting cpkit's Voila."""

    store_url = Unicode(config=True, help="The cpkit store (CPKIT_DB) the users work on.")
    work_root = Unicode(config=True, help="A folder for each user's server to run in.")
    zygote = Unicode("", config=True,
                     help="The hub's zygote's socket (cpkit.hub.zygote): each server, its "
                          "Voila and kernels are forked from it while it answers.")

    def make_preexec_fn(self, name):
        return None  # no switching user: the service account runs every server

    def user_env(self, env):
        env["USER"] = self.user.name
        env["HOME"] = str(self._work_dir())
        return env

    async def move_certs(self, paths):
        return paths

    def _work_dir(self) -> Path:
        from cpkit.paths import safe_component

        folder = Path(self.work_root) / safe_component(self.user.name)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    def get_env(self):
        env = super().get_env()
        landing = self._landing
        env.pop("CPKIT_USER", None)  # the hub's JUPYTERHUB_USER names the user
        env.update({"CPKIT_DB": self.store_url, "CPKIT_ORIGIN": "hub",
                    singleuser.LANDING_ENV: landing.path,
                    singleuser.ROOT_ENV: str(landing.root)})
        if self.zygote:
            env[ZYGOTE_ENV] = self.zygote
        return env

    async def start(self):
        from tornado import web

        try:
            self._landing = await asyncio.to_thread(role_landing, self.store_url,
                                                    self.user.name)
        except NotACpkitUser as err:
            raise web.HTTPError(403, str(err)) from None
        run = ["-m", "cpkit.serve_launch"] if self.zygote else ["-m"]  # forked, or not
        self.cmd = [sys.executable, *run, "cpkit.hub.singleuser"]
        self.popen_kwargs = {"cwd": str(self._landing.root)}
        return await super().start()

    def get_args(self):
        return []  # the proxy reads its address from JUPYTERHUB_SERVICE_URL
