"""``cpkit serve``: the assessor forms as Voila apps on this computer."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from cpkit.cli.base import main
from cpkit.i18n import _


def serve_forms(port: int | None, open_browser: bool, pool_size: int = 1,
                root: Path | None = None, training: bool = False,
                max_kernels: int | None = None) -> int:
    """Start Voila, print the landing page's URL, run until interrupted.

    ``training``: also serve the trainer kit's notebooks, on a port of their own and
    without preheated kernels (a classroom opens them once, not all day).
    """
    from cpkit.serve import MAX_KERNELS, TRAINING_DIR, Server

    max_kernels = max_kernels or MAX_KERNELS
    server = Server(root, port, pool_size=pool_size, max_kernels=max_kernels)
    servers = [server]
    signal.signal(signal.SIGTERM, _stop)  # a terminated `cpkit serve` stops Voila too
    click.echo(_("Starting the forms on 127.0.0.1: waiting for the landing page's kernel "
                 "to start and load cpkit (the address follows when it can answer)..."),
               err=True)
    try:
        server.start()
        click.echo(_("cpkit forms: {url}").format(url=server.url))
        if training:
            servers.append(Server(TRAINING_DIR, preheat=False, token=server.token).start())
            click.echo(_("cpkit training: {url}").format(url=servers[-1].url))
        click.echo(_("Open that address in a browser; press Ctrl-C to stop."), err=True)
        if open_browser and _has_desktop():
            import webbrowser

            webbrowser.open(server.url)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for each in servers:
            each.stop()


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _has_desktop() -> bool:
    """A graphical session (never start a text-mode browser in the terminal)."""
    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@click.option("--pool-size", default=1, show_default=True, type=click.IntRange(0, 8),
              help="Preheated kernels kept ready per form.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of notebooks to serve (default: the forms packaged with cpkit).")
@click.option("--max-kernels", type=click.IntRange(1, 64),
              help="Forms open at once (each holds a kernel); default 8.")
def serve(port: int | None, no_browser: bool, pool_size: int, root: Path | None,
          max_kernels: int | None) -> None:
    """Serve the assessor forms on 127.0.0.1 and print the address to open.

    The address carries a secret token (a new one each start; set CPKIT_SERVE_TOKEN to
    keep one): anyone without it is refused.  It is printed once the landing page can
    answer.  Kernels of closed forms are shut down within a minute."""
    serve_forms(port, not no_browser, pool_size, root, max_kernels=max_kernels)
