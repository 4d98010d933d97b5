"""A report file and its row: every state a killed render can leave is found by
``cpkit check`` and put right by ``--repair`` (:mod:`cpkit.store.report_files`).  The
states are made here by the render's own two halves (stage, record, place); the same
states made by ``kill -9`` of a real render: tests/reports/test_render_kill.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cpkit.paths import content_tag, place, stage_private
from cpkit.store.check import check_store
from cpkit.store.report_files import staged_paths, survey
from cpkit.store.reports import add_report, report_rows
from tests.conftest import fixture_case

CASE = "PR-2026-0001"


def record(store, path: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    add_report(store, case_id=CASE, case_version=1, kind="minutes", fmt="html", lang="en",
               redacted=True, meeting_date=None, path=str(path), sha256=digest,
               actor="fixtures", audit={"kind": "minutes"})
    return digest


def stage(path: Path, data: bytes) -> tuple[Path, Path]:
    tag = content_tag(hashlib.sha256(data).hexdigest())
    return (stage_private(path.with_suffix(".ipynb"), b"{}", tag),
            stage_private(path, data, tag))


def problems(store, repair=False):
    return check_store(store, repair)


def test_each_interrupted_state_is_named_and_repaired(store, tmp_path):
    store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    folder = tmp_path / "reports"
    folder.mkdir()
    first = folder / f"{CASE}_minutes.html"
    # A finished render: file, notebook and row.
    notebook, report = stage(first, b"<html>first</html>")
    record(store, first, b"<html>first</html>")
    place(notebook, first.with_suffix(".ipynb"))
    place(report, first)
    assert check_store(store).sound

    # Killed after the row, before the rename: the row names a file not yet in place
    # (here the older file of the same name is still there).
    newer = b"<html>second</html>"
    notebook, report = stage(first, newer)
    digest = record(store, first, newer)
    assert staged_paths(first, digest) == (report, notebook)
    # Killed before its row: staged files only, hidden.
    other = folder / f"{CASE}_care-plan.html"
    stage(other, b"<html>never recorded</html>")
    # A file that looks like a report but has no row (an older cpkit wrote the file
    # before the row), with its notebook; and a file of someone else's: not ours.
    stray = folder / f"{CASE}_closure.html"
    stray.write_bytes(b"<html>orphan</html>")
    stray.with_suffix(".ipynb").write_bytes(b"{}")
    (folder / "notes.html").write_bytes(b"mine")
    (folder / ".cpkit-k3x_9q2a.part").write_bytes(b"<html>")  # an older cpkit's, killed

    found = check_store(store)
    assert not found.sound
    text = "\n".join(found.problems)
    assert "a render was interrupted before" in text and first.name in text
    assert text.count("a temporary file of an interrupted render") == 3
    assert f"{CASE}_closure.html: a report file with no row" in text
    assert f"{CASE}_closure.ipynb: an executed notebook" in text
    assert "notes.html" not in text
    assert len(found.problems) == 6, found.problems

    repaired = check_store(store, repair=True)
    assert repaired.sound, repaired.problems
    assert len(repaired.repaired) == 6
    assert first.read_bytes() == newer and first.with_suffix(".ipynb").read_bytes() == b"{}"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{CASE}_minutes.html", f"{CASE}_minutes.ipynb", "notes.html"]
    assert check_store(store).sound
    assert [r["sha256"] for r in report_rows(store)][-1] == digest


def test_a_missing_or_changed_file_is_left_for_a_person(store, tmp_path):
    store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    path = tmp_path / f"{CASE}_minutes.html"
    path.write_bytes(b"<html>kept</html>")
    record(store, path, b"<html>kept</html>")
    path.write_bytes(b"<html>edited by hand</html>")
    found = check_store(store, repair=True)
    assert found.repaired == [] and "sha256 differs" in found.problems[0]
    assert path.read_bytes() == b"<html>edited by hand</html>"  # never removed
    path.unlink()
    assert "its file is missing" in check_store(store, repair=True).problems[0]


def test_files_younger_than_the_limit_are_left_to_the_render_at_work(store, tmp_path):
    store.import_cases([fixture_case("case_high_physical.json")], actor="fixtures")
    path = tmp_path / f"{CASE}_minutes.html"
    stage(path, b"<html>at work</html>")
    assert len(survey(store, [tmp_path], CASE)[1]) == 2
    assert survey(store, [tmp_path], CASE, older_than=3600)[1] == []
