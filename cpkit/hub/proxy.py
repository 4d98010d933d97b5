"""The hub's proxy (configurable-http-proxy), given time to answer on a loaded machine.

JupyterHub asks the proxy's API to route each user's server once it has started, with
a 3 s connection and 10 s answer limit, tried again for 30 s; then it gives up, stops
the server and the user's page says "Spawn failed".  With 50 users logging in at once
on two cores, the proxy (one Node.js process, also carrying every page the 50 browsers
load) did not answer for longer than that: the first five users of a 50-user run got
"Spawn failed" (benchmarks/hub.py, 3 December 2026).  Routing a server is idempotent
(the same route again replaces it), so the whole request is tried again, for
:attr:`CpkitProxy.api_patience` seconds in all: the user waits longer, and gets their
page.
"""

from __future__ import annotations

import time

from jupyterhub.proxy import ConfigurableHTTPProxy
from traitlets import Integer


class CpkitProxy(ConfigurableHTTPProxy):
    """configurable-http-proxy whose API requests are tried again for minutes."""

    api_patience = Integer(
        300, config=True,
        help="Seconds to keep asking the proxy's API (JupyterHub alone: 30).")

    async def api_request(self, path, method="GET", body=None, client=None):
        deadline = time.monotonic() + self.api_patience
        while True:
            try:
                return await super().api_request(path, method=method, body=body,
                                                 client=client)
            except TimeoutError:  # JupyterHub's 30 s of tries
                if time.monotonic() >= deadline:
                    raise
                self.log.warning("the proxy's API did not answer %s %s for 30 s (a busy "
                                 "machine): asking again", method, path or "/")
