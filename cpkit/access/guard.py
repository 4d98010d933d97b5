"""The one layer every read and write of a case goes through: :class:`Guard`.

It wraps :class:`cpkit.store.Store` with the same methods (``get``, ``records``,
``summaries``, ``deadline_rows``, ``save``, ``create``, ``import_cases``,
``record_event``, ``audit_rows``), decides each call with :mod:`.policy`, filters
lists to the cases the user may see, returns redacted copies where identity is not
theirs to see, and leaves exactly one audit row per case opened, exported or
rendered.  The store it wraps is private (``_store``): code outside this package
never uses it.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError

from cpkit import identity
from cpkit.access import users as user_table
from cpkit.access.listing import facts_of, only_listed, unknown_user
from cpkit.access.policy import (
    CaseFacts,
    Decision,
    PermissionDenied,
    Principal,
    decide,
    lists_every_case,
)
from cpkit.access.reading import PURPOSES, read_event, view_of
from cpkit.errors import (
    BadInput,
    Conflict,
    CpkitError,
    MergeConflict,
    NotFound,
    StoreUnavailable,
)
from cpkit.store import Record, Store
from cpkit.store.repository import keep_recent
from cpkit.store.schema import cases

if TYPE_CHECKING:  # the model (pydantic) is imported where a case is read: not for lists
    from cpkit.model import Case

log = logging.getLogger(__name__)

# Codes named in one statement by Guard.facts_and_versions (SQLite allows 32,766
# parameters; a batch of a day's cases is a few hundred).
FACTS_PER_STATEMENT = 500
# Cases whose last save by this guard is kept to save over without reading them again
# (Guard._own_save): a user's cases at hand; the oldest forgotten first.
OWN_SAVES_KEPT = 64

# The row a save is decided on and worked out against (Guard._facts_for_save), built
# once: built for each save it cost SQLAlchemy about 70 us of the writer's CPU.
_SAVE_FACTS = select(cases.c.case_id, cases.c.training, cases.c.case_manager,
                     cases.c.document, cases.c.version, cases.c.voided_at) \
    .where(cases.c.case_id == bindparam("case_id"))



def is_redacted(case: Case) -> bool:
    """Whether ``case`` is a redacted copy (see :func:`cpkit.access.redact.is_redacted`)."""
    from cpkit.access.redact import is_redacted as redacted

    return redacted(case)


@dataclass(frozen=True)
class GuardedRecord(Record):
    """A case as this user may see it; ``redacted`` when the child's identity is removed."""

    redacted: bool = False


