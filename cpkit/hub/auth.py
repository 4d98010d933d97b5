"""The hub's login: NativeAuthenticator's accounts, for cpkit's users only.

A login is made by ``cpkit hub login NAME`` for a cpkit user; if that person is later
removed from cpkit (``cpkit user remove``), their password still checks out but the hub
refuses the login as for a wrong password (the hub's log says why).  The spawner checks the same
again before starting anything (:mod:`cpkit.hub.spawner`).
"""

from __future__ import annotations

import asyncio

from nativeauthenticator import NativeAuthenticator
from traitlets import Unicode


class CpkitAuthenticator(NativeAuthenticator):
    """NativeAuthenticator that lets in only the users cpkit knows (and has a page for)."""

    store_url = Unicode(config=True, help="The cpkit store (CPKIT_DB) holding the users.")

    async def check_allowed(self, username, authentication=None):
        """Called after the password checked out (``allow_all`` must stay off); a
        refusal is the login page's "Invalid username or password", the reason goes to
        the hub's log."""
        from cpkit.hub.spawner import NotACpkitUser, role_landing

        try:
            await asyncio.to_thread(role_landing, self.store_url, username)
        except NotACpkitUser as err:
            self.log.warning("login refused: %s", err)
            return False
        return True
