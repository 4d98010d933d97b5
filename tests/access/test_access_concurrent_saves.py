"""Saves through the Guard from two processes at once, on PostgreSQL for real: a stale
save is reported as a conflict (early, before the store is touched, or on the locked
row), the writer re-reads and saves again, and in the end every accepted save is in the
case, each audited once with its own version, the audit chain intact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpkit.access import open_guarded_store
from cpkit.access.voiding import void_case
from cpkit.errors import BadInput, Conflict
from cpkit.store import Store
from tests.conftest import fixture_case

REPO = Path(__file__).resolve().parents[2]
CODE = "PR-2026-0001"

WRITER = """
import json, sys, time
from pathlib import Path
from cpkit.access import open_guarded_store
from cpkit.access.voiding import void_case
from cpkit.errors import Conflict
url, go, name, rounds = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
guard = open_guarded_store(url, announce=False, migrate=False)
record = guard.get(sys.argv[5], "edit")  # both read the same version before either saves
Path(sys.argv[2] + "." + name).touch()
while not go.exists():
    time.sleep(0.005)
accepted, conflicts = [], 0
for n in range(rounds):
    mark = f"{name}-{n}"
    while True:
        case = record.case.model_copy(deep=True)
        case.__pydantic_extra__["marks"] = [*(case.model_extra or {}).get("marks", []), mark]
        try:
            record = guard.save(case, record.version)
            break
        except Conflict:
            conflicts += 1
            record = guard.get(sys.argv[5], "edit")
    accepted.append(mark)
guard.close()
print(json.dumps({"accepted": accepted, "conflicts": conflicts}))
"""


def _case_code(url: str) -> str:
    store = Store(url)
    try:
        return store.import_cases([fixture_case("case_minimal.json")])[0].case.case_id
    finally:
        store.close()


@pytest.mark.postgres
def test_two_processes_saving_one_case_lose_nothing_and_chain_the_audit(pg_url, tmp_path):
    code = _case_code(pg_url)
    go, rounds = tmp_path / "go", 15
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, pg_url, str(go), name,
                                 str(rounds), code], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    deadline = time.monotonic() + 240
    while not all(Path(f"{go}.{n}").exists() for n in ("a", "b")):
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
        time.sleep(0.05)
    go.touch()
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err
        results.append(json.loads(out))

    # Both held the same version: the second save of it at least was refused.
    assert sum(r["conflicts"] for r in results) >= 1
    accepted = [m for r in results for m in r["accepted"]]
    assert len(accepted) == 2 * rounds
    store = Store(pg_url, migrate=False)
    try:
        record = store.get(code)
        marks = (record.case.model_extra or {}).get("marks", [])
        assert sorted(marks) == sorted(accepted)  # every accepted save kept, none twice
        assert record.version == 1 + 2 * rounds
        updates = [r for r in store.audit_rows(code) if r["action"] == "update"]
        assert sorted(r["case_version"] for r in updates) == list(range(2, 2 + 2 * rounds))
        assert all(r["detail"]["fields"] and all(f.startswith("marks") for f in
                                                 r["detail"]["fields"]) for r in updates)
        report = store.verify_audit()
        assert report.intact, report.problem
    finally:
        store.close()


def _read_then_saved_by_another(guard, code: str):
    """The case as one user read it, saved by another user since (``note_x``)."""
    first = guard.get(code, "edit")
    theirs = first.case.model_copy(deep=True)
    theirs.__pydantic_extra__["note_x"] = "theirs"
    guard.save(theirs, first.version)
    return first


def test_a_stale_save_is_a_conflict_and_writes_nothing(store_url):
    code = _case_code(store_url)
    guard = open_guarded_store(store_url, announce=False)
    try:
        first = _read_then_saved_by_another(guard, code)
        mine = first.case.model_copy(deep=True)
        before = len(guard.audit_rows(code))
        mine.__pydantic_extra__["note_x"] = "mine"
        with pytest.raises(Conflict) as refused:
            guard.save(mine, first.version)
        assert (refused.value.expected, refused.value.current) == (first.version,
                                                                  first.version + 1)
        assert len(guard.audit_rows(code)) == before  # nothing written, not even a row
        stored = guard.get(code, "edit")
        assert stored.version == first.version + 1
        assert stored.case.model_extra["note_x"] == "theirs"
    finally:
        guard.close()


def test_a_stale_save_of_a_void_case_says_it_is_void(store_url):
    code = _case_code(store_url)
    guard = open_guarded_store(store_url, announce=False)
    try:
        first = _read_then_saved_by_another(guard, code)
        void_case(guard, code, "created by mistake")
        stale = first.case.model_copy(deep=True)
        stale.__pydantic_extra__["note_x"] = "late"
        with pytest.raises(BadInput, match="void"):
            guard.save(stale, first.version)
    finally:
        guard.close()
