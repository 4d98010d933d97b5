"""The hub's login: NativeAuthenticator's accounts, for cpkit's users only.

A login is made by ``cpkit hub login NAME`` for a cpkit user; if that person is later
removed from cpkit (``cpkit user remove``), their password still checks out but the hub
refuses the login as for a wrong password (the hub's log says why).  The spawner checks the same
again before starting anything (:mod:`cpkit.hub.spawner`).
"""

from __future__ import annotations

import asyncio

import bcrypt
from nativeauthenticator import NativeAuthenticator
from traitlets import Unicode


class CpkitAuthenticator(NativeAuthenticator):
    """NativeAuthenticator that lets in only the users cpkit knows (and has a page for)."""

    store_url = Unicode(config=True, help="The cpkit store (CPKIT_DB) holding the users.")

    async def authenticate(self, handler, data):
        """NativeAuthenticator's check, with the password's bcrypt hash computed in a
        thread: 0.3-0.4 s of CPU at bcrypt's cost 12, which NativeAuthenticator spends
        in the hub's one event loop, so twenty people logging in at nine o'clock waited
        for each other's hashes (and every page the hub served waited with them).  The
        hub's database is read in the loop, as before (its session is not thread-safe)."""
        username = self.normalize_username(data["username"])
        user = self.get_user(username)
        if not user or (self.allowed_failed_logins and self.is_blocked(username)):
            return None
        hashed = user.password  # read here; only the hashing goes to the thread
        valid = user.is_authorized and await asyncio.to_thread(
            bcrypt.checkpw, data["password"].encode(), hashed)
        if valid and (not user.has_2fa or user.is_valid_token(data.get("2fa"))):
            self.successful_login(username)
            return username
        self.add_login_attempt(username)
        return None

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
