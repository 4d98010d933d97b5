"""Users, their roles and their grants, kept in the store's ``users`` and ``grants`` tables.

These functions change the tables and leave one audit row each; they do not decide
who may call them (that is :class:`cpkit.access.guard.Guard`'s job).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from cpkit import protocol
from cpkit.access.listing import merged_grants
from cpkit.access.policy import Principal, check_roles, decode_roles, encode_roles
from cpkit.access.served import served
from cpkit.errors import BadInput, NotFound
from cpkit.store import Store
from cpkit.store.schema import cases, grants, users

NAME_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset[str]
    agency: str | None
    display_name: str | None
    created_at: dt.datetime

    @property
    def role(self) -> str:
        return encode_roles(self.roles)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def has_users(store: Store) -> bool:
    """Whether any user is configured (else the kit is in single-user mode)."""
    with store.engine.connect() as conn:
        return conn.execute(select(users.c.name).limit(1)).first() is not None


def list_users(store: Store) -> list[User]:
    """Every user, by name (one statement, on the store's reader)."""
    with store.reader.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).all()
    return [_user(r) for r in rows]


def get_user(store: Store, name: str) -> User | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    return _user(row) if row else None


def display_names(store: Store) -> dict[str, str]:
    """Each user's display name by login (users without one left out)."""
    return {u.name: u.display_name for u in list_users(store) if u.display_name}


def shown_by_names(store: Store, case, names: dict[str, str] | None = None):
    """A copy of ``case`` whose people recorded by login (who reported progress on an
    action or an agency's progress report, who acknowledged a warning) are named by
    their display names, for documents other people read ("Reported by").  ``names``:
    :func:`display_names`, when already read (the batch reads them once per few cases)."""
    names = display_names(store) if names is None else names
    if not names:
        return case
    case = case.model_copy(deep=True)
    parts = [p for a in case.care_plan.actions for p in a.progress]
    parts += [r for m in case.meetings for r in m.progress_reports]
    parts += list(getattr(case, "acknowledgements", None) or [])
    for part in parts:
        if getattr(part, "by", None) in names:
            part.by = names[part.by]
    return case


def display_name(store: Store | None, name: str | None) -> str:
    """How a person is shown to other people: their display name, never a login.

    The users table's display name; else (single-user mode) the OS account's full name;
    else the login itself, the only name there is.
    """
    if not name:
        return ""
    if store is not None:
        try:
            user = get_user(store, name)
        except Exception:  # noqa: BLE001 - a store without a users table: no display names
            user = None
        if user is not None and user.display_name:
            return user.display_name
    return _account_name(name) or name


@served
def shown_name(guard, name: str | None) -> str:
    """:func:`display_name` on the guard's store (by the host, for a form's kernel)."""
    return display_name(guard.store, name)


def _account_name(login: str) -> str | None:
    try:
        import pwd

        return pwd.getpwnam(login).pw_gecos.split(",")[0].strip() or None
    except (ImportError, KeyError):
        return None


def _user(row) -> User:
    return User(row.name, decode_roles(row.role), row.agency, row.display_name, row.created_at)


def principal(store: Store, name: str) -> Principal | None:
    """The configured user ``name`` with their grants; ``None`` if not configured."""
    user = get_user(store, name)
    if user is None:
        return None
    return Principal(user.name, user.roles, user.agency, user.display_name,
                     grants_of(store, user.name))


def grants_of(store: Store, name: str) -> dict[str, bool]:
    """Case code -> whether identity is granted, for the user ``name``."""
    with store.engine.connect() as conn:
        return merged_grants((row.case_id, bool(row.identity)) for row in conn.execute(
            select(grants.c.case_id, grants.c.identity)
            .where(grants.c.user_name == name).order_by(grants.c.id)))


def _text(field: str, value: str | None, required: bool = False) -> str | None:
    if value is None or not value.strip():
        if required:
            raise BadInput(f"{field}: must not be empty")
        return None
    value = value.strip()
    if len(value) > NAME_MAX:
        raise BadInput(f"{field}: too long ({len(value)} characters, at most {NAME_MAX})")
    if _CONTROL.search(value):
        raise BadInput(f"{field}: control characters are not allowed")
    return value


