"""Known-child benchmark: precision and recall on the name table, lookup time at scale.

    .venv/bin/python benchmarks/known.py [--cases 10000] [--db URL]

1. Precision and recall of "same child" on the table of fictional name pairs
   (tests/matching/name_pairs.py), both directions.  Target: both >= 0.95.
2. A lookup over --cases fictional cases: cpkit's blind-index search (tokens only, no
   case opened) against the naive way (open and decrypt every case, compare the names),
   in the same run; and ``cpkit known --name ... --born ...`` as a whole process from
   the shell.  Target: the lookup <= 0.2 s over 10,000 cases.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpkit.access import Guard  # noqa: E402
from cpkit.demo import generate_cases  # noqa: E402
from cpkit.matching import child_tokens, compare, name_parts  # noqa: E402
from cpkit.store import Store  # noqa: E402
from tests.matching.name_pairs import DIFFERENT, SAME, split  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def timed(fn, repeat: int = 5):
    """The best of ``repeat`` runs (what a warm lookup costs) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best


def table_scores() -> tuple[float, float]:
    key = os.urandom(32)

    def same(a, b):
        return all(compare(child_tokens(key, **split(x), probe=True),
                           child_tokens(key, **split(y))).candidate
                   for x, y in ((a, b), (b, a)))

    true_pos = sum(same(a, b) for a, b, _ in SAME)
    false_pos = sum(same(a, b) for a, b, _ in DIFFERENT)
    return true_pos / max(1, true_pos + false_pos), true_pos / len(SAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    precision, recall = table_scores()
    print(f"name table: {len(SAME)} same-child pairs, {len(DIFFERENT)} other-child pairs: "
          f"precision {precision:.3f}, recall {recall:.3f} (target >= 0.95 each)")

    folder = Path(tempfile.mkdtemp(prefix="cpkit-bench-known-"))
    os.environ["CPKIT_HOME"] = str(folder)
    url = args.db or f"sqlite:///{folder / 'cases.db'}"
    os.environ["CPKIT_DB"] = url
    store = Store(url)
    cases = generate_cases(args.cases, seed=5, today=TODAY)
    store.import_cases(cases, actor="bench")
    target = cases[len(cases) // 2].child
    guard = Guard.for_user(store, "bench")

    found, blind = timed(lambda: guard.find_child(target.given_name, target.family_name,
                                                  born=target.date_of_birth))

    def naive():
        wanted = sorted(name_parts(target.given_name, target.family_name))
        return [r.case.case_id for r in store.records()
                if sorted(name_parts(r.case.child.given_name, r.case.child.family_name))
                == wanted and r.case.child.date_of_birth == target.date_of_birth]

    expected, plain = timed(naive, repeat=1)
    assert {r["case_id"] for r in found} >= set(expected), "the blind index missed a case"
    print(f"lookup over {len(cases):,} cases: blind index {blind * 1000:.0f} ms "
          f"(target <= 200 ms), naive decrypt-and-compare {plain * 1000:.0f} ms: "
          f"{plain / blind:.0f}x; {len(found)} candidate(s)")

    cpkit = Path(sys.executable).parent / "cpkit"
    start = time.perf_counter()
    done = subprocess.run([str(cpkit), "known", "--name",
                           f"{target.given_name} {target.family_name}",
                           "--born", target.date_of_birth.isoformat()],
                          capture_output=True, text=True, check=True)
    whole = time.perf_counter() - start
    print(f"`cpkit known --name ... --born ...` whole process: {whole:.2f} s "
          f"({len(done.stdout.splitlines())} line(s) of output)")
    store.close()


if __name__ == "__main__":
    main()
