"""Who is told: the case's manager, the agency that owes something, the supervisors.

Read from the users table, as the access policy reads it: a case manager is the user
whose login or display name is the case's ``case_manager``.  With no users configured
(single-user mode) nobody is told: there is no one else.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cpkit.store import Store
from cpkit.store.schema import users


@dataclass(frozen=True)
class Person:
    name: str
    roles: frozenset[str]
    agency: str | None
    display_name: str | None


@dataclass(frozen=True)
class Directory:
    """The users, read once per run of notices (from the table: notify sits below the
    access layer, which calls it)."""

    users: tuple[Person, ...]

    @classmethod
    def load(cls, store: Store) -> Directory:
        with store.engine.connect() as conn:
            rows = conn.execute(select(users.c.name, users.c.role, users.c.agency,
                                       users.c.display_name)).all()
        return cls(tuple(Person(r.name, frozenset((r.role or "").split(",")) - {""},
                                r.agency, r.display_name) for r in rows))

    def case_managers(self, case_manager: str | None) -> list[str]:
        if not case_manager:
            return []
        return [u.name for u in self.users
                if "case_manager" in u.roles and case_manager in (u.name, u.display_name)]

    def agency_members(self, agency: str | None) -> list[str]:
        if not agency:
            return []
        return [u.name for u in self.users
                if "agency_member" in u.roles and u.agency == agency]

    def supervisors(self) -> list[str]:
        return [u.name for u in self.users if "supervisor" in u.roles]

    def display_name(self, name: str) -> str:
        found = next((u for u in self.users if u.name == name), None)
        return (found.display_name or found.name) if found else name
