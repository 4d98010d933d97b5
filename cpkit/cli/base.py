"""The ``cpkit`` command group.  Exit status: 0 done, 2 bad input, 1 any other failure.

Messages go to stderr and never show a traceback (set ``CPKIT_DEBUG=1`` for one).
Each area of the kit adds its commands from its own module in this package, and
:data:`COMMANDS` says which module holds which command: ``cpkit list`` imports only
``cpkit.cli.cases``, so a command pays only for what it needs.  Keep the command
modules cheap to import (heavy imports inside the functions): ``cpkit --help`` imports
all of them.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
from typing import TYPE_CHECKING

# Start-up: a command is a short process whose imports (SQLAlchemy, pydantic's model
# building) make hundreds of thousands of objects that all live to the end.  The
# cyclic collector's young generation, checked every 700 new objects by default, walked
# them over and over (a tenth of `cpkit show`); checked every 20,000 it still runs in
# a long command (serve) and a tenth as often.
gc.set_threshold(20_000, 10, 10)
# pydantic looks for plugins in the metadata of every installed package when its first
# model is built (a twentieth of a second in this environment); cpkit uses none.  A
# user's own setting is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import click  # noqa: E402

from cpkit.errors import CpkitError  # noqa: E402

if TYPE_CHECKING:
    from cpkit.store import Store

DATE = click.DateTime(formats=["%Y-%m-%d"])


def today() -> dt.date:
    return dt.date.today()


def open_store() -> Store:
    from cpkit.store import Store

    return Store()


def open_guarded_store():
    """The guarded store for the current user (:func:`cpkit.access.open_guarded_store`),
    imported only by the commands that read cases."""
    from cpkit.access import open_guarded_store as open_guarded

    return open_guarded()


def open_lists():
    """The caseload lists for the current user (:func:`cpkit.access.listing.open_lists`:
    without SQLAlchemy on an SQLite store at the newest schema)."""
    from cpkit.access.listing import open_lists as open_listing

    return open_listing()


# Command name -> the module of this package that defines it (tests/cli checks it is
# complete).  A command missing here is still found: every module is then imported.
COMMANDS = {
    "backup": "recovery", "check": "recovery", "restore": "recovery",
    "audit": "access", "rotate-key": "access", "training-flag": "access", "user": "access",
    "demo": "cases", "deadlines": "cases", "export": "cases", "import": "cases",
    "init": "cases", "list": "cases", "show": "cases", "void": "cases",
    "meeting": "meeting",
    "caseload": "dashboard", "reports": "dashboard", "review": "dashboard",
    "signoff": "dashboard", "view": "dashboard",
    "hub": "hub",
    "i18n-status": "i18n",
    "known": "referrals", "referral": "referrals", "transfer": "referrals",
    "inbox": "notify", "notify": "notify",
    "render": "render",
    "serve": "serve",
    "training": "training",
}


def load_commands(names: list[str] | None = None) -> None:
    """Import the modules that define ``names`` (default: every command module)."""
    modules = set(COMMANDS.values()) if names is None else {COMMANDS[n] for n in names}
    for module in sorted(modules):
        importlib.import_module(f"cpkit.cli.{module}")


class Command(click.Group):
    """Runs a subcommand and turns cpkit's errors into a message and an exit status.

    Subcommands are loaded on first use (:data:`COMMANDS`)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            load_commands([cmd_name] if cmd_name in COMMANDS else None)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands()
        return super().list_commands(ctx)

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
    from cpkit.cli.terminal import defuse_stdout

    defuse_stdout()  # stored text never drives the terminal
