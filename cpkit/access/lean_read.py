"""One case read on the lean road (``sqlite3``, no SQLAlchemy) for ``cpkit show``: the
same decision, the same view and the same audit row as :meth:`Guard.get
<cpkit.access.guard.Guard.get>`.

Why: ``cpkit show`` is a short process, and SQLAlchemy alone took a third of it.  The
Guard stays the one road in the sense that matters: the policy (:func:`decide` on the
facts :func:`~cpkit.access.listing.facts_of` makes), the view
(:func:`~cpkit.access.reading.view_of`) and the audit row
(:func:`~cpkit.access.reading.read_event`, appended in the chain by
:meth:`cpkit.store.lean.Reader.append_audit`: on PostgreSQL the Store's own statement)
are the Guard's own code; only the statements differ.  Taken only where the lean reader
can read (a store at the newest schema) and write the audit row; anywhere else
:func:`read_case` gives ``None`` and the command opens the Guard, which decides again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cpkit.access.listing import announce_single_user, facts_of, no_such_case, open_lean
from cpkit.access.policy import PermissionDenied, Principal, decide
from cpkit.access.reading import PURPOSES, read_event, view_of

if TYPE_CHECKING:
    from cpkit.model import Case
    from cpkit.store.lean import Reader
    from cpkit.store.voids import Void


@dataclass
class LeanRead:
    """A case read for one purpose: its stored ``document`` (unsealed, before any view),
    whether the user's view is ``redacted`` (without the child's identity), and, once
    :meth:`open_case` made it, the ``case`` as the user may see it and its void mark;
    who read it (for the names of people, :meth:`display_name`)."""

    case_id: str
    document: dict
    version: int
    redacted: bool
    principal: Principal
    _reader: Reader
    _stored: dict
    case: Case | None = None
    void: Void | None = None

    def display_name(self, name: str | None) -> str | None:
        """As :meth:`Guard.display_name`: a user's display name, else their name."""
        if not name:
            return name
        found = self._reader.user(name)
        return found[3] if found and found[3] else name

    def close(self) -> None:
        self._reader.close()

    def record(self, purpose: str, detail: dict | None = None) -> bool:
        """Leave the read's audit row, as :meth:`Guard.get` leaves it (:func:`read_case`
        with ``audit=False`` left it to the caller: a read that goes on through the
        Guard, which leaves its own).  ``False`` when it could not be left here (on
        PostgreSQL: see :meth:`~cpkit.store.lean.Reader.append_audit`): nothing of the
        read may be shown then, and the Guard's road reads again."""
        action, note = read_event(purpose, self.redacted, detail)
        return self._reader.append_audit(action, self.case_id, note, self.principal.name,
                                         self.version)

    def open_case(self, as_of: dt.date | None = None, lang: str | None = None) -> Case:
        """The case (the model) as the user may see it, and its void mark.  Made from the
        stored document without validating it again (:meth:`Case.from_stored`: it was
        validated when written), so that ``cpkit show`` builds no validator."""
        from cpkit.model import Case
        from cpkit.store.voids import void_from_row

        self.case = view_of(Case.from_stored(self.document), self.principal,
                            self.redacted, as_of, lang)
        stored = self._stored
        self.void = void_from_row(self.case_id, stored["voided_at"], stored["voided_by"],
                                  stored["void_reason"])
        return self.case


def read_document(case_id: str, purpose: str = "show", *, redact: bool = False,
                  announce: bool = True) -> LeanRead | None:
    """``case_id``'s stored document, read for ``purpose`` as :meth:`Guard.get` reads it
    (refused alike: no such case, not allowed), no audit row yet (:meth:`LeanRead.record`),
    no case model; ``None`` where the Guard must read it (a store the lean reader cannot
    read)."""
    found = open_lean()
    if found is None:
        return None
    reader, who = found
    try:
        if announce:
            announce_single_user(who)
        stored = reader.case_row(case_id)  # the facts decided on and the version read
        if stored is None:
            raise no_such_case(case_id)
        facts = facts_of([(case_id, stored["training"], stored["case_manager"],
                           stored["document"])], True)[0]
        operation = PURPOSES[purpose][0]
        decision = decide(who, operation, facts)
        if not decision.allowed:
            raise PermissionDenied(who.name, operation, case_id, "")
        from cpkit.store import codec

        document = codec.decode(stored["document"])
    except BaseException:
        reader.close()
        raise
    return LeanRead(case_id, document, stored["version"], redact or not decision.identity,
                    who, reader, stored)


def read_case(case_id: str, purpose: str = "show", *, redact: bool = False,
              as_of: dt.date | None = None, detail: dict | None = None,
              lang: str | None = None, announce: bool = True,
              audit: bool = True) -> LeanRead | None:
    """``case_id`` read for ``purpose`` as :meth:`Guard.get` reads it: the case as the
    user may see it (:attr:`LeanRead.case`), with its audit row (``audit=False``: the
    caller leaves it with :meth:`LeanRead.record`, or lets the Guard read again);
    ``None`` where the Guard must read it."""
    read = read_document(case_id, purpose, redact=redact, announce=announce)
    if read is None:
        return None
    try:
        read.open_case(as_of, lang)
        if audit and not read.record(purpose, detail):
            read.close()
            return None  # no audit row, nothing shown: the Guard reads and records
    except BaseException:
        read.close()
        raise
    return read
