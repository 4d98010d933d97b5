"""The hub's login check (cpkit.hub.auth): NativeAuthenticator's rules, the password
hashed off the hub's event loop.  A real hub database session (SQLite), no hub."""

from __future__ import annotations

import asyncio

import bcrypt
import pytest
from jupyterhub import orm
from nativeauthenticator.orm import UserInfo

from cpkit.hub.auth import CpkitAuthenticator

PASSWORD = "Kujdes-per-femijet-7"


@pytest.fixture
def authenticator(tmp_path):
    db = orm.new_session_factory(f"sqlite:///{tmp_path / 'hub.sqlite'}")()
    auth = CpkitAuthenticator(_deprecated_db_session=db, allowed_failed_logins=3)
    db.add(UserInfo(username="hub-cm", is_authorized=True,
                    password=bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt())))
    db.commit()
    yield auth
    db.close()


def login(auth, password: str, name: str = "hub-cm"):
    return asyncio.run(auth.authenticate(None, {"username": name, "password": password}))


def test_the_right_password_only(authenticator):
    assert login(authenticator, PASSWORD) == "hub-cm"
    assert login(authenticator, PASSWORD + "x") is None
    assert login(authenticator, PASSWORD, name="nobody") is None


def test_failed_logins_block_the_account_as_nativeauthenticator_does(authenticator):
    for _ in range(3):
        assert login(authenticator, "wrong-password-1") is None
    assert login(authenticator, PASSWORD) is None  # blocked, even with the right one


def test_the_hub_keeps_answering_while_a_password_is_hashed(authenticator):
    """bcrypt's cost-12 hash takes a good fraction of a second of CPU: it must not
    stop the hub's one event loop (every other user's page waits on it)."""
    async def run() -> int:
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        assert await authenticator.authenticate(
            None, {"username": "hub-cm", "password": PASSWORD}) == "hub-cm"
        task.cancel()
        return ticks

    assert asyncio.run(run()) >= 5
