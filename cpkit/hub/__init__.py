"""A Task Force on one server: JupyterHub in front of one Voila per user.

``cpkit hub`` (:mod:`cpkit.hub.config`) writes a ``jupyterhub_config.py`` and starts
JupyterHub with configurable-http-proxy.  People log in with JupyterHub's
NativeAuthenticator (or a directory's authenticator, see docs/deployment.md); the hub spawns,
for each user, :mod:`cpkit.hub.singleuser` (a hub-authenticated proxy in front of that
user's own Voila, never JupyterLab or a terminal) with :class:`cpkit.hub.spawner.
CpkitSpawner`, which starts the page of the user's cpkit role (:mod:`cpkit.hub.landing`)
and refuses a hub user cpkit does not know.  Who logged in is who cpkit audits
(``JUPYTERHUB_USER``).  Idle servers are culled by jupyterhub-idle-culler.
"""
