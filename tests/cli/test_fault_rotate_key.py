"""``kill -9`` at random moments of ``cpkit rotate-key`` (#19, faults): afterwards the
store opens with the old key or the new one, never neither; ``cpkit check`` says which
(and ``--repair`` finishes an interrupted rotation); a full export is what it was."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from cpkit import crypto
from cpkit.cli import main
from cpkit.store import Store
from tests.conftest import fixture_document

ROOT = Path(__file__).resolve().parents[2]
CLI = "from cpkit.cli import main; main()"
CASES = 40  # enough that a rotation takes a while to be killed in


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def full_export() -> list:
    done = cli("export", "--all")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def rotate(home: Path) -> subprocess.Popen:
    env = {**os.environ, "CPKIT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CLI, "rotate-key"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fitting_keys(home: Path) -> list[str]:
    """Which key files open the store (by the fingerprint it records)."""
    store = Store()
    try:
        fingerprint = store.key_fingerprint()
    finally:
        store.close()
    return [name for name in ("key", "key.new")
            if (found := crypto.read_key_file(home / name)) is not None
            and found.fingerprint == fingerprint]


def test_rotate_key_killed_at_random_moments_never_loses_the_store(cpkit_home):
    document = fixture_document("case_high_physical.json")
    cases = []
    for i in range(1, CASES + 1):
        cases.append({**document, "case_id": f"PR-2026-{i:04d}"})
    source = cpkit_home.parent / "cases.json"
    source.write_text(json.dumps(cases), encoding="utf-8")
    assert cli("import", str(source)).exit_code == 0
    expected = full_export()

    started = time.monotonic()
    whole = rotate(cpkit_home)
    assert whole.wait(timeout=300) == 0, whole.stderr.read()
    span = time.monotonic() - started  # start-up and rotation, unhurried
    rng = random.Random(19)
    seen = []
    for _round in range(8):
        delay = rng.uniform(0.0, span * 1.1)
        proc = rotate(cpkit_home)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        proc.communicate()
        fits = fitting_keys(cpkit_home)
        seen.append((round(delay, 2), proc.returncode, fits))
        assert fits, f"no key opens the store after a kill at {delay:.2f}s: {seen}"
        assert full_export() == expected
        checked = cli("check")
        if fits == ["key.new"]:  # killed between the commit and the rename
            assert checked.exit_code == 1
            assert "key.new" in checked.output and "cpkit check --repair" in checked.output
        else:
            assert checked.exit_code == 0, checked.output
            assert "sealed with the store's key" in checked.output
        repaired = cli("check", "--repair")
        assert repaired.exit_code == 0, repaired.output
        assert "The store is sound." in repaired.output
        assert fitting_keys(cpkit_home) == ["key"]
        assert not (cpkit_home / "key.new").exists()
        assert full_export() == expected
    print("kills (delay s, exit, keys that fit):", seen)
    assert any(code == -signal.SIGKILL for _d, code, _f in seen), seen
