"""A large file's import on two cores: a forked process prepares a share of its cases.

Why: preparing a case to be stored (validation, the protocol's rules, the guard's
steps, deadlines and risk, the seal, the child's index) is Python holding the
interpreter's lock, about 0.45 ms a case, and it was the import's bottleneck on SQLite
(the writes already run beside it, :class:`cpkit.store.repository._Overlapped`).  A
file of :data:`FORK_FROM` cases or more is split: a process forked once the store, key
and rules are loaded (before the transaction begins) prepares the last
:data:`WORKER_SHARE` of the new cases that carry a code, while this process prepares
and writes the others; the forked process sends back its rows packed
(:meth:`cpkit.store.repository.Store.pack_imported`: one bytes object, copied into an
SQLite store in C) with each case's facts and warnings, and ends with ``os._exit``,
never touching the parent's database connections.

Everything that decides stays here: authorisation (on the facts sent back), duplicate
and reserved codes, stored versions, clashes and ``--replace``, the one transaction,
the audit rows (in file order).  :func:`prepare` is the one function that prepares a
share, in either process, so no rule runs twice and both shares are prepared alike.
A file that is refused is refused with the same messages as in one process, and
nothing of it is written; a forked process that dies leaves nothing written either.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import select
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from cpkit.access.policy import CaseFacts, PermissionDenied
from cpkit.errors import BadInput, CpkitError, FieldProblem, InvalidCase
from cpkit.i18n import _
from cpkit.store.bulk import Packed

if TYPE_CHECKING:
    from cpkit.access.guard import Guard
    from cpkit.model import Case

FORK_FROM = 2_000  # cases in a file from which a second process prepares a share
WORKER_SHARE = 0.45  # of the file's cases, the forked process's share (its last ones)


class ImportWorkerFailed(CpkitError):
    """The process preparing a share of the file stopped before it sent its share."""


@dataclass(frozen=True)
class Imported:
    """One imported case: its code, the version stored and what ``extra`` said of it."""

    case_id: str
    version: int
    extra: object = None


@dataclass
class Share:
    """What preparing a share found, as plain data (sent back by the forked process).

    ``problems``: field problems by file position; ``refused``: the guard's refusals
    of a case as it is (a redacted copy), by position; ``done``: per case prepared,
    its position, code, facts and ``extra``; ``packed``: the rows to store, packed
    (the forked process's only, and only when nothing failed)."""

    problems: list[tuple[int, FieldProblem]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    done: list[tuple[int, str, CaseFacts, object]] = field(default_factory=list)
    packed: Packed | None = None

    @property
    def failed(self) -> bool:
        return bool(self.problems or self.refused)


def import_documents(guard: Guard, documents: list[object], collection: bool = True, *,
                     replace: bool = False, progress: Callable[[int], object] | None = None,
                     extra: Callable[[Case], object] | None = None) -> list[Imported]:
    """Import the cases of ``documents`` (one file's) through ``guard``, all or none;
    in file order, what was stored.  ``extra(case)`` is worked out for each case where
    it is prepared (the protocol's warnings, for the CLI)."""
    extra = extra or (lambda _case: None)
    if len(documents) < FORK_FROM or not hasattr(os, "fork"):
        from cpkit import exchange

        cases = exchange.load_cases(documents, collection, progress=progress)
        records = guard.import_cases(cases, replace=replace, progress=progress)
        return [Imported(r.case.case_id, r.version, extra(r.case)) for r in records]
    return _in_two(guard, documents, collection, replace, progress, extra)


def _in_two(guard: Guard, documents: list[object], collection: bool, replace: bool,
            progress: Callable[[int], object] | None,
            extra: Callable[[Case], object]) -> list[Imported]:
    from cpkit.model import CASE_ID_PATTERN
    from cpkit.rules.calendar import calendar
    from cpkit.store import known  # noqa: F401  (loaded before the fork: both use it)

    store = guard._store
    key = store.ensure_key()
    calendar()
    given = [d.get("case_id") if isinstance(d, dict) else None for d in documents]
    # The codes to look up before the cases are checked: well-formed ones only (a NUL,
    # say, is the check's to tell, naming the case).
    codes = [code for code in given if isinstance(code, str) and re.match(CASE_ID_PATTERN, code)]
    stored = {f.case_id: f for f in guard._facts(codes)} if replace and codes else {}
    # Cases without a code take theirs from the database, and a stored case replaced
    # is updated, not inserted: they stay here; the forked process's are new cases.
    coded = [i for i, code in enumerate(given) if isinstance(code, str)]
    new = [i for i in coded if given[i] not in stored]
    theirs = new[len(new) - min(len(new), round(len(documents) * WORKER_SHARE)):]
    taken = set(theirs)
    mine = [i for i in range(len(documents)) if i not in taken]
    with _forked(lambda: _worker_share(guard, documents, theirs, collection, key,
                                       extra)) as worker:
        here = Share()
        blocked = len(set(codes)) != len(codes)  # told once every case is checked

        def chunks(conn, key_now, existing, clashes):
            nonlocal blocked
            blocked = blocked or bool(clashes and not replace)

            def code_for(case: Case) -> str:
                return store._next_code(conn, case)

            copied = False
            for prepared, index in prepare(guard, documents, mine, collection, key_now,
                                           extra, here, code_for, progress):
                done = here.done[-len(prepared):]
                blocked = blocked or here.failed or _refusal(
                    guard, [d[2] for d in done], stored, replace) is not None
                if not blocked:
                    yield prepared, index
                if not blocked and not copied and worker.ready():
                    # Copied while this process prepares the rest (refused or not,
                    # it is in the one transaction: a refusal below rolls it back).
                    copied = True
                    if worker.result().packed is not None:
                        yield worker.result().packed
            there = worker.result()
            if progress is not None:
                progress(2 * len(theirs))
            _refuse(guard, here, there, set(coded), stored, replace, clashes,
                    action="import")
            if blocked:  # cannot be: every reason is raised above
                raise CpkitError("nothing imported")
            if not copied and there.packed is not None:
                yield there.packed

        order: list[tuple[int, str]] = []

        def in_file_order() -> list[str]:
            order.extend(sorted([(i, code) for i, code, _f, _e in here.done]
                                + [(i, code) for i, code, _f, _e in worker.result().done]))
            return [code for _i, code in order]

        try:
            versions = store.write_import(codes, chunks, in_file_order, guard.user, "import",
                                          sealed_with=key.fingerprint)
        except IntegrityError:  # another process stored one of these codes meanwhile
            raise store.concurrent_error(codes) from None
    extras = {i: e for share in (here, worker.result()) for i, _c, _f, e in share.done}
    return [Imported(code, versions[code], extras[i]) for i, code in order]


def prepare(guard: Guard, documents: list[object], positions: list[int], collection: bool,
            key, extra: Callable[[Case], object], share: Share,
            code_for: Callable[[Case], str] | None = None,
            progress: Callable[[int], object] | None = None
            ) -> Iterator[tuple[list, list[dict]]]:
    """Prepare the cases at ``positions`` of ``documents``: validated as the exchange
    format says (each labelled ``cases[i]`` by its place in the file), made ready by
    the guard (:meth:`Guard.ready_to_import`), checked against the rules again,
    coded (``code_for``, for a case without a code), sealed with ``key`` and indexed;
    yields them in chunks of rows to write, recording in ``share`` what was found.
    Once a problem is found the rest are only validated (every problem is told)."""
    from cpkit.exchange import load_case
    from cpkit.store import known
    from cpkit.store.repository import IMPORT_CHUNK, Store, _Prepared

    for start in range(0, len(positions), IMPORT_CHUNK):
        cases, prepared = [], []
        for i in positions[start:start + IMPORT_CHUNK]:
            if progress is not None:
                progress(2)
            try:
                case = load_case(documents[i], f"cases[{i}]" if collection else "")
            except InvalidCase as err:
                share.problems.extend((i, p) for p in err.problems)
                continue
            try:
                guard.ready_to_import(case)
            except BadInput as err:
                share.refused.append((i, str(err)))
                continue
            if share.failed:
                continue
            case, document = Store._checked(case)
            generated = case.case_id is None
            if generated:
                case.case_id = code_for(case)
            prepared.append(_Prepared.of(case, None if generated else document, key))
            cases.append(case)
            share.done.append((i, case.case_id, CaseFacts.of(case), extra(case)))
        if prepared and not share.failed:
            yield prepared, known.index_rows(cases, key)


def _worker_share(guard: Guard, documents: list[object], positions: list[int],
                  collection: bool, key, extra: Callable[[Case], object]) -> Share:
    """The forked process's work: its share prepared, its rows packed (new cases only:
    a stored code would be a clash, found when they are copied in)."""
    share = Share()
    packed = guard._store.pack_imported(
        prepare(guard, documents, positions, collection, key, extra, share), guard.user)
    if not share.failed:
        share.packed = Packed(packed, [code for _i, code, _f, _e in share.done])
    return share


def _refusal(guard: Guard, facts: list[CaseFacts], stored: dict[str, CaseFacts],
             replace_: bool) -> PermissionDenied | None:
    """The first refusal of the guard for cases of ``facts``: to create each, and with
    ``--replace`` to edit the stored one, its training flag unchanged."""
    for f in facts:
        try:
            guard.authorise("create", f)
            if replace_ and f.case_id in stored:
                guard.authorise_replace(stored[f.case_id], f)
        except PermissionDenied as refused:
            return refused
    return None


def _refuse(guard: Guard, here: Share, there: Share, coded: set[int],
            stored: dict[str, CaseFacts], replace_: bool, clashes: list[str],
            action: str) -> None:
    """Raise what refuses the file, as the one-process import would, in its order:
    every field problem (codes given twice among the cases at the ``coded`` positions
    included), a case the guard refuses as it is
    or may not create, one it may not replace, reserved codes, stored codes."""
    from cpkit.exchange import duplicate_codes
    from cpkit.rules.codes import reserved_code_problems

    problems = sorted(here.problems + there.problems, key=lambda p: p[0])
    done = sorted(here.done + there.done, key=lambda d: d[0])
    duplicates = duplicate_codes([(i, code) for i, code, _f, _e in done if i in coded])
    if problems or duplicates:
        raise InvalidCase([p for _i, p in problems] + duplicates)
    refused = dict(here.refused + there.refused)
    for i, _code, facts, _e in sorted(done + [(i, "", None, None) for i in refused]):
        if i in refused:
            raise BadInput(refused[i])
        guard.authorise("create", facts)
    if replace_:
        given = {code: facts for _i, code, facts, _e in done}
        for code in sorted(stored):
            guard.authorise_replace(stored[code], given[code])
    reserved = reserved_code_problems([code for _i, code, _f, _e in done], action)
    if reserved:
        raise InvalidCase(reserved)
    if clashes and not replace_:
        raise guard._store.clash_error(clashes)


class _Worker:
    """The forked process and the pipe its share comes back on."""

    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe
        self._share: Share | None = None

    def ready(self) -> bool:
        """Whether the share has come (or the process stopped): :meth:`result` will not
        wait for the preparing."""
        return self._share is not None or bool(select.select([self.pipe], [], [], 0)[0])

    def result(self) -> Share:
        """The share, once sent (waits for it); :class:`ImportWorkerFailed` when the
        process stopped without sending it."""
        if self._share is not None:
            return self._share
        with os.fdopen(self.pipe, "rb") as stream:
            self.pipe = -1
            payload = stream.read()
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            kind, share = pickle.loads(payload)
        except Exception:  # cut short: the process was killed or crashed
            kind, share = "died", None
        if kind != "share" or status != 0:
            why = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else
                   str(share) if kind == "error" else f"status {os.WEXITSTATUS(status)}")
            raise ImportWorkerFailed(_("the process preparing part of the file stopped "
                                       "({why}); nothing was imported, import it "
                                       "again").format(why=why))
        self._share = share
        return share

    def stop(self) -> None:
        """End the process and close the pipe when the import stopped before its share
        was read (an error here): no process is left behind."""
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


@contextlib.contextmanager
def _forked(work: Callable[[], Share]) -> Iterator[_Worker]:
    """Run ``work`` in a forked process; its share is read with ``result()``.

    The child ends with ``os._exit``: no exit hook, no finaliser, so the parent's
    database connections (inherited, never used there) are not closed under it.  What
    it sends: ``("share", share)``, or ``("error", the exception's type)`` (never its
    text: it could name a child)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked process
        status = 1
        try:
            os.close(read)
            try:
                payload = pickle.dumps(("share", work()), pickle.HIGHEST_PROTOCOL)
                status = 0
            except BaseException as err:  # noqa: BLE001  (told to the parent, by name)
                payload = pickle.dumps(("error", type(err).__name__))
            with os.fdopen(write, "wb") as stream:
                stream.write(payload)
        finally:
            os._exit(status)
    os.close(write)
    worker = _Worker(pid, read)
    try:
        yield worker
    finally:
        worker.stop()
