"""Races between processes, for real: concurrent imports of cases without codes each
get a code of their own; concurrent ``import --replace`` of one case never both win
with one version (the version check is in the update itself)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from cpkit.store import Store
from tests.conftest import fixture_case, fixture_document

REPO = Path(__file__).resolve().parents[2]

IMPORTER = """
import json, sys, time
from pathlib import Path
from cpkit import exchange
from cpkit.errors import CpkitError
from cpkit.store import Store
url, go, document = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
rounds, replace = int(sys.argv[4]), sys.argv[5] == "replace"
store = Store(url, migrate=False)
while not go.exists():
    time.sleep(0.005)
outcomes = []
for n in range(rounds):
    doc = json.loads(document)
    doc["referral"]["concern"] = f"round {n} " + doc["referral"]["concern"]
    try:
        store.import_cases([exchange.load_case(doc)], actor=sys.argv[6], replace=replace)
        outcomes.append("ok")
    except CpkitError as err:
        outcomes.append(type(err).__name__)
print(json.dumps(outcomes))
"""


def race(url: str, tmp_path: Path, document: dict, rounds: int, replace: bool,
         processes: int = 2) -> list[list[str]]:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runners = [subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, str(go), json.dumps(document), str(rounds),
         "replace" if replace else "new", f"p{n}"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for n in range(processes)]
    time.sleep(1.5)  # let every process start and wait at the line
    go.touch()
    results = []
    for runner in runners:
        out, err = runner.communicate(timeout=180)
        assert runner.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_concurrent_imports_without_codes_each_get_their_own(store_url, tmp_path):
    Store(store_url).close()
    document = fixture_document("case_minimal.json")
    del document["case_id"]
    results = race(store_url, tmp_path, document, rounds=10, replace=False, processes=3)
    assert results == [["ok"] * 10] * 3
    store = Store(store_url)
    codes = [r["case_id"] for r in store.summaries()]
    assert len(codes) == len(set(codes)) == 30
    assert store.verify_audit().intact
    store.close()


def test_concurrent_replace_of_one_case_never_loses_a_write(store_url, tmp_path):
    store = Store(store_url)
    store.import_cases([fixture_case("case_minimal.json")])
    document = fixture_document("case_minimal.json")
    results = race(store_url, tmp_path, document, rounds=10, replace=True)
    won = sum(outcome == "ok" for result in results for outcome in result)
    assert all(o in ("ok", "Conflict") for result in results for o in result), results
    engine = create_engine(store_url)
    with engine.connect() as conn:
        versions = conn.execute(text(
            "SELECT case_version FROM audit WHERE action = 'import' ORDER BY id")).scalars().all()
        final = conn.execute(text("SELECT version FROM cases")).scalar()
    engine.dispose()
    assert len(versions) == len(set(versions)) == won + 1  # no version recorded twice
    assert final == won + 1 and won >= 10
    assert store.verify_audit().intact
    store.close()
