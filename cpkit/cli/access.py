"""Access commands: ``cpkit user add|list|remove|grant|contact``, ``cpkit audit``,
``cpkit rotate-key``.  All go through the guarded store (:mod:`cpkit.access`)."""

from __future__ import annotations

import click

from cpkit import protocol
from cpkit.access.policy import ROLES
from cpkit.cli.base import main, open_guarded_store
from cpkit.i18n import N_, _

# Audit details shown by `cpkit audit`: keys whose values never identify a child.
SHOWN_DETAIL = ("fields", "purpose", "redacted", "for_child", "format", "user", "role",
                "agency", "identity", "cases")


@main.group()
def user() -> None:
    """Users of a shared store and their roles (admins only, once users exist)."""


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="The user's role; repeat to combine admin with one other role.")
@click.option("--agency", type=click.Choice(protocol.agency_keys()),
              help="The agency key (required for an agency member).")
@click.option("--display-name", help="The name as written in cases' case_manager field.")
def user_add(name: str, roles: tuple[str, ...], agency: str | None,
             display_name: str | None) -> None:
    """Add the user NAME (their JupyterHub or login name), or change their role."""
    guard = open_guarded_store()
    first = guard.single_user
    added = guard.add_user(name, list(roles), agency, display_name)
    click.echo(_("user {name}: {role}").format(name=added.name, role=added.role), err=True)
    if first:
        click.echo(_("users are now configured: only they may use this case store"), err=True)


@user.command("list")
def user_list() -> None:
    """The configured users, their roles and agencies."""
    rows = [[u.name, u.role, u.agency or "-", u.display_name or "-",
             u.created_at.strftime("%Y-%m-%d")] for u in open_guarded_store().users()]
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=[_("user"), _("role"), _("agency"), _("display name"),
                                       _("added")]))


@user.command("remove")
@click.argument("name")
def user_remove(name: str) -> None:
    """Remove the user NAME and their grants."""
    open_guarded_store().remove_user(name)
    click.echo(_("user {name} removed").format(name=name), err=True)


@user.command("grant")
@click.argument("name")
@click.argument("case_id")
@click.option("--identity/--no-identity", default=False, show_default=True,
              help="Whether the user may see the child's identity in this case.")
@click.option("--revoke", is_flag=True, help="Take the grant back instead.")
def user_grant(name: str, case_id: str, identity: bool, revoke: bool) -> None:
    """Let NAME read case CASE_ID (redacted unless --identity)."""
    guard = open_guarded_store()
    if revoke:
        guard.revoke(name, case_id)
        click.echo(_("{name}: grant for {case} revoked").format(name=name, case=case_id),
                   err=True)
        return
    guard.grant(name, case_id, identity)
    click.echo(_("{name} may read {case} ({what})").format(
        name=name, case=case_id, what=_("with identity") if identity else _("redacted")),
        err=True)


def _detail(detail: object) -> str:
    if not isinstance(detail, dict):
        return ""
    parts = []
    for key in SHOWN_DETAIL:
        if key in detail:
            value = detail[key]
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value[:6]) + (" ..." if len(value) > 6 else "")
            parts.append(f"{key}={value}")
    text = "; ".join(parts)
    return text if len(text) <= 80 else text[:77] + "..."


@main.command()
@click.argument("case_id", required=False)
@click.option("--user", "actor", help="Only what this user did.")
def audit(case_id: str | None, actor: str | None) -> None:
    """Who did what and when, from where: the whole trail, or of CASE_ID."""
    from cpkit.access.users import list_users

    guard = open_guarded_store()
    rows = guard.audit_rows(case_id, actor)
    # People by their names; the login too only for an administrator (who manages them).
    admin = guard.principal.has("admin")
    names = {u.name: u.display_name for u in list_users(guard.store) if u.display_name}

    def who(login: str) -> str:
        name = names.get(login)
        if not name:
            return login
        return f"{name} ({login})" if admin else name

    table = [[r["at"].strftime("%Y-%m-%d %H:%M:%S") if r["at"] else "", who(r["actor"]),
              r["action"], r["case_id"] or "-", r["case_version"] or "-", r["origin"] or "-",
              _detail(r["detail"])] for r in rows]
    from tabulate import tabulate

    click.echo(tabulate(table, headers=[_("when (UTC)"), _("user"), _("action"), _("case"),
                                        _("version"), _("from"), _("detail")]))


@main.command("training-flag")
@click.argument("case_id")
@click.option("--training/--live", "training", required=True,
              help="Mark the case a training case, or a live one.")
def training_flag(case_id: str, training: bool) -> None:
    """Mark a stored case as a training case or a live one (admins only, audited).

    Trainers see training cases with the child's identity: only a real fictional
    case may be one."""
    open_guarded_store().set_training(case_id, training)
    click.echo(_("{case}: now a training case").format(case=case_id) if training else
               _("{case}: now a live case").format(case=case_id), err=True)


@main.command("rotate-key")
def rotate_key() -> None:
    """Encrypt every case's identifying data with a new key (admins only)."""
    count, new_key = open_guarded_store().rotate_key()
    click.echo(_("{count} case(s) re-encrypted with a new identity key").format(count=count),
               err=True)
    if new_key:
        click.echo(_("CPKIT_KEY is in use: replace it with the new key below, everywhere "
                     "the kit runs; the old key no longer opens the store"), err=True)
        click.echo(new_key)


DELIVERY_LABELS = {"immediate": N_("each notice by e-mail at once"),
                   "daily": N_("one e-mail digest a day"), "off": N_("the inbox only")}


@user.command("contact")
@click.argument("name")
@click.option("--email", help="Where the mail goes.")
@click.option("--delivery", type=click.Choice(["immediate", "daily", "off"]),
              default="immediate", show_default=True,
              help="Each notice at once, one digest a day, or the inbox only.")
@click.option("--lang", type=click.Choice(["en", "sq", "sr", "sr-Cyrl"]),
              help="The language of the mail.")
def user_contact(name: str, email: str | None, delivery: str, lang: str | None) -> None:
    """How NAME is told (admins, or the user for themselves)."""
    from cpkit.notify.mailer import set_contact

    guard = open_guarded_store()
    if name != guard.user:
        guard.authorise("manage_users")
    set_contact(guard.store, name, email, delivery, lang)
    click.echo(_("{name}: notifications: {delivery}").format(
        name=name, delivery=_(DELIVERY_LABELS[delivery])), err=True)
