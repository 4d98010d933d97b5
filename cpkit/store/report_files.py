"""A rendered report's file and its row in the store: together or not at all.

Why: a report file is trusted because the store holds its row (who rendered which
version of the case, the file's sha256).  A render killed, or out of disk, between the
file and the row must leave neither a file that looks valid without its row nor a row
whose file is missing.  So a render (:func:`cpkit.reports.render.render_report`):

1. stages the executed notebook and the report beside their places, as hidden
   ``.cpkit-NAME.SHA.part`` files flushed to the disk (:func:`cpkit.paths.stage_private`,
   ``SHA`` the first 16 hex digits of the report's sha256);
2. records the row (and its ``render`` audit row, one transaction): the commit point;
3. renames the notebook, then the report, into place (:func:`cpkit.paths.place`).

Killed before 2: only hidden ``.part`` files remain (and no row).  Killed after 2: the
row names its path and sha256, so the staged files are found and put in place.
:func:`survey` finds both (and any report file or executed notebook with no row, left
by a render of an older cpkit); :func:`repair` finishes or removes what it found.
``cpkit check`` reports, ``cpkit check --repair`` repairs; each render tidies its own
folder of what an earlier render left there more than an hour ago.

Only the newest row of a path is checked against the file: an unapproved report
rendered again is overwritten in place, and its older rows keep their history.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from cpkit.errors import WriteFailed
from cpkit.paths import PART_PREFIX, PART_SUFFIX, content_tag, home, part_path, place
from cpkit.store.schema import cases, reports

REPORT_SUFFIXES = (".html", ".pdf")
NOTEBOOK_SUFFIX = ".ipynb"


def staged_paths(path: Path, sha256: str) -> tuple[Path, Path]:
    """Where a render stages the report ``path`` of checksum ``sha256`` and its notebook."""
    path = Path(path)
    tag = content_tag(sha256)
    return part_path(path, tag), part_path(path.with_suffix(NOTEBOOK_SUFFIX), tag)


def notebook_path(path: Path) -> Path:
    """The executed notebook kept beside a report."""
    return Path(path).with_suffix(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong between the report files and their rows; ``fix`` is what
    ``--repair`` does (``None``: a person must decide)."""

    subject: str
    message: str
    fix: Callable[[], None] | None = None

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _finish(path: Path, report_part: Path, notebook_part: Path) -> None:
    """Put a recorded render's staged files in place: the notebook first, so a report
    file always has its notebook."""
    if notebook_part.exists():
        place(notebook_part, notebook_path(path))
    place(report_part, path)


def in_place(path: Path, sha256: str) -> bool:
    """Whether the report ``path`` of checksum ``sha256`` is in place, after putting it
    there if its render was recorded but died before its renames (a Dask worker killed
    between the row and the files: the retried task finds the report here instead of
    rendering and recording it twice)."""
    path = Path(path)
    report_part, notebook_part = staged_paths(path, sha256)
    if _digest(report_part) == sha256:
        with contextlib.suppress(WriteFailed):  # the render itself placed it meanwhile
            _finish(path, report_part, notebook_part)
    return _digest(path) == sha256


def _remove(*files: Path) -> Callable[[], None]:
    def fix() -> None:
        for file in files:
            file.unlink(missing_ok=True)
    return fix


