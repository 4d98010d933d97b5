"""Store benchmark: import 10,000 fictional cases, then find every overdue deadline.

    .venv/bin/python benchmarks/store.py [--cases 10000] [--db URL]

Prints cases/s for cpkit's import (what ``cpkit import FILE`` does: read a JSON Lines
file, validate every case, store them in one transaction) against the naive way (one
transaction per case, as a loop over ``store.create`` would do), and the time of
``cpkit deadlines --overdue`` (indexed ``deadlines`` table) against recomputing every
case's deadlines from its document.  Targets: import >= 1,000 cases/s on SQLite, the
overdue query under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from cpkit import exchange
from cpkit.demo import generate_cases
from cpkit.rules.deadlines import case_deadlines
from cpkit.store import Store

TODAY = dt.date(2026, 11, 22)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--naive-sample", type=int, default=500,
                        help="cases imported the naive way (its rate is per case)")
    parser.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cpkit-bench-"))
    cases, gen = timed(lambda: generate_cases(args.cases, seed=11, today=TODAY))
    print(f"generated {len(cases):,} fictional cases in {gen:.1f} s")

    lines = folder / "cases.jsonl"
    lines.write_text("".join(json.dumps(c.to_document(), ensure_ascii=False) + "\n"
                             for c in cases), encoding="utf-8")

    store = Store(args.db or f"sqlite:///{folder / 'batch.db'}")

    def cpkit_import():
        documents, collection = exchange.read_file(lines)
        store.import_cases(exchange.load_cases(documents, collection), actor="bench")

    _, batch = timed(cpkit_import)
    batch_rate = len(cases) / batch

    naive_store = Store(f"sqlite:///{folder / 'naive.db'}") if not args.db else store
    sample = generate_cases(args.naive_sample, seed=12, today=TODAY)
    for case in sample:
        case.case_id = None  # fresh codes, one transaction each
    _, naive = timed(lambda: [naive_store.create(c, actor="bench") for c in sample])
    naive_rate = len(sample) / naive

    overdue, query = timed(lambda: store.deadline_rows(TODAY, overdue_only=True))

    def recompute():
        found = []
        for record in store.records(training=False):
            found += [d for d in case_deadlines(record.case)
                      if d.done_on is None and d.due < TODAY]
        return found

    naive_overdue, naive_query = timed(recompute)
    assert len(naive_overdue) == len(overdue), (len(naive_overdue), len(overdue))

    print(f"import FILE, one transaction: {batch_rate:8,.0f} cases/s "
          f"({len(cases):,} in {batch:.1f} s)  target >= 1,000")
    print(f"import, naive per-case saves: {naive_rate:8,.0f} cases/s "
          f"({len(sample):,} in {naive:.1f} s)")
    print(f"  ratio: {batch_rate / naive_rate:.1f}x")
    print(f"deadlines --overdue (indexed):   {query * 1000:8.0f} ms "
          f"({len(overdue):,} overdue)  target < 1,000 ms")
    print(f"overdue recomputed from documents: {naive_query * 1000:6.0f} ms")
    print(f"  ratio: {naive_query / query:.1f}x")


if __name__ == "__main__":
    main()