def add_user(store: Store, name: str, roles: list[str] | tuple[str, ...],
             agency: str | None, display_name: str | None, by: str) -> User:
    """Add a user (or change an existing one's roles, agency and display name)."""
    name = _text("name", name, required=True)
    display_name = _text("display_name", display_name)
    chosen = check_roles(roles)
    if agency is not None and agency not in protocol.agency_keys():
        raise BadInput(f"agency: {agency!r:.40} is not an agency key; "
                       f"agencies: {', '.join(protocol.agency_keys())}")
    if "agency_member" in chosen and not agency:
        raise BadInput("agency: an agency member needs --agency")
    first = not has_users(store)
    if first and "admin" not in chosen:
        raise BadInput("role: the first user must be an admin, so that someone can "
                       "manage users (give --role admin, with another role if needed)")
    values = {"role": encode_roles(chosen), "agency": agency, "display_name": display_name}
    with store.engine.begin() as conn:
        existing = conn.execute(select(users.c.name).where(users.c.name == name)).first()
        if existing:
            _keep_an_admin(conn, name, chosen)
            conn.execute(users.update().where(users.c.name == name).values(**values))
        else:
            conn.execute(insert(users).values(name=name, created_at=_now(), **values))
        _audit(conn, "user_change" if existing else "user_add", None,
               {"user": name, "role": values["role"], "agency": agency}, by)
    return get_user(store, name)


def _keep_an_admin(conn, name: str, new_roles: frozenset[str] | None) -> None:
    if new_roles is not None and "admin" in new_roles:
        return
    rows = conn.execute(select(users.c.name, users.c.role)).all()
    admins = [r.name for r in rows if "admin" in decode_roles(r.role)]
    others = [r.name for r in rows if r.name != name]
    if admins == [name] and others:
        raise BadInput(f"{name} is the last admin: add another admin first")


def remove_user(store: Store, name: str, by: str) -> None:
    """Remove a user and their grants.  The last admin stays while others remain."""
    with store.engine.begin() as conn:
        if conn.execute(select(users.c.name).where(users.c.name == name)).first() is None:
            raise NotFound(f"{name}: no such user")
        _keep_an_admin(conn, name, None)
        conn.execute(delete(grants).where(grants.c.user_name == name))
        conn.execute(delete(users).where(users.c.name == name))
        _audit(conn, "user_remove", None, {"user": name}, by)


def grant(store: Store, name: str, case_id: str, identity: bool, by: str) -> None:
    """Give ``name`` read access to ``case_id`` (with the child's identity or not)."""
    with store.engine.begin() as conn:
        if conn.execute(select(users.c.name).where(users.c.name == name)).first() is None:
            raise NotFound(f"{name}: no such user")
        if conn.execute(select(cases.c.case_id).where(cases.c.case_id == case_id)).first() \
                is None:
            raise NotFound(f"{case_id}: no such case in the store")
        conn.execute(delete(grants).where(grants.c.user_name == name,
                                          grants.c.case_id == case_id))
        conn.execute(insert(grants).values(user_name=name, case_id=case_id, identity=identity,
                                           granted_by=by, at=_now()))
        _audit(conn, "grant", case_id, {"user": name, "identity": identity}, by)


def revoke(store: Store, name: str, case_id: str, by: str) -> None:
    """Take back what :func:`grant` gave."""
    with store.engine.begin() as conn:
        gone = conn.execute(delete(grants).where(grants.c.user_name == name,
                                                 grants.c.case_id == case_id)).rowcount
        if not gone:
            raise NotFound(f"{name} has no grant for {case_id}")
        _audit(conn, "revoke", case_id, {"user": name}, by)


def _audit(conn, action: str, case_id: str | None, detail: dict, by: str) -> None:
    """One audit row in the same transaction as the change it records."""
    Store._audit(conn, [(case_id, None, detail)], by, action)