def survey(store, folders: Iterable[Path] | None = None, case_id: str | None = None,
           older_than: float = 0.0) -> tuple[int, list[FileProblem]]:
    """The number of report rows looked at and what is wrong between files and rows.

    ``folders``: where to look for files with no row (default: the report folders of
    ``CPKIT_HOME`` and every folder a row names).  ``case_id``: only that case's rows
    and files.  ``older_than``: files younger than that many seconds are left out (a
    render at work in another process)."""
    query = select(reports.c.id, reports.c.case_id, reports.c.path,
                   reports.c.sha256).order_by(reports.c.id)
    if case_id is not None:
        query = query.where(reports.c.case_id == case_id)
    # One case's rows: one statement, on the reader (no transaction's round trips on
    # PostgreSQL, as a render surveys its folder each time); all rows and codes: one
    # transaction.
    with (store.engine if case_id is None else store.reader).connect() as conn:
        rows = conn.execute(query).all()
        codes = ({case_id} if case_id is not None
                 else set(conn.execute(select(cases.c.case_id)).scalars()))
    newest = {row.path: row for row in rows}  # later rows of a path replace earlier ones
    problems: list[FileProblem] = []
    claimed: set[Path] = set()
    for row in newest.values():
        path = Path(row.path)
        found = _digest(path)
        if found == row.sha256:
            continue
        subject = f"report {row.id} ({row.case_id})"
        report_part, notebook_part = staged_paths(path, row.sha256)
        if _digest(report_part) == row.sha256:
            claimed |= {report_part, notebook_part}
            if _age(report_part) >= older_than:
                problems.append(FileProblem(
                    subject, f"a render was interrupted before {path.name} was put in "
                    "place; its file is ready (`cpkit check --repair` puts it there)",
                    lambda p=path, r=report_part, n=notebook_part: _finish(p, r, n)))
        elif found is None:
            problems.append(FileProblem(subject, f"its file is missing ({path.name})"))
        else:
            problems.append(FileProblem(subject, f"its file {path.name} is not the one "
                                        "recorded (sha256 differs)"))
    recorded = {Path(r.path) for r in rows}
    if folders is None:
        base = home() / "reports"
        folders = {p.parent for p in recorded} | (
            {f for f in base.iterdir() if f.is_dir()} if base.is_dir() else set())
    for folder in sorted(set(map(Path, folders))):
        problems += _strays(folder, codes, recorded, claimed, older_than)
    return len(rows), problems


_STAGED = re.compile(r"\.[0-9a-f]{16}" + re.escape(PART_SUFFIX) + "$")


def _case_of(name: str) -> str:
    if name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX):
        name = name[len(PART_PREFIX):]
    return name.split("_", 1)[0]


def _strays(folder: Path, codes: set[str], recorded: set[Path], claimed: set[Path],
            older_than: float) -> list[FileProblem]:
    """Files of a report in ``folder`` that no row accounts for."""
    try:
        files = sorted(f for f in folder.iterdir() if f.is_file() and not f.is_symlink())
    except OSError:
        return []
    out = []
    for file in files:
        name = file.name
        part = name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX)
        # A staged report is a case's; any other ``.part`` is a killed writer's (an
        # older cpkit's render wrote its temporary files under random names).
        ours = (part and not _STAGED.search(name)) or _case_of(name) in codes
        if not ours or file in claimed or _age(file) < older_than:
            continue
        subject = f"{folder.name}/{name}"
        if part:
            out.append(FileProblem(subject, "a temporary file of an interrupted render "
                                   "(`cpkit check --repair` removes it)", _remove(file)))
        elif file.suffix in REPORT_SUFFIXES and file not in recorded:
            out.append(FileProblem(subject, "a report file with no row in the store, left by "
                                   "an interrupted render (`cpkit check --repair` removes "
                                   "it)", _remove(file)))
        elif file.suffix == NOTEBOOK_SUFFIX and not any(
                file.with_suffix(s) in recorded for s in REPORT_SUFFIXES):
            out.append(FileProblem(subject, "an executed notebook whose report was never "
                                   "recorded (`cpkit check --repair` removes it)",
                                   _remove(file)))
    return out


def repair(problems: Iterable[FileProblem]) -> tuple[list[FileProblem], list[FileProblem]]:
    """Fix what can be fixed; (repaired, left for a person)."""
    done, left = [], []
    for problem in problems:
        if problem.fix is None:
            left.append(problem)
            continue
        try:
            problem.fix()
        except OSError:
            left.append(problem)
            continue
        except Exception as err:  # WriteFailed: a full disk, a folder made read-only
            left.append(FileProblem(problem.subject, f"{problem.message}; could not: {err}"))
            continue
        done.append(problem)
    return done, left
