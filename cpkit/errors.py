"""The errors cpkit shows to people: each names the case, the field and the problem.

They never carry a child's identifying values: messages quote a bad value only for
fields outside the ``child`` block, and then at most a few dozen characters.
"""

from __future__ import annotations

from dataclasses import dataclass


class CpkitError(Exception):
    """Base of the errors cpkit reports plainly (no traceback) to its users."""

    exit_code = 1


@dataclass(frozen=True)
class FieldProblem:
    """One problem: which field, in which case, and what is wrong.

    A problem found by a protocol rule also names the rule (its id in
    ``docs/protocol-rules.md``) and whether the protocol makes it a ``refusal`` (it says
    *must* or *only*) or a ``warning`` (it says *should*) that the user acknowledges.
    """

    path: str
    message: str
    case: str = ""
    rule: str = ""
    severity: str = "refusal"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        where = f"{self.case}: " if self.case else ""
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class InvalidCase(CpkitError):
    """A document or an edit does not meet the format or the protocol's rules."""

    exit_code = 2

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class BadInput(CpkitError):
    """Input that cannot be read at all (not JSON, unknown case, bad option)."""

    exit_code = 2


class NotFound(BadInput):
    """A case code (or report) that the store does not hold."""


class WriteFailed(CpkitError):
    """A file could not be written (full disk, no permission); the old one is kept."""


class StoreUnavailable(CpkitError):
    """The database server cannot be reached, or went away during the operation (stopped,
    restarting): a save is all or nothing, so what was being saved is not in the store
    unless it says so; the form keeps its draft, a command can simply be run again."""


class StoreFull(CpkitError):
    """The disk of the store is full: the transaction was rolled back, nothing written."""


class StoreReadOnly(CpkitError):
    """The store's file (or its folder) may not be written by this user."""


def file_write_failure(text: str, file: str) -> CpkitError | None:
    """The failure of a write to the SQLite store ``file`` a person can act on, from the
    driver's message ``text`` (read-only, disk full), in words; ``None`` for any other.
    Said alike by the Store and the lean reader's audit row."""
    if "readonly database" in text:
        return StoreReadOnly(f"the store file {file} is read-only for this user: nothing "
                             "was written (the service needs to write the file and its "
                             "folder)")
    if "database or disk is full" in text or ("disk I/O error" in text and _no_room(file)):
        return StoreFull(f"the disk of the store file {file} is full: nothing was written "
                         "(the operation is all or nothing); free some space and try again")
    return None


NO_ROOM = 64 * 1024  # bytes: less than SQLite needs for a write-ahead log's index


def _no_room(file: str) -> bool:
    """Is the disk of the store ``file`` full?  SQLite says "disk I/O error", not "disk
    is full", when it cannot make the write-ahead log's files of a store nobody has
    open (their first open after a clean close), even to read."""
    import os
    import shutil

    try:
        return bool(file) and shutil.disk_usage(os.path.dirname(file) or ".").free < NO_ROOM
    except OSError:
        return False


class Conflict(CpkitError):
    """A save from a stale version: someone saved the case in the meantime."""

    def __init__(self, case_id: str, expected: int, current: int):
        self.case_id, self.expected, self.current = case_id, expected, current
        super().__init__(
            f"{case_id}: the case was changed by someone else (you edited version "
            f"{expected}, the store has version {current}); reload it and apply your "
            "changes again"
        )


class MergeConflict(Conflict):
    """A stale save whose changes meet someone else's on the same fields.

    Carries the merge (:class:`cpkit.merge.MergeResult`: everything merged, and each
    field both changed, for the person to decide) and the stored document it was
    made against; the message names neither values nor people.
    """

    def __init__(self, case_id: str, expected: int, current: int, result, theirs: dict,
                 saved_by: str | None = None, saved_at=None):
        self.result, self.theirs = result, theirs
        self.saved_by, self.saved_at = saved_by, saved_at
        super().__init__(case_id, expected, current)
        self.args = (f"{case_id}: someone else saved the case since you opened it "
                     f"(version {expected}, now {current}) and changed "
                     f"{len(result.conflicts)} of the same field(s); decide each one, "
                     "nothing was saved",)

    def __str__(self) -> str:
        return self.args[0]


def show_value(path: str, value: object, limit: int = 40) -> str:
    """Quote ``value`` for a message, unless the field identifies the child."""
    if path.startswith("child") or "name" in path.split(".")[-1]:
        from cpkit.i18n import _

        return _("the value given")
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "...'"