class Guard:
    """``store`` as ``who`` may use it."""

    def __init__(self, store: Store, who: Principal):
        self._store = store
        self.principal = who
        # Case code -> (version, facts) of this guard's last save of it (Guard._own_save).
        self._own_facts: dict[str, tuple[int, CaseFacts]] = {}

    @classmethod
    def for_user(cls, store: Store, name: str | None = None) -> Guard:
        """The guard for ``name`` (default: the current user); single-user mode when no
        users are configured; :class:`PermissionDenied` for anyone unknown."""
        name = name or identity.current_user()
        if not user_table.has_users(store):
            return cls(store, Principal(name, single_user=True))
        who = user_table.principal(store, name)
        if who is None:
            raise unknown_user(name)
        return cls(store, who)

    @property
    def store(self) -> Store:
        """The wrapped store, for tables that hold no case data (reports, sign-offs)."""
        return self._store

    # -- who ----------------------------------------------------------------------

    @property
    def user(self) -> str:
        return self.principal.name

    @property
    def single_user(self) -> bool:
        return self.principal.single_user

    def refresh(self) -> None:
        """Reload the user's roles and grants (after ``grant`` or ``user add``)."""
        self.principal = Guard.for_user(self._store, self.user).principal

    def close(self) -> None:
        self._store.close()

    # -- decisions ----------------------------------------------------------------

    def decision(self, operation: str, case: str | Case | CaseFacts | None = None) -> Decision:
        """What the policy says about ``operation`` on ``case`` (a code, case or facts)."""
        return decide(self.principal, operation, self._facts_for(case))

    def allowed(self, operation: str, case: str | Case | CaseFacts | None = None) -> bool:
        return self.decision(operation, case).allowed

    def authorise(self, operation: str, case: str | Case | CaseFacts | None = None,
                  reason: str = "") -> Decision:
        """The decision, or :class:`PermissionDenied` when refused."""
        facts = self._facts_for(case)
        found = decide(self.principal, operation, facts)
        if not found.allowed:
            raise PermissionDenied(self.user, operation, facts.case_id if facts else None,
                                   reason)
        return found

    def _facts_for(self, case: str | Case | CaseFacts | None) -> CaseFacts | None:
        if case is None or isinstance(case, CaseFacts):
            return case
        if not isinstance(case, str):  # a Case
            return CaseFacts.of(case)
        return self._facts_one(case)

    def _facts_one(self, case_id: str) -> CaseFacts:
        found = self._facts([case_id])
        if not found:
            raise NotFound(f"{case_id:.60}: no such case in the store")
        return found[0]

    def facts_and_versions(self, case_ids: list[str]) -> dict[str, tuple[CaseFacts, int]]:
        """The facts and the stored version of each named case, read together (one
        statement for up to :data:`FACTS_PER_STATEMENT` codes; codes not in the store are
        left out).  What a render decides on and checks its case against: the batch
        reads them once for several cases and passes them on, instead of each step
        reading them again (each read a round trip to a PostgreSQL server)."""
        c = cases.c
        found: dict[str, tuple[CaseFacts, int]] = {}
        for start in range(0, len(case_ids), FACTS_PER_STATEMENT):
            part = case_ids[start:start + FACTS_PER_STATEMENT]
            with self._store.reader.connect() as conn:
                rows = conn.execute(select(c.case_id, c.training, c.case_manager, c.document,
                                           c.version).where(c.case_id.in_(part))).all()
            for row, facts in zip(rows, facts_of(rows, True), strict=True):
                found[facts.case_id] = (facts, int(row.version))
        return found

    def decisions(self, operation: str, case_ids: Iterable[str]) -> dict[str, Decision]:
        """The policy's decision on ``operation`` for each named case, their facts read
        together (:meth:`facts_and_versions`); codes not in the store are left out."""
        return {code: decide(self.principal, operation, facts)
                for code, (facts, _version) in self.facts_and_versions(list(case_ids)).items()}

    def _facts_for_save(self, case_id: str) -> tuple[CaseFacts, object]:
        """The facts of a case about to be saved and its row as read (version, void
        mark, sealed document): one statement, whose row the store writes against (the
        version and void mark are checked again as the row is written)."""
        with self._store.reader.connect() as conn:
            row = conn.execute(_SAVE_FACTS, {"case_id": case_id}).first()
        if row is None:
            raise NotFound(f"{case_id:.60}: no such case in the store")
        return facts_of([row], True)[0], row

    def _facts(self, case_ids: list[str] | None = None,
               training: bool | None = None) -> list[CaseFacts]:
        """Facts of the stored cases, from the unsealed columns only (no key needed)."""
        c = cases.c
        # Only agency members' decisions need the agencies (read from the document).
        agencies = case_ids is not None or self.principal.has("agency_member")
        columns = [c.case_id, c.training, c.case_manager] + ([c.document] if agencies else [])
        query = select(*columns).order_by(c.case_id)
        if case_ids is not None:
            query = query.where(c.case_id.in_(case_ids))
        else:  # a list: voided cases are left out (named, they are still read)
            query = query.where(c.voided_at.is_(None))
        if training is not None:
            query = query.where(c.training == training)
        with self._store.reader.connect() as conn:
            return facts_of(conn.execute(query).all(), agencies)

    def visible_ids(self, operation: str = "list", training: bool | None = None) -> list[str]:
        """The codes of the cases this user may ``operation``, in code order."""
        return [f.case_id for f in self._facts(training=training)
                if decide(self.principal, operation, f).allowed]

    # -- reading ------------------------------------------------------------------

    def get(self, case_id: str, purpose: str = "show", *, redact: bool = False,
            as_of: dt.date | None = None, need_identity: bool = False,
            detail: dict | None = None, lang: str | None = None,
            at_meeting: dt.date | bool | None = None) -> GuardedRecord:
        """The case ``case_id`` as this user may see it, for ``purpose`` (show, edit,
        export, render, sign_off); one audit row.  ``redact`` asks for the redacted view
        even when identity is allowed; ``need_identity`` refuses a redacted one; ``lang``
        is the language of the marks left where identity was withheld; ``at_meeting``:
        the case as it stood when that meeting (``True``: the latest held one) was held,
        for its minutes, from the kept versions, redacted the same way."""
        return self._read([case_id], None, purpose, redact, as_of, need_identity, detail,
                          lang, at_meeting)[0]

    def records(self, case_ids: Iterable[str] | None = None, training: bool | None = None,
                purpose: str = "show", *, redact: bool = False,
                as_of: dt.date | None = None) -> list[GuardedRecord]:
        """Cases in code order: the ones named (each must be allowed), or all this user
        may see; one audit row per case."""
        return self._read(list(case_ids) if case_ids is not None else None, training,
                          purpose, redact, as_of, False, None, None)

    def _read(self, case_ids: list[str] | None, training: bool | None, purpose: str,
              redact: bool, as_of: dt.date | None, need_identity: bool,
              detail: dict | None, lang: str | None,
              at_meeting: dt.date | bool | None = None) -> list[GuardedRecord]:
        if purpose not in PURPOSES:
            raise BadInput(f"{purpose!r:.40} is not a purpose of reading a case")
        operation = PURPOSES[purpose][0]
        facts, records_of = self._to_read(case_ids, training, operation)
        decisions = {f.case_id: self.authorise(operation, f) for f in facts}
        if need_identity:
            for f in facts:
                if redact or not decisions[f.case_id].identity:
                    raise PermissionDenied(self.user, operation, f.case_id,
                                           "this needs the child's identity")
        if not facts:
            return []
        out = []
        records = records_of(facts)
        for record in records:
            if at_meeting is not None:
                record = self._as_at_meeting(record, at_meeting)
            code = record.case.case_id
            hidden = redact or not decisions[code].identity
            out.append(self._view(record, hidden, as_of, lang))
        for record in out:
            action, note = read_event(purpose, record.redacted, detail)
            self._store.record_event(action, record.case.case_id, note, self.user,
                                     version=record.version)
        return out

    def _to_read(self, case_ids: list[str] | None, training: bool | None, operation: str
                 ) -> tuple[list[CaseFacts], Callable[[list[CaseFacts]], list[Record]]]:
        """The facts of the cases a read is about, and how to get their records once
        allowed: named cases come with their documents in one statement (nothing is
        unsealed before the user is allowed it); otherwise every case the user may
        read, whose documents are read afterwards."""
        if case_ids is None:
            facts = [f for f in self._facts(training=training)
                     if decide(self.principal, operation, f).allowed]
            return facts, lambda allowed: self._store.records([f.case_id for f in allowed])
        rows = {r.case_id: r for r in self._store.case_rows(case_ids)}
        missing = [c for c in case_ids if c not in rows]
        if missing:
            raise NotFound(f"{', '.join(m[:60] for m in missing)}: no such case in the store")
        named = [rows[c] for c in case_ids]
        return (facts_of(named, True),
                lambda _allowed: [self._store.record_of(r) for r in named])

    def _as_at_meeting(self, record: Record, day: dt.date | bool) -> Record:
        from cpkit.rules.meetings import as_at_meeting, held_meetings

        if day is True:
            held = [m.date for m in held_meetings(record.case)]
            if not held:
                return record
            day = max(held)
        history = [r.case for r, _at, _by in self._store.history(record.case.case_id)]
        return Record(as_at_meeting(record.case, history, day), record.version)

    def search(self, text: str, *, training: bool = False) -> list[GuardedRecord]:
        """The cases whose child's name contains ``text`` (any case, any composition),
        among those this user may see with the child's identity.

        One ``search`` audit row says who searched, when and how many cases matched (not
        what was typed: it may be a name); opening one of them is a read of its own.
        """
        wanted = unicodedata.normalize("NFC", text.strip()).casefold()
        facts = [f for f in self._facts(training=training)
                 if (d := decide(self.principal, "show", f)).allowed and d.identity]
        found = []
        if wanted and facts:
            for record in self._store.records([f.case_id for f in facts]):
                child = record.case.child
                name = " ".join(p for p in (child.given_name, child.family_name) if p)
                if wanted in unicodedata.normalize("NFC", name).casefold():
                    found.append(self._view(record, False, None))
        self._store.record_event("search", None, {"matches": len(found)}, self.user)
        return found

    def _view(self, record: Record, hidden: bool, as_of: dt.date | None,
              lang: str | None = None) -> GuardedRecord:
        return GuardedRecord(view_of(record.case, self.principal, hidden, as_of, lang),
                             record.version, hidden)

    def summaries(self, *, training: bool = False, risk: str | None = None,
                  manager: str | None = None, overdue_on: dt.date | None = None,
                  open_only: bool = False) -> list[dict]:
        """The caseload table, only the rows this user may list (no identity in it)."""
        rows = self._store.summaries(training=training, risk=risk, manager=manager,
                                     overdue_on=overdue_on, open_only=open_only)
        return self._only_listed(rows, training)

    def deadline_rows(self, as_of: dt.date, *, overdue_only: bool = False,
                      training: bool = False) -> list[dict]:
        """Open deadlines across the cases this user may list."""
        rows = self._store.deadline_rows(as_of, overdue_only=overdue_only, training=training)
        return self._only_listed(rows, training)

    def _only_listed(self, rows: list[dict], training: bool | None) -> list[dict]:
        if lists_every_case(self.principal):
            return rows
        return only_listed(rows, self.principal, self._facts(training=training))

    def redaction_needed(self, case_id: str | CaseFacts, redact: bool) -> bool:
        """Whether a copy of ``case_id`` made by this user must be redacted: when asked,
        or when the child's identity is not theirs to see (need-to-know).  The guarded
        read (:meth:`get`) applies the same rule to the copy it returns (its
        ``redacted``), on the facts it reads with the case: what ``cpkit render``, the
        batch and the dashboard render.  ``case_id``: a code, or facts just read."""
        return redact or not self.decision("render", case_id).identity

    def version(self, case_id: str, operation: str = "render") -> int:
        """The stored version of ``case_id`` (no case content: not an audited read)."""
        return self.checked_version(case_id, operation)[1]

    def checked_version(self, case_id: str, operation: str = "render"
                        ) -> tuple[CaseFacts, int]:
        """The facts and the stored version of ``case_id``, read in one statement, with
        ``operation`` authorised on those facts: the facts, to pass on to the next steps
        of the same render (:meth:`record_render` and the like take them instead of a
        code, and decide on them without reading them again)."""
        found = self.facts_and_versions([case_id]).get(case_id)
        if found is None:
            raise NotFound(f"{case_id:.60}: no such case in the store")
        self.authorise(operation, found[0])
        return found

    def _rendering(self, case: str | CaseFacts) -> str:
        """Authorise a step of a render of ``case`` (its facts, read by this render's
        :meth:`checked_version` or :meth:`facts_and_versions`; or its code: read now);
        the case's code."""
        self.authorise("render", case)
        return case if isinstance(case, str) else case.case_id

    def record_render(self, case_id: str | CaseFacts, *, case_version: int, kind: str,
                      fmt: str, lang: str, redacted: bool, meeting_date: dt.date | None,
                      path: str, sha256: str) -> int:
        """Record a rendered report (its row and one ``render`` audit row, in one
        transaction) as this user; the report's id.  ``case_id``: the case's code, or
        its facts as this render read them (see :meth:`_rendering`)."""
        from cpkit.store.reports import add_report

        case_id = self._rendering(case_id)
        report_id = add_report(self._store, case_id=case_id, case_version=case_version,
                               kind=kind, fmt=fmt, lang=lang, redacted=redacted,
                               meeting_date=meeting_date, path=path, sha256=sha256,
                               actor=self.user, audit={
                                   "kind": kind, "format": fmt, "redacted": redacted,
                                   "meeting_date": meeting_date.isoformat() if meeting_date
                                   else None, "sha256": sha256})
        if kind == "invitation" and meeting_date is not None:
            from cpkit.notify.events import invitation_rendered

            case = self._store.get(case_id).case
            if not case.training:
                invitation_rendered(self._store, case, meeting_date, self.user)
        return report_id

    def tidy_render_folder(self, case_id: str | CaseFacts, folder,
                           older_than: float = 3600.0) -> int:
        """Finish or remove what a killed or out-of-disk render of ``case_id`` left in
        ``folder`` more than ``older_than`` seconds ago (:mod:`cpkit.store.report_files`;
        a problem a person must decide is left for ``cpkit check``); how many were."""
        from cpkit.store import report_files

        case_id = self._rendering(case_id)
        _count, found = report_files.survey(self._store, [folder], case_id, older_than)
        done, _left = report_files.repair(p for p in found if p.fix is not None)
        return len(done)

    def report_in_place(self, case_id: str | CaseFacts, path, sha256: str) -> bool:
        """Whether a recorded report of ``case_id`` is in place with its checksum, once
        the files its render staged are put there if it died before its renames
        (:func:`cpkit.store.report_files.in_place`)."""
        from cpkit.store import report_files

        self._rendering(case_id)
        return report_files.in_place(path, sha256)

    def signed_off_paths(self, case_id: str | CaseFacts) -> set[str]:
        """The files of this case's reports a supervisor has approved: never overwritten
        (a new render of the same document becomes a new file and a new row)."""
        from cpkit.store.reports import report_rows
        from cpkit.store.signoffs import latest_signoffs

        rows = report_rows(self._store, self._rendering(case_id))
        decided = latest_signoffs(self._store, [r["id"] for r in rows])
        return {r["path"] for r in rows
                if decided.get(r["id"], {}).get("decision") == "approved"}

    def report_rows(self, case_id: str | CaseFacts) -> list[dict]:
        """The reports rendered of ``case_id``, oldest first (for a user who may render it)."""
        from cpkit.store.reports import report_rows

        return report_rows(self._store, self._rendering(case_id))

    def mark_distributed(self, case: Case, expected_version: int, report_id: int,
                         day: dt.date, base: dict | None = None) -> Record:
        """Save ``case`` with the minutes or care plan marked distributed on ``day`` (an
        ``edit``: refused to a user who may only read or render) and note it on the
        report."""
        from cpkit.store.reports import set_distributed

        saved = self.save(case, expected_version, action="distribute", base=base)
        set_distributed(self._store, report_id, day)
        return saved

    def find_child(self, given_name: str | None, family_name: str | None, *,
                   born: dt.date | None = None, year: int | None = None,
                   sex: str | None = None, municipality: str | None = None,
                   exclude: str | None = None) -> list[dict]:
        """Is this child already known?  The cases (of ``municipality``) that may hold
        the same child, among those this user may list: code, verdict, stage and risk
        only.  One ``search_known`` audit row (how many found); no case is opened."""
        from cpkit.matching import child_tokens
        from cpkit.store.known import key_bytes

        self.authorise("create")
        probe = child_tokens(key_bytes(), given_name, family_name, born, year, sex, probe=True)
        found = self._store.find_child(probe, municipality=municipality, exclude=exclude)
        facts = {f.case_id: f for f in self._facts([c.case_id for c in found])} if found else {}
        found = [c for c in found if decide(self.principal, "list", facts[c.case_id]).allowed]
        self._store.record_event("search_known", exclude,
                                 {"found": len(found), "municipality": municipality}, self.user)
        return [{"case_id": c.case_id, "match": c.verdict.level, "stage": c.stage,
                 "risk": c.risk} for c in found]

    def exists(self, case_id: str) -> bool:
        return self._store.exists(case_id)

    # -- writing ------------------------------------------------------------------

    def _writable(self, case: Case) -> None:
        if is_redacted(case):
            raise BadInput(f"{case.code}: this is a redacted copy (without the child's "
                           "identity); it cannot be saved over the case")

    def create(self, case: Case, actor: str | None = None) -> Record:
        """Store a new case; a case manager's new case without a manager becomes theirs."""
        return self.import_cases([case], action="create")[0]

    def save(self, case: Case, expected_version: int, actor: str | None = None,
             action: str = "update", *, base: dict | None = None,
             decided: list[str] | None = None) -> Record:
        """Save a change the user may make: ``edit`` the case (``close`` it when the
        change records a closure) and keep it within their reach.  With ``base`` (the
        document the user started from) a stale save is merged field by field
        (:meth:`cpkit.store.Store.save`); the record returned is the user's view of
        what was stored."""
        if not case.case_id:
            raise BadInput("a case without a code cannot be saved; create it first")
        own = self._own_save(case.case_id, expected_version)
        if own is not None:
            try:
                saved = self._save_against(case, expected_version, action, base, decided,
                                           *own, at_once_only=True)
            except StoreUnavailable:
                raise
            except CpkitError:
                saved = None  # decided on this guard's own save, maybe stale: read now
            if saved is not None:
                return self._saved(*saved)
        return self._saved(*self._save_against(case, expected_version, action, base,
                                               decided, *self._facts_for_save(case.case_id)))

    def _own_save(self, case_id: str, version: int) -> tuple[CaseFacts, object] | None:
        """The facts and row of ``version`` of the case when this guard's store wrote it
        (its last save of the case, written at once): what a save over it is decided
        on and worked out against without reading the row again (its statement checks
        that the row is still that version, else writes nothing).  ``None``: read it."""
        facts = self._own_facts.get(case_id)
        if facts is None or facts[0] != version:
            return None
        row = self._store.written_row(case_id, version)
        return None if row is None else (facts[1], row)

    def _save_against(self, case: Case, expected_version: int, action: str,
                      base: dict | None, decided: list[str] | None, before: CaseFacts,
                      row: object, at_once_only: bool = False) -> tuple[Record, dict] | None:
        """The save decided on the stored case's facts ``before`` and worked out against
        its ``row``: the store's record and the stored document it replaced.
        ``at_once_only``: ``None`` when it is not written in one statement against that
        row (the row as it is now to be read, and the save decided again)."""
        self.authorise("edit", before)  # who may change it first: the clearest refusal
        self._writable(case)
        self._training_unchanged(before, case)
        self.authorise("edit", CaseFacts.of(case),
                       reason="the change would take the case out of their reach")
        if base is None and row.version != expected_version and row.voided_at is None:
            # Stale, and nothing to merge with: the store would refuse it too, after
            # validating, sealing and waiting for the row.  Said at once (a void case
            # is left to the store, whose refusal says it is void).
            raise Conflict(case.case_id, expected_version, row.version)
        was: list[dict] = []

        def stored_allows(stored: dict, mine: dict, voided: bool) -> None:
            # Checked on the row this very write replaces (no second read of it; called
            # again when the row changed before it could be written).
            if voided:
                raise BadInput(f"{case.case_id}: the case is void (created by mistake); it "
                               "is kept as it was and cannot be changed")
            if action == "close" or (mine.get("closure") is not None
                                     and stored.get("closure") != mine.get("closure")):
                self.authorise("close", before)
            was.append(stored)

        try:
            record = self._store.save(case, expected_version, actor=self.user, action=action,
                                      base=base, decided=decided, check=stored_allows,
                                      read=row, at_once_only=at_once_only)
        except MergeConflict as conflict:
            conflict.saved_by = self.display_name(conflict.saved_by)
            raise
        return None if record is None else (record, was[-1])

    def _saved(self, record: Record, before: dict) -> Record:
        """What follows a save: its notices, the user's view of the record, and the
        saved case's facts kept for this guard's next save over it."""
        self._tell(before, record)
        keep_recent(self._own_facts, record.case.case_id,
                    (record.version, CaseFacts.of(record.case)), OWN_SAVES_KEPT)
        view = self._view(record, False, None)
        # The document stored comes back with the case when the view is the case itself
        # (nothing withheld from this user): a form keeps it as its next save's base
        # rather than making it again (:meth:`cpkit.forms.base.BaseForm.after_save`).
        return Record(view.case, record.version, merged=record.merged,
                      document=record.document if view.case is record.case else None)

    def update(self, case_id: str, change: Callable[[Case], object],
               action: str = "update") -> Record:
        """Read ``case_id`` for editing, apply ``change`` to it and save it against the
        version read: the road for commands that write one part of a case, so that a
        save made in between is merged rather than lost or refused."""
        return changed_and_saved(self, case_id, change, action)

    def last_saved(self, case_id: str, version: int) -> tuple[str | None, object]:
        """Who saved ``version`` of ``case_id`` (by display name) and when."""
        by, at = self._store.last_saved(case_id, version)
        return self.display_name(by), at

    def display_name(self, name: str | None) -> str | None:
        """The name a user is shown by (their display name, else their user name)."""
        if not name:
            return name
        found = user_table.get_user(self._store, name)
        return (found.display_name if found and found.display_name else name)

    # -- an agency's own part of a CMR ---------------------------------------------

    def agency_of_writer(self, agency: str | None = None) -> str:
        """The agency a meeting part is written for: an agency member's own (naming
        another is refused); someone who may edit the case names it."""
        own = self.principal.agency if self.principal.has("agency_member") else None
        if own and not self.single_user:
            if agency and agency != own:
                raise PermissionDenied(self.user, "edit", reason=f"they write for {own} only")
            return own
        if not agency:
            raise BadInput("agency: name the agency this answer or report is from")
        return agency

    def agency_tasks(self, agency: str) -> list[tuple[str, int, object]]:
        """What the Task Force asks of ``agency``: each live case (never training) with a
        meeting it is invited to, as ``(case code, version, case)``; one audit row per
        case read.  The case is redacted (no identity) unless the user may see it."""
        from cpkit.access.redact import redact_identity
        from cpkit.rules.meeting_parts import invited_to

        if self.principal.has("agency_member") and self.principal.agency != agency \
                and not self.single_user:
            raise PermissionDenied(self.user, "show", reason=f"they work for "
                                   f"{self.principal.agency} only")
        out = []
        for record in self._store.records(training=False):
            case = record.case
            if not invited_to(case, agency):
                continue
            if not self.allowed("show", case) or not self.decision("show", case).identity:
                case = redact_identity(case)  # marks the copy redacted
            self._store.record_event("read_redacted" if is_redacted(case) else "read_identity",
                                     record.case.case_id, {"purpose": "agency_tasks"},
                                     self.user)
            out.append((record.case.case_id, record.version, case))
        return out

    def write_agency_part(self, case_id: str, agency: str, change: Callable[[Case], Case],
                          action: str, expected_version: int | None = None) -> Record:
        """Save ``change`` of ``agency``'s own part of a CMR (its answer to the
        invitation, its progress report, its acknowledgement of the minutes).

        An agency member may write exactly these parts of a case their agency is
        involved in or invited to, and nothing else: the change is applied to the
        stored case (never a redacted copy), and refused if it touches anything but
        the agency's own entries.  The change is made to the version the user started
        from (``expected_version``, a page's; else the version read now) and saved
        against it with that version as the base: a save made in between is merged
        field by field (lists by their ids, so two agencies reporting at once both keep
        theirs); the same field changed on both sides is a
        :class:`cpkit.errors.MergeConflict`, nothing written.  Audited like every save."""
        from cpkit.exchange import load_case
        from cpkit.rules.meeting_parts import invited_to, without_agency_parts

        record = self._store.get(case_id)
        if not self.allowed("edit", record.case):
            involved = agency in record.case.agencies_involved or invited_to(record.case, agency)
            member = self.principal.has("agency_member") and self.principal.agency == agency
            if not (member and involved and not record.case.training):
                raise PermissionDenied(self.user, "edit", case_id,
                                       "only their agency's answers, reports and "
                                       "acknowledgements, on cases it works on")
        version, start = record.version, record.case
        if expected_version is not None and expected_version != record.version:
            kept = self._store.version_document(case_id, expected_version)
            if kept is not None:
                version, start = expected_version, load_case(kept, case_id)
        base = start.to_document()
        changed = change(start.model_copy(deep=True))
        if not self.allowed("edit", record.case):
            if without_agency_parts(changed.to_document(), agency) != \
                    without_agency_parts(base, agency):
                raise PermissionDenied(self.user, "edit", case_id,
                                       "an agency writes its own part of a meeting only")
        try:
            saved = self._store.save(changed, version, actor=self.user, action=action,
                                     base=base)
        except MergeConflict as conflict:
            conflict.saved_by = self.display_name(conflict.saved_by)
            raise
        self._tell(record.case, saved)
        return saved

    def _tell(self, before: Case | dict, saved: Record) -> None:
        """The notices a committed save causes (:func:`cpkit.notify.events.case_saved`),
        from the case as it was (``before``: a case, or its stored document).
        The save is kept whatever happens here: a notice that could not be written is
        logged (case code only), never a failed save."""
        from cpkit.notify.events import case_saved

        if isinstance(before, dict):
            if saved.case.training or before.get("meetings") == \
                    (saved.document or saved.case.to_document()).get("meetings"):
                return  # notices come from meetings only: nothing to tell, nothing read
            from cpkit.model import Case

            before = Case.model_validate(before)
        try:
            case_saved(self._store, before, saved.case, self.user, saved.version)
        except SQLAlchemyError as err:
            log.warning("%s: notices of version %s not written: %s", saved.case.case_id,
                        saved.version, type(err).__name__)

    def import_cases(self, cases_in: list[Case], actor: str | None = None, *,
                     replace: bool = False, action: str = "import",
                     progress: Callable[[int], object] | None = None) -> list[Record]:
        """Store several cases (all or none); each new one must be one the user may
        create, each replaced one one they may edit.  The audit names the real user,
        whatever ``actor`` says."""
        for case in cases_in:
            self.ready_to_import(case)
            self.authorise("create", CaseFacts.of(case))
        codes = [c.case_id for c in cases_in if c.case_id]
        if replace and codes:
            given = {c.case_id: c for c in cases_in if c.case_id}
            for facts in self._facts(codes):
                self.authorise_replace(facts, given[facts.case_id])
        return self._store.import_cases(cases_in, actor=self.user, replace=replace,
                                        action=action, progress=progress)

    def authorise_replace(self, stored: CaseFacts, given: Case | CaseFacts) -> None:
        """May this user replace a stored case (its ``stored`` facts) with ``given`` in an
        import: edit it, its training flag unchanged.  The one rule, wherever an
        import's cases are decided on (:meth:`import_cases`, and the shares of
        :mod:`cpkit.access.import_fork`)."""
        self.authorise("edit", stored)
        self._training_unchanged(stored, given)

    def ready_to_import(self, case: Case) -> None:
        """The guard's steps that change or refuse a case as given, before it is sealed:
        a redacted copy is refused; a case manager's case without a manager becomes
        theirs.  Run wherever the case is prepared (a forked process's share too:
        :mod:`cpkit.access.import_fork`); the decisions stay with :meth:`import_cases`."""
        self._writable(case)
        if (not case.case_manager and self.principal.has("case_manager")
                and not self.single_user):
            case.case_manager = self.principal.display_name or self.user

    def import_documents(self, documents: list[object], collection: bool = True, *,
                         replace: bool = False,
                         progress: Callable[[int], object] | None = None,
                         extra: Callable[[Case], object] | None = None) -> list:
        """Validate and import one file's ``documents`` (all or none), as
        :meth:`import_cases` decides: what ``cpkit import`` needs of each case stored
        (code, version, ``extra(case)``: :class:`cpkit.access.import_fork.Imported`).
        A large file is prepared on two cores (:mod:`cpkit.access.import_fork`)."""
        from cpkit.access.import_fork import import_documents

        return import_documents(self, documents, collection, replace=replace,
                                progress=progress, extra=extra)

    def read_report(self, report: dict) -> bytes:
        """The file of a rendered report (its ``reports`` row), for a viewer (dashboard,
        agency pages, CLI): the same identity rule as reading the case (an internal,
        unredacted report only for those who may see the child's identity; a redacted
        one for anyone who may see the case), the file checked against its recorded
        checksum, and one ``view_report`` audit row."""
        import hashlib
        from pathlib import Path

        case_id = report["case_id"]
        decision = self.authorise("show", case_id)
        if not report["redacted"] and not decision.identity:
            raise PermissionDenied(self.user, "show", case_id,
                                   "this report shows the child's identity (an internal "
                                   "report); ask for the redacted one")
        try:
            raw = Path(report["path"]).read_bytes()
        except OSError:
            raise NotFound(f"report {report['id']}: the report file is missing") from None
        if hashlib.sha256(raw).hexdigest() != report["sha256"]:
            raise BadInput(f"report {report['id']}: the file has changed since it was "
                           "rendered; it is not shown")
        self._store.record_event("view_report", case_id,
                                 {"report_id": report["id"], "redacted": bool(report["redacted"]),
                                  "format": report["format"]}, self.user)
        return raw

    def _training_unchanged(self, before: CaseFacts, case: Case | CaseFacts) -> None:
        """A stored case's ``training`` flag changes only through :meth:`set_training`.

        Why: a trainer sees every training case with the child's identity; a live case
        turned into a training case by its case manager would show a real child to
        every trainer."""
        if bool(case.training) != before.training and not self.single_user:
            raise PermissionDenied(self.user, "edit", before.case_id,
                                   "only an admin may change whether a case is a training "
                                   "case (`cpkit training-flag`)")

    def set_training(self, case_id: str, training: bool) -> Record:
        """Mark a stored case as a training case or a live one (admins only; audited as
        ``set_training`` with the old and new value)."""
        self.authorise("manage_users")
        record = self._store.get(case_id)
        if bool(record.case.training) == training:
            return record
        case = record.case.model_copy(deep=True)
        case.training = training
        return self._store.save(case, record.version, actor=self.user, action="set_training")

    def record_event(self, action: str, case_id: str | None = None,
                     detail: dict | None = None, actor: str | None = None) -> None:
        """Append an audit row as this user (for render, sign-off and the like)."""
        self._store.record_event(action, case_id, detail, self.user)

    # -- the audit trail ----------------------------------------------------------

    def audit_rows(self, case_id: str | None = None, actor: str | None = None) -> list[dict]:
        """The audit trail (admins and supervisors only)."""
        if case_id is not None:
            self.authorise("audit", self._facts_one(case_id))
        else:
            self.authorise("audit")
        return self._store.audit_rows(case_id, actor)

    def rotate_key(self) -> tuple[int, str | None]:
        """Re-seal every case with a new key (admins only); see :mod:`.rekey`."""
        from cpkit.access.rekey import rotate_key

        self.authorise("rotate_key")
        return rotate_key(self._store, self.user)

    def backup(self, folder) -> dict:
        """Copy the whole store into ``folder`` (admins only; the key never included,
        see :mod:`cpkit.store.backup`); one ``backup`` audit row."""
        from cpkit.store.backup import backup

        self.authorise("backup")
        manifest = backup(self._store, folder)
        self._store.record_event("backup", None, {"database": manifest["database"]},
                                 self.user)
        return manifest

    def restore(self, folder) -> dict:
        """Replace the store's content with the backup in ``folder`` (admins only); one
        ``restore`` audit row, appended to the restored trail."""
        from cpkit.store.backup import restore

        self.authorise("backup")
        manifest = restore(self._store, folder)
        self._store.record_event("restore", None, {"database": manifest["database"],
                                                   "backup_at": manifest.get("at")},
                                 self.user)
        return manifest

    # -- users --------------------------------------------------------------------

    def users(self) -> list[user_table.User]:
        self.authorise("manage_users")
        return user_table.list_users(self._store)

    def add_user(self, name: str, roles: list[str], agency: str | None = None,
                 display_name: str | None = None) -> user_table.User:
        self.authorise("manage_users")
        return user_table.add_user(self._store, name, roles, agency, display_name, self.user)

    def remove_user(self, name: str) -> None:
        self.authorise("manage_users")
        user_table.remove_user(self._store, name, self.user)

    def grant(self, name: str, case_id: str, identity: bool) -> None:
        self.authorise("manage_users")
        user_table.grant(self._store, name, case_id, identity, self.user)

    def revoke(self, name: str, case_id: str) -> None:
        self.authorise("manage_users")
        user_table.revoke(self._store, name, case_id, self.user)


def changed_and_saved(guard, case_id: str, change: Callable[[Case], object],
                      action: str = "update") -> Record:
    """:meth:`Guard.update` by any guard (also the one a form's kernel is served,
    :class:`cpkit.access.remote.RemoteGuard`): read for editing, ``change`` the case in
    place where it is, save against the version read with it as the merge's base."""
    record = guard.get(case_id, "edit")
    base = record.case.to_document()
    case = record.case.model_copy(deep=True)
    change(case)
    return guard.save(case, record.version, action=action, base=base)
