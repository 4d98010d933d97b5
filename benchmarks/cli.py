"""CLI benchmark: what a user waits for at the shell, whole process, on one store.

    .venv/bin/python benchmarks/cli.py [--cases 10000] [--db URL] [--repeat 3]

Times, each the median of ``--repeat`` runs of a fresh ``cpkit`` process (wall clock,
and the CPU seconds of the process, which a shared machine's load does not inflate;
ratios against the naive way are of CPU seconds):

- start-up: ``cpkit --help``, ``cpkit list`` over 100 cases, ``cpkit show CODE``, against
  the naive way (the same command with every command module and its libraries imported
  first, as the CLI did before lazy loading);
- lists over ``--cases`` cases: ``cpkit list``, ``cpkit list --risk high``, ``cpkit list
  --manager M``, ``cpkit deadlines --overdue``, ``cpkit caseload --format csv``, against
  the naive table (the same rows through ``tabulate``, which guesses every cell's type);
- ``cpkit import`` of the ``--cases`` cases (one transaction), in cases/s.

Targets (issue 15): start-up <= 0.3 s; list <= 1 s, deadlines --overdue <= 1 s,
caseload CSV <= 1.5 s on 10,000 cases; import >= 2,500 cases/s on SQLite (1,000 on
PostgreSQL).  Prints the machine's load average with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 22)
RUN = "import sys; from cpkit.cli import main; sys.argv[0] = 'cpkit'; main()"
# What the CLI imported before any command ran (the naive way of starting).
EAGER = ("import alembic.command, sqlalchemy, pydantic, tabulate, cpkit.store, "
         "cpkit.access, cpkit.exchange, cpkit.cli.base; cpkit.cli.base.load_commands(); ")
NAIVE_TABLE = """
import datetime as dt, sys
from tabulate import tabulate
from cpkit.access import open_guarded_store
day = dt.date.fromisoformat(sys.argv[1])
rows = open_guarded_store(announce=False).deadline_rows(day, overdue_only=True)
print(tabulate([[r["case_id"], r["name"], r["due"], "overdue", (day - r["due"]).days,
                 r["case_manager"] or "-"] for r in rows], headers=["code", "deadline", "due",
                "status", "days late", "case manager"]))
"""


def timed(code: str, *args: str, env: dict, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``python -c code args`` (output discarded)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code, *args], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{args}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def write_cases(path: Path, count: int, seed: int) -> list[dict]:
    from cpkit.demo import generate_cases

    documents = [c.to_document() for c in generate_cases(count, seed=seed, today=TODAY)]
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents),
                    encoding="utf-8")
    return documents


def line(label: str, figures: tuple[float, float], naive: tuple[float, float] | None = None,
         target: float | None = None) -> None:
    wall, cpu = figures
    text = f"  {label:<38} {wall:6.2f} s wall {cpu:6.2f} s cpu"
    if naive:  # the ratio of CPU seconds: a shared machine's load does not skew it
        text += f"   naive {naive[0]:6.2f} s wall {naive[1]:5.2f} s cpu ({naive[1] / cpu:4.1f}x)"
    if target:
        text += f"   target <= {target} s: {'met' if wall <= target else 'NOT met'}"
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", help="SQLAlchemy URL of an EMPTY database (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cpkit-bench-cli-"))
    env = {**os.environ, "CPKIT_HOME": str(folder / "home"), "CPKIT_USER": "bench"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python caches compiled modules
    small = {**env, "CPKIT_HOME": str(folder / "small")}
    if args.db:
        env["CPKIT_DB"] = args.db
    print(f"cpkit CLI benchmark, {args.cases:,} cases on "
          f"{'PostgreSQL' if args.db else 'SQLite'}; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

    few = write_cases(folder / "few.jsonl", 100, seed=3)
    many = write_cases(folder / "many.jsonl", args.cases, seed=11)
    timed(RUN, "import", str(folder / "few.jsonl"), env=small, repeat=1)
    code = few[0]["case_id"]
    print("start-up (100 cases):")
    for label, argv in (("cpkit --help", ["--help"]), ("cpkit list", ["list"]),
                        (f"cpkit show {code}", ["show", code])):
        line(label, timed(RUN, *argv, env=small, repeat=args.repeat),
             timed(EAGER + RUN, *argv, env=small, repeat=args.repeat), target=0.3)

    wall, cpu = timed(RUN, "import", str(folder / "many.jsonl"), env=env, repeat=1)
    rate = 2500 if not args.db else 1000
    print(f"import of {args.cases:,} cases, one transaction: {args.cases / wall:7,.0f} "
          f"cases/s wall ({args.cases / cpu:,.0f} per cpu second); target >= {rate:,}: "
          f"{'met' if args.cases / wall >= rate else 'NOT met'}")

    manager = next(d["case_manager"] for d in many if d.get("case_manager"))
    day = "2027-12-31"  # a year on: most open deadlines overdue, as in a neglected caseload
    rows = subprocess.run([sys.executable, "-c", RUN, "deadlines", "--overdue", "--as-of", day,
                           "--format", "csv"], env=env, capture_output=True, text=True)
    print(f"lists over {args.cases:,} cases ({rows.stdout.count(chr(10)) - 1:,} overdue "
          f"deadlines as of {day}):")
    line("cpkit list", timed(RUN, "list", env=env, repeat=args.repeat), target=1)
    line("cpkit list --risk high", timed(RUN, "list", "--risk", "high", env=env,
                                         repeat=args.repeat))
    line("cpkit list --manager M", timed(RUN, "list", "--manager", manager, env=env,
                                         repeat=args.repeat))
    line("cpkit list --overdue", timed(RUN, "list", "--overdue", "--as-of", day, env=env,
                                       repeat=args.repeat))
    line("cpkit deadlines --overdue",
         timed(RUN, "deadlines", "--overdue", "--as-of", day, env=env, repeat=args.repeat),
         timed(NAIVE_TABLE, day, env=env, repeat=args.repeat), target=1)
    line("cpkit deadlines --overdue --format json",
         timed(RUN, "deadlines", "--overdue", "--as-of", day, "--format", "json", env=env,
               repeat=args.repeat))
    line("cpkit caseload --format csv", timed(RUN, "caseload", "--format", "csv", "--as-of",
                                              day, env=env, repeat=args.repeat), target=1.5)


if __name__ == "__main__":
    main()
