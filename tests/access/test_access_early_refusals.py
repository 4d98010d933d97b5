"""Refusals said before a command imports its machinery (:mod:`cpkit.access.refusals`)
are the Guard's own: for every user, case and operation the lean road refuses exactly
when the Guard refuses, with the same exception and message, and the commands print
the same whichever road answers."""

from __future__ import annotations

import hashlib

import pytest

from cpkit.access import Guard, refusals
from cpkit.errors import CpkitError
from cpkit.store.reports import add_report
from tests.access.conftest import LIVE, TRAINING, USERS, both_roads

CODES = [*LIVE, TRAINING, "ZZ-2026-0099"]


def outcome(call, *args, **kwargs) -> tuple[str, str] | None:
    try:
        call(*args, **kwargs)
    except CpkitError as err:
        return type(err).__name__, str(err)
    return None


@pytest.mark.parametrize("user", sorted(USERS))
def test_the_lean_road_refuses_what_the_guard_refuses(access_store, monkeypatch, user):
    monkeypatch.setenv("CPKIT_USER", user)
    assert refusals.open_lean() is not None  # the lean road is the one tried
    guard = Guard.for_user(access_store, user)
    refused = 0
    for code in CODES:
        for operation in ("show", "render"):
            lean = outcome(refusals.refuse_case, operation, code)
            assert lean == outcome(guard.authorise, operation, code), (code, operation)
            refused += lean is not None
    assert refused  # every user meets at least the unknown case


def test_an_unknown_user_is_refused_alike(access_store, monkeypatch):
    monkeypatch.setenv("CPKIT_USER", "nobody")
    lean = outcome(lambda: refusals.refuse_case("render", LIVE[0]))
    assert lean == outcome(lambda: Guard.for_user(access_store, "nobody"))
    assert lean is not None and "not a configured user" in lean[1]


@pytest.mark.parametrize(("user", "args"), [
    ("sara", ["render", "ZZ-2026-0099", "--report", "care-plan"]),
    ("tina", ["render", LIVE[0], "--report", "care-plan"]),
    ("edi", ["render", LIVE[2], "--report", "closure", "--format", "pdf"]),
    ("nobody", ["render", LIVE[0], "--report", "minutes"]),
    # no such document: the case is read (one audit row, redacted for edi)
    ("sara", ["render", LIVE[0], "--report", "closure"]),
    ("arta", ["render", LIVE[0], "--report", "closure", "--no-redact", "--lang", "sq"]),
    ("edi", ["render", LIVE[1], "--report", "closure", "--no-redact"]),
    ("tina", ["render", TRAINING, "--report", "closure", "--format", "pdf"]),
])
def test_a_refused_render_says_the_same_on_both_roads(access_store, monkeypatch, user, args):
    lean, full = both_roads(monkeypatch, args, user)
    assert lean == full and lean[0] in (1, 2) and "Traceback" not in lean[2]
    assert lean[3] == (1 if "closure" in args and user != "edi" or LIVE[1] in args else 0)
    assert access_store.verify_audit().intact


@pytest.mark.parametrize("args", [
    ["MI-2026-0001", "--report", "care-plan"], ["MI-2026-0001", "--report", "minutes"],
    ["PR-2026-0001", "--report", "closure", "--no-redact"],
    ["MI-2026-0001", "--report", "invitation"],
    ["PR-2026-0001", "--report", "minutes", "--meeting", "2026-10-30"]])
def test_no_such_document_says_the_same_on_both_roads(home_store, monkeypatch, args):
    lean, full = both_roads(monkeypatch, ["render", *args], "anyone")
    assert lean == full and lean[0] == 2 and lean[3] == 1
    assert "single-user mode" in lean[2] and "Traceback" not in lean[2]
    assert home_store.verify_audit().intact


@pytest.mark.parametrize(("user", "args"), [
    ("sara", [LIVE[0], "--report", "closure"]),
    ("edi", [LIVE[1], "--report", "closure", "--no-redact"]),
    ("tina", [LIVE[0], "--report", "care-plan"])])
def test_a_refused_render_says_the_same_on_both_databases(task_force, monkeypatch, user,
                                                          args):
    """On PostgreSQL too a document the case does not have is refused on the lean road,
    with the very audit row the Guard's road leaves (the Store's own statement)."""
    lean, full = both_roads(monkeypatch, ["render", *args], user, task_force)
    assert lean == full and lean[0] in (1, 2) and "Traceback" not in lean[2]
    assert lean[3] == (0 if user == "tina" else 1)
    assert task_force.verify_audit().intact


@pytest.fixture
def reports(access_store, tmp_path) -> dict[str, int]:
    """An internal HTML report of PR-2026-0001 and a redacted PDF of it."""
    ids = {}
    for name, fmt, redacted in (("internal", "html", False), ("pdf", "pdf", True)):
        path = tmp_path / f"report-{name}.{fmt}"
        path.write_bytes(b"<p>report</p>")
        ids[name] = add_report(access_store, case_id=LIVE[0], case_version=1,
                               kind="minutes", fmt=fmt, lang="en", redacted=redacted,
                               meeting_date=None, path=str(path),
                               sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                               actor="arta")
    return ids


@pytest.mark.parametrize(("user", "which"), [
    ("arta", "unknown"), ("arta", "pdf"), ("edi", "internal"), ("tina", "internal"),
    ("edi", "pdf"), ("arta", "internal")])
def test_cpkit_view_says_the_same_on_both_roads(access_store, reports, monkeypatch, user,
                                                which):
    lean, full = both_roads(monkeypatch, ["view", str(reports.get(which, 999))], user)
    assert lean == full
    if (user, which) == ("arta", "internal"):
        assert lean[0] == 0
    else:
        assert lean[0] in (1, 2) and "Traceback" not in lean[2]


@pytest.mark.parametrize("user", ["sara", "edi", "tina"])
def test_both_databases_refuse_alike(task_force, monkeypatch, user):
    """SQLite through sqlite3, PostgreSQL through psycopg: the Guard's refusals."""
    monkeypatch.setenv("CPKIT_DB", task_force.url)
    monkeypatch.setenv("CPKIT_USER", user)
    assert refusals.open_lean() is not None
    guard = Guard.for_user(task_force, user)
    for code in CODES:
        for operation in ("show", "render"):
            assert (outcome(refusals.refuse_case, operation, code)
                    == outcome(guard.authorise, operation, code)), (code, operation)
    assert outcome(refusals.refuse_report, 999, to_file=False) == (
        "NotFound", "report 999: no such report")
