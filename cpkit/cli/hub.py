"""``cpkit hub``: JupyterHub for a Task Force (logins, one Voila per user, PostgreSQL).

``cpkit hub`` writes the hub's configuration and runs JupyterHub until interrupted;
``cpkit hub login NAME`` gives a cpkit user a hub login (a NativeAuthenticator account).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import click

from cpkit.cli.base import main
from cpkit.i18n import _


def _settings(folder: Path | None, **kwargs):
    from cpkit.hub.config import HubSettings
    from cpkit.paths import database_url, home

    return HubSettings(folder=Path(folder or home() / "hub").resolve(),
                       store_url=database_url(), **kwargs)


def _require_admin() -> None:
    """Once users exist, only cpkit's admins set the hub up."""
    from cpkit.access import PermissionDenied, open_guarded_store

    guard = open_guarded_store(announce=False)
    try:
        if not guard.single_user and not guard.principal.has("admin"):
            raise PermissionDenied(guard.user, "set up the hub", reason=_("admins only"))
    finally:
        guard.close()


@main.group(invoke_without_command=True)
@click.option("--folder", type=click.Path(path_type=Path, file_okay=False),
              help="The hub's folder (default: $CPKIT_HOME/hub).")
@click.option("--ip", default="127.0.0.1", show_default=True,
              help="Address to listen on (put TLS in front of anything but loopback).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65534),
              help="The hub's port (the proxy's API and the hub's own API take the next two).")
@click.option("--idle-timeout", default=3600, show_default=True, type=click.IntRange(60),
              help="Seconds without use before a user's server is stopped.")
@click.option("--admin", "admins", multiple=True,
              help="A hub administrator (may see the hub's control panel); repeatable.")
@click.option("--ssl-cert", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The hub's own TLS certificate (with --ssl-key).")
@click.option("--ssl-key", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--write-only", is_flag=True, help="Write the configuration, do not start.")
@click.pass_context
def hub(ctx: click.Context, folder, ip, port, idle_timeout, admins, ssl_cert, ssl_key,
        write_only) -> None:
    """Write the JupyterHub configuration and run the hub (Ctrl-C stops it; users'
    servers keep running and are found again by the next start)."""
    ctx.obj = folder
    if ctx.invoked_subcommand is not None:
        return
    from cpkit.hub.config import hub_command, hub_environment, write_config

    if bool(ssl_cert) != bool(ssl_key):
        raise click.UsageError(_("--ssl-cert and --ssl-key go together"))
    _require_admin()
    settings = _settings(folder, ip=ip, port=port, idle_timeout=idle_timeout,
                         admin_users=tuple(admins), ssl_cert=ssl_cert, ssl_key=ssl_key)
    path = write_config(settings)
    click.echo(_("hub configuration: {path}").format(path=path), err=True)
    if write_only:
        return
    scheme = "https" if ssl_cert else "http"
    click.echo(_("cpkit hub: {url}").format(url=f"{scheme}://{ip}:{port}/"))
    from cpkit.hub import zygote

    zygote.start(settings.folder)  # warms up while the hub starts; outlives a restart
    process = subprocess.Popen(hub_command(settings), env=hub_environment(settings),
                               cwd=settings.folder)
    signal.signal(signal.SIGTERM, lambda *_a: process.terminate())
    try:
        sys.exit(process.wait())
    except KeyboardInterrupt:
        process.terminate()
        sys.exit(process.wait())


@hub.command("login")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.pass_obj
def hub_login(folder: Path | None, name: str, password_stdin: bool) -> None:
    """Give cpkit user NAME a hub login (or a new password)."""
    from cpkit.hub.config import add_login

    _require_admin()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    add_login(_settings(folder), name, password)
    click.echo(_("hub login for {name} saved").format(name=name), err=True)


@hub.command("stop")
@click.pass_obj
def hub_stop(folder: Path | None) -> None:
    """Stop the hub, its proxy and every user's server (a plain Ctrl-C of ``cpkit hub``
    leaves users' servers and the proxy running, so a restarted hub finds them)."""
    from cpkit.hub.config import stop_all

    _require_admin()
    stopped = stop_all(_settings(folder))
    click.echo(_("{n} processes stopped").format(n=len(stopped)), err=True)
