"""``cpkit hub``: write a JupyterHub configuration for a Task Force and start the hub.

Everything the hub keeps lives in one folder (default ``$CPKIT_HOME/hub``, mode 0700):
``jupyterhub_config.py`` (written by :func:`write_config`, rewritten on every start),
the hub's own state database with the NativeAuthenticator logins
(``jupyterhub.sqlite``), its cookie secret, the proxy's token and pid, and a working
folder per user.  The cases stay in the cpkit store, which must be PostgreSQL: many
people save at once.

The proxy (configurable-http-proxy, from the npm registry) is installed by
``scripts/hub-deps``; nothing is downloaded when the hub starts.  Users' servers are
not stopped with the hub (``cleanup_servers`` off), so a restarted hub finds them again
in its database and routes them through a restarted proxy (same token, kept in the
folder).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from cpkit.errors import BadInput, CpkitError
from cpkit.paths import write_private

CONFIG_NAME = "jupyterhub_config.py"
HUB_DB_NAME = "jupyterhub.sqlite"
# The environment every user's server gets from the hub's own (besides CPKIT_DB, which
# the spawner sets): the data folder for drafts, the key, language and holidays.
KEPT = ("CPKIT_HOME", "CPKIT_KEY_FILE", "CPKIT_KEY", "CPKIT_LANG", "CPKIT_COUNTRY",
        "PYTHONPATH")


@dataclass(frozen=True)
class HubSettings:
    """What a hub needs; :func:`write_config` turns it into ``jupyterhub_config.py``."""

    folder: Path
    store_url: str
    ip: str = "127.0.0.1"
    port: int = 8000
    idle_timeout: int = 3600  # seconds without traffic before a user's server is culled
    admin_users: tuple[str, ...] = ()
    ssl_cert: Path | None = None
    ssl_key: Path | None = None

    @property
    def config_path(self) -> Path:
        return self.folder / CONFIG_NAME

    @property
    def hub_db(self) -> Path:
        return self.folder / HUB_DB_NAME


def proxy_command() -> str:
    """configurable-http-proxy as installed by ``scripts/hub-deps`` (on PATH or in the
    virtual environment's ``node`` folder)."""
    local = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    found = shutil.which("configurable-http-proxy") or (str(local) if local.exists() else None)
    if not found:
        raise CpkitError("configurable-http-proxy is not installed: run scripts/hub-deps "
                         "(or `make hub`)")
    return found


def check_store(url: str) -> None:
    """The hub's store must be PostgreSQL: many users save at the same time."""
    from sqlalchemy.engine import make_url

    try:
        backend = make_url(url).get_backend_name()
    except Exception:
        raise BadInput("CPKIT_DB: not a database URL") from None
    if backend != "postgresql":
        raise BadInput("cpkit hub needs the store on PostgreSQL: set CPKIT_DB to "
                       "postgresql+psycopg://USER@HOST/DATABASE (see docs/deployment.md)")


def _private_file(path: Path, make) -> str:
    """The content of ``path``, created by ``make()`` with mode 0600 if missing."""
    if not path.exists():
        write_private(path, make())
    return path.read_text().strip()


def render_config(settings: HubSettings, proxy_token: str) -> str:
    """The text of ``jupyterhub_config.py`` (Python; every value written with repr)."""
    from cpkit.hub import zygote

    folder = settings.folder
    values = {
        "ip": settings.ip, "port": settings.port, "folder": str(folder),
        "db_url": f"sqlite:///{settings.hub_db}", "proxy": proxy_command(),
        "proxy_token": proxy_token, "store_url": settings.store_url,
        "idle_timeout": settings.idle_timeout, "admins": sorted(settings.admin_users),
        "python": sys.executable, "kept": list(KEPT),
        "templates": str(Path(__file__).parent / "templates"),
        "ssl_cert": str(settings.ssl_cert or ""), "ssl_key": str(settings.ssl_key or ""),
        "zygote": str(zygote.socket_path(folder)),
    }
    lines = [f"{k} = {v!r}" for k, v in values.items()]
    return "\n".join([
        "# Written by `cpkit hub`; rewritten on every start (change the options, not this).",
        "# See the manual, docs/deployment.md: 'Serving several users'.",
        "c = get_config()  # noqa: F821",
        *lines,
        "",
        "c.JupyterHub.ip, c.JupyterHub.port = ip, port",
        "c.JupyterHub.hub_ip, c.JupyterHub.hub_port = '127.0.0.1', port + 2",
        "c.JupyterHub.db_url = db_url",
        "c.JupyterHub.cookie_secret_file = folder + '/jupyterhub_cookie_secret'",
        "c.JupyterHub.pid_file = folder + '/jupyterhub.pid'",
        "if ssl_cert:  # the hub's own certificate (or TLS at a reverse proxy in front)",
        "    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = ssl_cert, ssl_key",
        "",
        "# The proxy outlives a hub restart, and so do the users' servers.",
        "# Its API is given minutes, not 30 s, on a busy machine (cpkit.hub.proxy).",
        "c.JupyterHub.proxy_class = 'cpkit.hub.proxy.CpkitProxy'",
        "c.ConfigurableHTTPProxy.command = [proxy]",
        "c.ConfigurableHTTPProxy.auth_token = proxy_token",
        "c.ConfigurableHTTPProxy.pid_file = folder + '/proxy.pid'",
        "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:%d' % (port + 1)",
        "c.JupyterHub.cleanup_servers = False",
        "c.JupyterHub.cleanup_proxy = False",
        "",
        "# Logins: NativeAuthenticator, for cpkit's users; made by `cpkit hub login NAME`.",
        "c.JupyterHub.authenticator_class = 'cpkit.hub.auth.CpkitAuthenticator'",
        "c.CpkitAuthenticator.store_url = store_url",
        "c.NativeAuthenticator.enable_signup = False",
        "c.NativeAuthenticator.allowed_failed_logins = 5",
        "c.NativeAuthenticator.seconds_before_next_try = 600",
        "c.Authenticator.allow_all = False  # allowed: cpkit's users (CpkitAuthenticator)",
        "c.Authenticator.admin_users = set(admins)",
        "",
        "# Each user: their own Voila on the page of their cpkit role; nothing else.",
        "c.JupyterHub.spawner_class = 'cpkit.hub.spawner.CpkitSpawner'",
        "c.CpkitSpawner.store_url = store_url",
        "c.CpkitSpawner.work_root = folder + '/users'",
        "c.CpkitSpawner.zygote = zygote  # servers forked from it (cpkit.hub.zygote)",
        "c.Spawner.env_keep = ['PATH', 'LANG', 'LC_ALL', 'VIRTUAL_ENV', *kept]",
        "c.Spawner.start_timeout = 120",
        "c.Spawner.http_timeout = 120",
        "c.JupyterHub.redirect_to_server = True",
        "c.JupyterHub.last_activity_interval = 60",
        "",
        "# A user's server that died (killed, out of memory) is noticed within seconds;",
        "# until then the proxy's page tries again, then the user's next page starts a",
        "# new server (their drafts are on disk and offered again on the form).",
        "c.Spawner.poll_interval = 10",
        "c.JupyterHub.implicit_spawn_seconds = 0.5",
        "c.JupyterHub.template_paths = [templates]",
        "",
        "# Idle servers are culled (their drafts stay on disk).",
        "c.JupyterHub.services = [{'name': 'idle-culler', 'command': [",
        "    python, '-m', 'jupyterhub_idle_culler', '--timeout=%d' % idle_timeout]}]",
        "c.JupyterHub.load_roles = [{'name': 'idle-culler', 'services': ['idle-culler'],",
        "    'scopes': ['list:users', 'read:users:activity', 'read:servers',",
        "               'delete:servers']}]",
        "",
    ])


def write_config(settings: HubSettings) -> Path:
    """Write the hub's folder and ``jupyterhub_config.py``; returns the config's path."""
    check_store(settings.store_url)
    folder = settings.folder
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    (folder / "users").mkdir(mode=0o700, exist_ok=True)
    token = _private_file(folder / "proxy_token", lambda: secrets.token_hex(32))
    return write_private(settings.config_path, render_config(settings, token))


def hub_command(settings: HubSettings) -> list[str]:
    """The command that runs the hub with its configuration, from its folder."""
    return [sys.executable, "-m", "jupyterhub", "-f", str(settings.config_path)]


def hub_environment(settings: HubSettings) -> dict[str, str]:
    """The hub's environment: ours, with the store's URL, without a CPKIT_USER (each
    user's server is told who they are by the hub)."""
    env = {**os.environ, "CPKIT_DB": settings.store_url}
    env.pop("CPKIT_USER", None)
    env.setdefault("CONFIGPROXY_AUTH_TOKEN",
                   (settings.folder / "proxy_token").read_text().strip())
    return env


def add_login(settings: HubSettings, name: str, password: str) -> None:
    """Give cpkit user ``name`` a hub login with ``password`` (replacing an old one).

    Only cpkit's users get a login; the password follows NativeAuthenticator's rules
    (at least 8 characters, not a common password).
    """
    import bcrypt
    from nativeauthenticator.nativeauthenticator import NativeAuthenticator
    from nativeauthenticator.orm import UserInfo
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from cpkit.access.users import get_user
    from cpkit.store import Store

    store = Store(settings.store_url, migrate=False)
    try:
        if get_user(store, name) is None:
            raise BadInput(f"{name} is not a cpkit user: add them first (cpkit user add)")
    finally:
        store.close()
    checker = NativeAuthenticator(add_new_table=False)
    if len(password) < max(8, checker.minimum_password_length) \
            or checker.is_password_common(password):
        raise BadInput("password: at least 8 characters and not a common password")
    settings.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    url = f"sqlite:///{settings.hub_db}"
    from jupyterhub import orm

    orm.new_session_factory(url).kw["bind"].dispose()  # JupyterHub's schema, stamped
    engine = create_engine(url)
    try:
        UserInfo.__table__.create(engine, checkfirst=True)
        with Session(engine) as session, session.begin():
            info = UserInfo.find(session, name)
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            if info is None:
                session.add(UserInfo(username=name, password=hashed, is_authorized=True))
            else:
                info.password, info.is_authorized = hashed, True
    finally:
        engine.dispose()
    settings.hub_db.chmod(0o600)


def _pids(settings: HubSettings) -> list[int]:
    """The users' servers' process ids, as the hub recorded them in its database."""
    import json
    import sqlite3

    if not settings.hub_db.exists():
        return []
    with sqlite3.connect(settings.hub_db) as db:
        try:
            rows = db.execute("SELECT state FROM spawners WHERE state IS NOT NULL").fetchall()
        except sqlite3.Error:
            return []
    pids = []
    for (state,) in rows:
        try:
            pid = json.loads(state or "{}").get("pid")
        except (ValueError, AttributeError):
            continue
        if isinstance(pid, int) and pid > 0:
            pids.append(pid)
    return pids


def _pid_file(path: Path, command: bytes) -> int | None:
    """The pid in ``path`` if that process is running with ``command`` in its command
    line (a stale file's pid may since belong to another process)."""
    try:
        pid = int(path.read_text().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return pid if command in cmdline.read() else None
    except (OSError, ValueError):
        return None


def _signal(pid: int, group: bool = False) -> bool:
    import signal

    try:
        (os.killpg if group else os.kill)(pid, signal.SIGTERM)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _wait_or_kill(pids: list[int], deadline: float) -> None:
    """Wait for ``pids`` to end until ``deadline`` (monotonic); SIGKILL those left."""
    import signal
    import time

    for pid in pids:
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def stop_all(settings: HubSettings, timeout: float = 15) -> list[int]:
    """Stop the hub, its proxy and every user's server (which outlive a hub stop by
    design); returns the process ids signalled.  Each server is its own process group
    (its Voila and kernels with it).

    The hub goes first, and is waited for: until its event loop stops it checks its
    proxy every 5 s and starts a new one if the proxy is gone, so a proxy stopped
    while the hub was still shutting down came back and outlived everything.  The
    proxy's pid file is read once the hub has ended."""
    import time

    from cpkit.hub import zygote

    deadline = time.monotonic() + timeout
    signalled = []
    hub = _pid_file(settings.folder / "jupyterhub.pid", b"jupyterhub")
    if hub is not None and _signal(hub):
        signalled.append(hub)
        _wait_or_kill([hub], deadline)
    rest = [(p, True) for p in _pids(settings)]
    rest += [(_pid_file(settings.folder / "proxy.pid", b"configurable-http-proxy"), False),
             (zygote.running(settings.folder), False)]
    signalled += [pid for pid, group in rest if pid is not None and _signal(pid, group)]
    _wait_or_kill(signalled, max(deadline, time.monotonic() + 5))
    return signalled
