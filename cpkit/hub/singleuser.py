"""A user's server under the hub: their own Voila behind a hub-authenticated proxy.

The hub spawns ``python -m cpkit.hub.singleuser`` for each user.  It is
jupyter-server-proxy's standalone proxy (it checks every request against the hub's
OAuth, so only this user, or an admin allowed to reach their server, gets through, and
reports activity for the idle culler) running Voila on the folder of the user's role
(:mod:`cpkit.hub.landing`).  Its own activity reports are off (they would say "active"
every few minutes whatever the user does); the hub learns activity from
configurable-http-proxy's traffic, which is what the idle culler reads.  Voila executes
no code sent by the browser, so a user has no JupyterLab, no terminal and no way to run
code of their own.  The server's address (``/user/NAME/``) redirects to the user's
landing page (``CPKIT_HUB_LANDING``).  Voila listens on a Unix socket in the user's
folder, not on a TCP port (:mod:`cpkit.hub.voila` says why).
"""

from __future__ import annotations

import json
import os
import sys

from cpkit.serve import config_args, kernel_config, voila_command, voila_env
from cpkit.serve_launch import ZYGOTE_ENV

LANDING_ENV = "CPKIT_HUB_LANDING"  # e.g. "voila/render/index.ipynb"
ROOT_ENV = "CPKIT_HUB_ROOT"  # the folder Voila serves
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # as the hub's own log lines
SOCKET_NAME = "voila.sock"
SOCKET_MAX = 100  # bytes of a Unix socket's path (the system's limit is 107)
VOILA = "cpkit.hub.voila"  # Voila on a Unix socket
HUB_API_TIMEOUT = 120.0  # seconds for the hub's API to answer (Tornado's default: 20)
# Seconds a hub user's kernel waits, idle, for its page's browser to connect before it
# is culled (cpkit serve: 50).  With fifty users logging in at once on the hub's
# machine, most pages' browsers connected later than 50 s after their kernel had run
# the notebook: the page kept its first paint but lost its widgets.  A page closed
# before it connected still loses its kernel within this time; a user has at most
# MAX_KERNELS of them.
HUB_UNCONNECTED_GRACE = 240.0


def voila_socket() -> str:
    """Where the user's Voila listens: a socket in the user's own folder (``HOME``,
    which the spawner makes, mode 0700), or, when that path is too long for a socket,
    ``True``: jupyter-server-proxy's socket in a new private temporary folder."""
    home = os.environ.get("HOME", "")
    path = os.path.join(home, SOCKET_NAME)
    return path if home and len(path.encode()) <= SOCKET_MAX else "True"


def log_format(process: str) -> str:
    """The log line of a user's ``process`` (``singleuser``, ``voila``): every user's
    server writes to the hub's log, so each line says when, which process and whose
    (``JUPYTERHUB_USER``)."""
    user = os.environ.get("JUPYTERHUB_USER", "?").replace("%", "%%")
    return f"[%(levelname)1.1s %(asctime)s.%(msecs)03d {process} {user}] %(message)s"


def voila_args(root: str) -> list[str]:
    """Voila on the user's folder, on the Unix socket and base URL the proxy gives it
    (``{port}`` is 0 then), with cpkit's kernel manager (a left page's kernel culled
    within the minute, a limit per user); only the landing notebook keeps a preheated
    kernel (one per user, not one per form)."""
    landing = os.path.basename(os.environ.get(LANDING_ENV, "index.ipynb"))
    command = voila_command(root, "{port}", preheat=True, pool_size=0)  # type: ignore[arg-type]
    if os.environ.get(ZYGOTE_ENV):  # forked from the hub's zygote (cpkit.hub.zygote)
        command[1:3] = ["-m", "cpkit.serve_launch", VOILA]
    else:
        command[1:3] = ["-m", VOILA]
    pools = json.dumps({landing: {"pool_size": 1}, "default": {"pool_size": 0}})
    pools = pools.replace("{", "{{").replace("}", "}}")  # the proxy formats its command
    logs = log_format("voila").replace("{", "{{").replace("}", "}}")
    return [*command, "--CpkitVoila.unix_socket={unix_socket}", "--Voila.base_url={base_url}/",
            # kernels on Unix sockets too (next to their connection file): TCP ports
            # picked by binding port 0 and letting go were taken by another user's
            # kernel now and then, with 50 users at once ("Address already in use")
            "--KernelManager.transport=ipc",
            *config_args(kernel_config(unconnected_grace=HUB_UNCONNECTED_GRACE)),
            f"--CpkitKernelManager.landing={landing}",
            f"--VoilaKernelManager.kernel_pools_config={pools}",
            f"--Voila.log_format={logs}", f"--Voila.log_datefmt={DATE_FORMAT}"]


def make_app():
    """The standalone proxy application class with the landing redirect."""
    import logging

    from jupyter_server_proxy.standalone.app import StandaloneProxyServer
    from tornado import web

    class CpkitUserServer(StandaloneProxyServer):
        def initialize(self, argv=None) -> None:
            super().initialize(argv)
            # Tornado's own loggers (a request's error, why a proxied request failed)
            # have no handler in the standalone proxy: without this an error page's
            # cause is a bare line in the hub's log, or nothing at all.
            tornado = logging.getLogger("tornado")
            tornado.parent, tornado.propagate = self.log, True
            tornado.setLevel(self.log.level)
            logging.getLogger("tornado.access").setLevel(logging.WARNING)  # errors only
            # The hub's API (the login's token exchange, a new token's check) answers
            # slowly while many users log in at once; past Tornado's 20 s the user's
            # page was "500: Internal Server Error".  (Proxied requests set their own.)
            from tornado.httpclient import AsyncHTTPClient

            AsyncHTTPClient.configure(None, defaults={"connect_timeout": HUB_API_TIMEOUT,
                                                      "request_timeout": HUB_API_TIMEOUT})

        def create_app(self) -> web.Application:
            app = super().create_app()
            landing = os.environ.get(LANDING_ENV, "voila/render/index.ipynb")
            base = self.base_url.rstrip("/")
            app.wildcard_router.rules.insert(0, web.url(
                rf"^{base}/?$", web.RedirectHandler, {"url": f"{base}/{landing}"}))
            return app

    return CpkitUserServer


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    root = os.environ.get(ROOT_ENV) or os.getcwd()
    os.environ.update(voila_env(dict(os.environ)))  # cpkit's page template for Voila
    app = make_app()
    app.launch_instance(["--absolute-url", f"--unix-socket={voila_socket()}",
                         "--timeout=120", "--activity-interval=0",
                         f"--Application.log_format={log_format('singleuser')}",
                         f"--Application.log_datefmt={DATE_FORMAT}", *argv,
                         "--", *voila_args(root)])


if __name__ == "__main__":
    main()
