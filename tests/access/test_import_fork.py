"""A large file's import prepared on two cores (``cpkit.access.import_fork``): it stores
what the one-process import stores, refuses what it refuses with the same messages,
and leaves nothing written when anything fails, the forked process dying included."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cpkit import exchange
from cpkit.access import Guard, Principal, import_fork
from cpkit.demo import generate_cases
from cpkit.errors import CpkitError
from cpkit.store import Store, codec
from cpkit.store.schema import audit, case_versions, cases, deadlines, identity_index
from tests.conftest import fresh_pg_database

TODAY = dt.date(2026, 11, 22)
COUNT = 12  # forked from 4: the last 6 coded cases are the forked process's


@pytest.fixture(autouse=True)
def small_files_fork(monkeypatch):
    monkeypatch.setattr(import_fork, "FORK_FROM", 4)
    monkeypatch.setattr(import_fork, "WORKER_SHARE", 0.5)


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The forks made (one per forked import)."""
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(import_fork.os, "fork", counted)
    return made


def documents(count: int = COUNT, seed: int = 7) -> list[dict]:
    """Demo cases, numbered from 5000: clear of the codes the database gives."""
    found = [c.to_document() for c in generate_cases(count, seed=seed, today=TODAY)]
    for i, document in enumerate(found):
        document["case_id"] = f"{document['case_id'][:-4]}5{i:03d}"
    return found


def single(store: Store) -> Guard:
    return Guard(store, Principal("arta", single_user=True))


@contextlib.contextmanager
def other_store(store: Store, tmp_path):
    """An empty store on the same kind of database as ``store``."""
    if store.engine.dialect.name == "sqlite":
        other = Store(f"sqlite:///{tmp_path / 'other.db'}")
        yield other
        other.close()
        return
    with fresh_pg_database() as url:
        other = Store(url)
        yield other
        other.close()


def one_process(monkeypatch, guard: Guard, docs: list[dict], **options):
    with monkeypatch.context() as mp:
        mp.setattr(import_fork, "FORK_FROM", 10**9)
        return guard.import_documents(json.loads(json.dumps(docs)), **options)


def refusal(call) -> str:
    with pytest.raises(CpkitError) as caught:
        call()
    return f"{type(caught.value).__name__}: {caught.value}"


