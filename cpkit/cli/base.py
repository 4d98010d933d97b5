"""The ``cpkit`` command group.  Exit status: 0 done, 2 bad input, 1 any other failure.

Messages go to stderr and never show a traceback (set ``CPKIT_DEBUG=1`` for one).
Each area of the kit adds its commands from its own module in this package.
"""

from __future__ import annotations

import datetime as dt
import os

import click

from cpkit.errors import CpkitError
from cpkit.store import Store

DATE = click.DateTime(formats=["%Y-%m-%d"])


def today() -> dt.date:
    return dt.date.today()


def open_store() -> Store:
    return Store()


class Command(click.Group):
    """Runs a subcommand and turns cpkit's errors into a message and an exit status."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CpkitError as err:
            click.echo(f"cpkit: {err}", err=True)
            ctx.exit(err.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # a message, never a crash dump, for the user
            if os.environ.get("CPKIT_DEBUG"):
                raise
            click.echo(f"cpkit: unexpected failure ({type(err).__name__}); "
                       "run again with CPKIT_DEBUG=1 for details", err=True)
            ctx.exit(1)


@click.group(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cpkit")
def main() -> None:
    """cpkit: child protection case work after the Kosovo Working Protocol."""
