"""Who is told: the case's manager, the agency that owes something, the supervisors.

Read from the users table, as the access policy reads it: a case manager is the user
whose login or display name is the case's ``case_manager``.  With no users configured
(single-user mode) nobody is told: there is no one else.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpkit.access.users import User, list_users
from cpkit.store import Store


@dataclass(frozen=True)
class Directory:
    """The users, read once per run of notices."""

    users: tuple[User, ...]

    @classmethod
    def load(cls, store: Store) -> Directory:
        return cls(tuple(list_users(store)))

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
