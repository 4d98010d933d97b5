"""A hub user's Voila, listening on a Unix socket in the user's folder instead of a
TCP port: what the user's server (:mod:`cpkit.hub.singleuser`) proxies to.

On a TCP port, the proxy picked Voila's port by binding port 0 and letting it go, then
started Voila on it.  With 50 users logging in at once, every user's Voila and kernels
were taking ports at the same time, and now and then a kernel's ZeroMQ socket took a
Voila's port first: Voila exited ("port already in use") and was started again on the
same port, and the proxy's readiness check, answered by ZeroMQ's greeting, failed the
user's page with "500: Internal Server Error".  A socket file has no port to lose.  It
is also private: only the service account can open it (``0600`` in the user's ``0700``
folder), where anyone on the machine could reach a loopback port and so the user's
Voila without the hub's login.

Run as ``python -m cpkit.hub.voila`` (forked from the hub's zygote, it is named
``cpkit-voila`` as Voila was); without ``--CpkitVoila.unix_socket`` it is Voila as is.
"""

from __future__ import annotations

from traitlets import Unicode
from voila.app import Voila


class CpkitVoila(Voila):
    """Voila that serves on a Unix socket when given one."""

    unix_socket = Unicode("", config=True,
                          help="Listen on this Unix socket (mode 0600), not on a TCP port.")

    def listen(self) -> None:
        if not self.unix_socket:
            return super().listen()
        from tornado.httpserver import HTTPServer
        from tornado.ioloop import IOLoop
        from tornado.netutil import bind_unix_socket

        server = HTTPServer(self.app)  # as Voila's app.listen() makes it
        server.add_socket(bind_unix_socket(self.unix_socket, mode=0o600))
        self.log.info("Voilà is running at %s", self.unix_socket)
        self.ioloop = IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()


main = CpkitVoila.launch_instance

if __name__ == "__main__":
    main()