def count(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def nothing_written(store: Store) -> None:
    for table in (cases, case_versions, deadlines, identity_index, audit):
        assert count(store, table) == 0, table.name


def contents(store: Store) -> dict:
    """What a store holds, less what differs between two imports of the same cases
    (the times, the seal's random nonce: the sealed documents are compared opened)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(cases).order_by(cases.c.case_id)).mappings().all()
        found = {"cases": [{**{k: v for k, v in r.items()
                               if k not in ("created_at", "updated_at", "document")},
                            "document": codec.decode(r["document"])} for r in rows]}
        for table in (deadlines, identity_index):
            columns = [c for c in table.c if c.name != "id"]
            found[table.name] = sorted(tuple(r) for r in conn.execute(select(*columns)))
        found["versions"] = sorted(
            (r.case_id, r.version, r.actor, json.dumps(codec.decode(r.document)))
            for r in conn.execute(select(case_versions)))
        found["audit"] = [(r.case_id, r.case_version, r.action, r.actor)
                          for r in conn.execute(select(audit).order_by(audit.c.id))]
    return found


def test_a_forked_import_stores_what_one_process_stores(store, tmp_path, monkeypatch, forks):
    docs = documents()
    for i in (1, 6):  # without a code: coded from the database, in this process
        docs[i].pop("case_id")
    done = single(store).import_documents(json.loads(json.dumps(docs)),
                                          extra=lambda case: case.case_id)
    assert len(forks) == 1
    assert [d.version for d in done] == [1] * COUNT
    assert [d.extra for d in done] == [d.case_id for d in done]
    assert [d.case_id for d in done][7:] == [d["case_id"] for d in docs[7:]]
    with other_store(store, tmp_path) as other:
        alone = one_process(monkeypatch, single(other), docs)
        assert [d.case_id for d in alone] == [d.case_id for d in done]
        assert contents(store) == contents(other)
    assert store.verify_audit().intact
    assert [r["case_id"] for r in store.audit_rows()] == [d.case_id for d in done]


def test_replace_and_codes_given_by_the_database(store, tmp_path, monkeypatch, forks):
    docs = documents()
    guard = single(store)
    guard.import_documents(json.loads(json.dumps(docs)))
    again = json.loads(json.dumps(docs))
    for document in again:
        document["case_manager"] = "Besa"
    again.append(json.loads(json.dumps(docs[0])))
    again[-1].pop("case_id")
    assert "already in the store" in refusal(lambda: guard.import_documents(
        json.loads(json.dumps(again))))
    assert count(store, case_versions) == COUNT
    done = guard.import_documents(json.loads(json.dumps(again)), replace=True)
    assert [d.version for d in done] == [2] * COUNT + [1]
    assert len(forks) == 3
    assert store.get(done[-2].case_id).case.case_manager == "Besa"
    with other_store(store, tmp_path) as other:
        one_process(monkeypatch, single(other), docs)
        one_process(monkeypatch, single(other), again, replace=True)
        assert contents(store) == contents(other)
    assert store.verify_audit().intact


@pytest.mark.parametrize("where", [2, COUNT - 1], ids=["this process", "forked process"])
def test_an_invalid_case_is_told_as_in_one_process(store, monkeypatch, forks, where):
    docs = documents()
    docs[where]["referral"]["date"] = "the day before yesterday"
    docs[where - 1]["format"] = "something else"
    expected = refusal(lambda: exchange.load_cases(json.loads(json.dumps(docs))))
    assert f"cases[{where}]" in expected and "referral.date" in expected
    assert refusal(lambda: single(store).import_documents(docs)) == expected
    assert len(forks) == 1
    nothing_written(store)


def test_a_code_given_twice_across_the_shares(store, monkeypatch, forks):
    docs = documents()
    docs[-1]["case_id"] = docs[0]["case_id"]
    expected = refusal(lambda: exchange.load_cases(json.loads(json.dumps(docs))))
    assert "is used again (first at cases[0])" in expected
    assert refusal(lambda: single(store).import_documents(docs)) == expected
    nothing_written(store)


def test_a_case_the_user_may_not_create_in_the_forked_share(store, monkeypatch, forks):
    docs = documents()
    for document in docs:
        document["case_manager"] = "Arta"
    docs[-1]["case_manager"] = "Besa"
    docs[3]["case_manager"] = None  # becomes hers (the guard's step, in this process)
    docs[-2]["case_manager"] = None  # ... and in the forked one
    arta = Guard(store, Principal("arta", frozenset({"case_manager"}), display_name="Arta"))
    expected = refusal(lambda: one_process(monkeypatch, arta, docs))
    assert "PermissionDenied" in expected
    assert refusal(lambda: arta.import_documents(json.loads(json.dumps(docs)))) == expected
    assert len(forks) == 1
    nothing_written(store)
    docs[-1]["case_manager"] = "Arta"
    done = arta.import_documents(docs)
    assert {store.get(d.case_id).case.case_manager for d in done} == {"Arta"}


def test_a_forked_process_that_dies_leaves_nothing_written(store, monkeypatch, forks):
    def killed(*_args):
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(import_fork, "_worker_share", killed)
    docs = documents()
    with pytest.raises(import_fork.ImportWorkerFailed, match="signal 9.*nothing was imported"):
        single(store).import_documents(json.loads(json.dumps(docs)))
    nothing_written(store)
    with pytest.raises(OSError):
        os.waitpid(forks[0], os.WNOHANG)  # reaped
    monkeypatch.undo()
    monkeypatch.setattr(import_fork, "FORK_FROM", 4)
    assert len(single(store).import_documents(docs)) == COUNT  # the store still works


def test_a_failure_in_the_forked_process_is_told_by_name(store, monkeypatch):
    def broken(*_args):
        raise RuntimeError("Arta Krasniqi")  # a text that could name a child: never told

    monkeypatch.setattr(import_fork, "_worker_share", broken)
    message = refusal(lambda: single(store).import_documents(documents()))
    assert "RuntimeError" in message and "Krasniqi" not in message
    nothing_written(store)


def test_a_file_under_the_threshold_stays_in_one_process(store, monkeypatch, forks):
    monkeypatch.setattr(import_fork, "FORK_FROM", COUNT + 1)
    done = single(store).import_documents(documents())
    assert len(done) == COUNT and forks == []


def test_cpkit_import_forked_then_check(tmp_path, forks):
    from cpkit.cli import main

    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in documents()), encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(main, ["import", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert len(forks) == 1
    summary = json.loads(done.stdout)["files"][0]
    assert len(summary["imported"]) == COUNT and summary["error"] is None
    checked = runner.invoke(main, ["check"])
    assert checked.exit_code == 0, checked.output


def test_replaced_cases_stay_here_and_new_ones_are_shared(store, tmp_path, monkeypatch, forks):
    docs = documents()
    guard = single(store)
    guard.import_documents(json.loads(json.dumps(docs[6:9])))  # stored: in the last half
    shared = []
    prepare = import_fork.prepare

    def watched(guard, documents, positions, *args, **kwargs):
        shared.append(list(positions))
        return prepare(guard, documents, positions, *args, **kwargs)

    monkeypatch.setattr(import_fork, "prepare", watched)
    done = guard.import_documents(json.loads(json.dumps(docs)), replace=True)
    assert [d.version for d in done] == [1] * 6 + [2] * 3 + [1] * 3
    assert shared == [[0, 1, 2, 6, 7, 8]]  # here (the forked process's call is its own)
    with other_store(store, tmp_path) as other:
        one_process(monkeypatch, single(other), docs[6:9])
        one_process(monkeypatch, single(other), docs, replace=True)
        assert contents(store) == contents(other)
    with store.engine.connect() as conn:  # the forked share's rows: this transaction's time
        times = conn.execute(select(cases.c.created_at).where(
            cases.c.case_id.in_([d.case_id for d in done if d.version == 1]))).scalars()
        assert len(set(times)) == 1
    assert store.verify_audit().intact


def test_the_forked_share_copied_early_is_rolled_back_by_a_later_refusal(store, monkeypatch,
                                                                        forks):
    """Copied as soon as it comes, while this process prepares its own (here: after this
    process's first chunk), the forked share is still in the one transaction: the
    refusal found once both shares are checked leaves nothing written."""
    from cpkit.store import repository

    docs = documents()
    for document in docs:
        document["case_manager"] = "Arta"
    docs[-1]["case_manager"] = "Besa"  # the forked share's: refused only at the end
    arta = Guard(store, Principal("arta", frozenset({"case_manager"}), display_name="Arta"))
    monkeypatch.setattr(repository, "IMPORT_CHUNK", 2)
    monkeypatch.setattr(import_fork._Worker, "ready",
                        lambda worker: worker.result() is not None)  # waits: it has come
    steps = []
    submit = repository._Overlapped.submit

    def submitted(writes, write, *args):
        steps.append("forked share" if write is repository.copy_packed else "own chunk")
        submit(writes, write, *args)
        for future in writes._futures:  # written before anything more is prepared
            future.result()

    monkeypatch.setattr(repository._Overlapped, "submit", submitted)
    assert "PermissionDenied" in refusal(lambda: arta.import_documents(docs))
    assert steps == ["own chunk", "forked share", "own chunk", "own chunk"]
    nothing_written(store)
