"""Dashboard benchmark: 10,000 fictional cases; the dashboard's data and the caseload CSV.

    .venv/bin/python benchmarks/dashboard.py [--cases 10000] [--repeat 3]

Times, on a fresh embedded store in a temporary CPKIT_HOME:

1. the dashboard's data (caseload table, counts by risk and stage, workload, overdue
   list) as the dashboard builds it: two indexed queries through the access guard
   (:func:`cpkit.dashboard.data.load`);
2. ``cpkit caseload --format csv``: the in-process function, and the command run as a
   subprocess (interpreter start and imports included);
3. the naive way for comparison: load every case document, recompute risk, stage and
   deadlines in Python, then build the same tables.

Target: under 2 s each for 1 and 2.  The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 22)
TARGET = 2.0


def best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="cpkit-bench-dashboard-"))
    os.environ["CPKIT_HOME"] = str(home)
    os.environ.pop("CPKIT_DB", None)

    from cpkit.access import Guard
    from cpkit.dashboard import data, export
    from cpkit.demo import generate_cases
    from cpkit.store import Store

    store = Store()
    start = time.perf_counter()
    store.import_cases(generate_cases(args.cases, seed=11, today=TODAY), actor="bench")
    store.import_cases(generate_cases(120, seed=12, today=TODAY, training=True), actor="bench")
    print(f"stored {args.cases:,} fictional live cases (+120 training) in "
          f"{time.perf_counter() - start:.1f} s")
    guard = Guard.for_user(store)

    board, t_data = best(lambda: data.load(guard, TODAY), args.repeat)
    print(f"dashboard data: {len(board.caseload):,} cases, {len(board.overdue):,} overdue "
          f"deadlines, {len(board.workload)} case managers")

    csv_text, t_csv = best(lambda: export.caseload_csv(data.load(guard, TODAY), "en"),
                           args.repeat)
    out = home / "caseload.csv"
    command = [str(Path(sys.executable).parent / "cpkit"), "caseload", "--format", "csv",
               "--as-of", TODAY.isoformat(), "-o", str(out)]

    def cli():
        done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
        assert done.returncode == 0, done.stderr
        return done

    _, t_cli = best(cli, args.repeat)
    assert out.read_text(encoding="utf-8") == csv_text

    def naive():
        cases = [r.case for r in store.records()]  # every document decoded
        summaries, late = data.rows_from_cases(cases, TODAY)
        return data.build(summaries, late, TODAY)

    slow, t_naive = best(naive, 1)
    columns = [c for c in data.CASELOAD_COLUMNS if c != "version"]
    assert slow.caseload[columns].equals(board.caseload[columns])
    assert slow.overdue.equals(board.overdue)

    print()
    print(f"{'':40} {'seconds':>8}  {'vs naive':>8}  target < {TARGET:.0f} s")
    for name, seconds in (("dashboard data (table, counts, overdue)", t_data),
                          ("caseload CSV, in-process", t_csv),
                          ("cpkit caseload --format csv (process)", t_cli),
                          ("naive: decode every case, recompute", t_naive)):
        ratio = f"{t_naive / seconds:7.1f}x" if name[:5] != "naive" else "     1.0x"
        verdict = "" if name.startswith("naive") else ("ok" if seconds < TARGET else "SLOW")
        print(f"{name:40} {seconds:8.3f}  {ratio:>8}  {verdict}")
    store.close()


if __name__ == "__main__":
    main()
