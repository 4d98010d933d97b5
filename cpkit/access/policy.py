"""Who may do what with which case: the need-to-know policy as pure decisions.

The protocol: records "accessible only to those who have responsibility for the
protection of children", information "shared on a need to know basis", case codes
instead of names outside the Task Force.  This module decides; :mod:`.guard`
enforces; :mod:`.redact` makes the redacted view.  Nothing here touches the store.

The matrix (one role per user, optionally combined with ``admin``):

=============  =========================================  ============  ==============
role           which cases                                identity      may also
=============  =========================================  ============  ==============
supervisor     every case                                 yes           edit, close,
                                                                        sign off, audit
case_manager   cases whose ``case_manager`` is their      yes           edit, close
               name or display name
agency_member  live cases whose ``agencies_involved``      only if       (read only)
               include their agency                       granted
trainer        training cases (``training: true``)        yes           edit, close,
                                                                        sign off
admin          none (manages users, reads the audit,      no            audit, users,
               rotates the key, backs up, restores,                     rotate-key,
               repairs)                                                 backup, restore,
                                                                        check --repair
=============  =========================================  ============  ==============

A grant (``cpkit user grant``) adds read access to one case, with or without
identity, to any user.  Someone who is both administrator and supervisor has the
roles ``admin,supervisor``.  With no users configured the kit is in single-user
mode and everything is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cpkit.errors import CpkitError

ROLES = ("admin", "supervisor", "case_manager", "agency_member", "trainer")
# The operations on a case the policy decides, and the ones on the kit itself.
CASE_OPERATIONS = ("list", "show", "export", "render", "edit", "close", "sign_off", "audit",
                   "create")
KIT_OPERATIONS = ("audit", "manage_users", "rotate_key", "backup", "repair")
READ_OPERATIONS = frozenset({"list", "show", "export", "render"})

# The verbs of refusal messages ("user X may not sign off case Y").
VERBS = {"list": "list", "show": "see", "export": "export", "render": "render",
         "edit": "change", "close": "close", "sign_off": "sign off", "audit": "read the audit of",
         "create": "create", "manage_users": "manage users", "rotate_key": "rotate the key",
         "backup": "back up or restore the store", "repair": "repair the store",
         "use": "use this case store", "void": "void"}


class PermissionDenied(CpkitError):
    """The user may not do this; the message says who and what, never why in detail."""

    exit_code = 1

    def __init__(self, user: str, operation: str, case_id: str | None = None,
                 reason: str = ""):
        self.user, self.operation, self.case_id = user, operation, case_id
        what = VERBS.get(operation, operation)
        target = f" case {case_id}" if case_id else ""
        super().__init__(f"user {user} may not {what}{target}" + (f": {reason}" if reason else ""))


@dataclass(frozen=True)
class Principal:
    """The person acting, as the store knows them."""

    name: str
    roles: frozenset[str] = frozenset()
    agency: str | None = None
    display_name: str | None = None
    grants: Mapping[str, bool] = field(default_factory=dict)  # case_id -> identity
    single_user: bool = False

    def has(self, role: str) -> bool:
        return role in self.roles

    def manages(self, case_manager: str | None) -> bool:
        """Whether ``case_manager`` (as written in a case) is this person."""
        if not case_manager:
            return False
        names = {n.strip().casefold() for n in (self.name, self.display_name) if n}
        return case_manager.strip().casefold() in names


@dataclass(frozen=True)
class CaseFacts:
    """What the policy needs to know about a case: nothing that identifies the child."""

    case_id: str
    training: bool
    case_manager: str | None
    agencies_involved: tuple[str, ...]

    @classmethod
    def of(cls, case) -> CaseFacts:
        """Facts of a :class:`cpkit.model.Case`."""
        return cls(case.case_id or "", bool(case.training), case.case_manager,
                   tuple(case.agencies_involved))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    identity: bool = False  # whether the child's identity may be shown
    reason: str = ""


DENY = Decision(False)


def decide(who: Principal, operation: str, case: CaseFacts | None = None) -> Decision:
    """May ``who`` do ``operation`` (on ``case``)?  Pure; see the module table."""
    if who.single_user:
        return Decision(True, identity=True)
    if case is None:
        return _kit_decision(who, operation)
    if operation == "audit":
        return Decision(who.has("admin") or who.has("supervisor"), identity=False)
    full = _full_access(who, case)
    if operation in READ_OPERATIONS:
        if full:
            return Decision(True, identity=True)
        if case.case_id in who.grants:
            return Decision(True, identity=bool(who.grants[case.case_id]), reason="granted")
        if (who.has("agency_member") and who.agency and not case.training
                and who.agency in case.agencies_involved):
            return Decision(True, identity=False)
        return DENY
    if operation in ("edit", "close", "create"):
        return Decision(True, identity=True) if full else DENY
    if operation == "sign_off":
        signs = who.has("supervisor") or (who.has("trainer") and case.training)
        return Decision(True, identity=True) if signs else DENY
    return DENY


def lists_every_case(who: Principal) -> bool:
    """Whether :func:`decide` lets ``who`` list every case whatever its facts (single-user
    mode, a supervisor: full access to every case), so a list need not read the facts
    of every stored case to filter its rows (on a store of many years, more than the
    list itself)."""
    return who.single_user or who.has("supervisor")


def _full_access(who: Principal, case: CaseFacts) -> bool:
    """Full access with identity: the responsible case manager, supervisors, trainers
    on training cases."""
    return (who.has("supervisor")
            or (who.has("case_manager") and who.manages(case.case_manager))
            or (who.has("trainer") and case.training))


def _kit_decision(who: Principal, operation: str) -> Decision:
    if operation == "audit":
        return Decision(who.has("admin") or who.has("supervisor"))
    if operation in ("manage_users", "rotate_key", "backup", "repair"):
        return Decision(who.has("admin"))
    if operation == "list":
        return Decision(bool(who.roles - {"admin"}) or bool(who.grants))
    if operation == "create":
        return Decision(bool(who.roles & {"supervisor", "case_manager", "trainer"}))
    return DENY


def check_roles(roles: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Valid roles for one user: known ones, at most one besides ``admin``."""
    from cpkit.errors import BadInput

    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise BadInput(f"role: {', '.join(unknown)} is not a role; roles: {', '.join(ROLES)}")
    chosen = frozenset(roles)
    if not chosen:
        raise BadInput("role: give at least one role")
    if len(chosen - {"admin"}) > 1:
        raise BadInput("role: one role per user, optionally together with admin")
    return chosen


def encode_roles(roles: frozenset[str]) -> str:
    """Roles as kept in the ``users.role`` column ("admin,supervisor")."""
    return ",".join(r for r in ROLES if r in roles)


def decode_roles(text: str | None) -> frozenset[str]:
    return frozenset(r for r in (text or "").split(",") if r)
