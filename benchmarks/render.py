"""Render benchmark: CMR minutes for N cases, naive per-case CLIs against ``cpkit render``.

    .venv/bin/python benchmarks/render.py [--cases 200] [--format html|pdf]
                                          [--naive-sample 10] [--single-sample 10]
                                          [--workers N] [--clicks 5] [--db URL]
                                          [--refusals-only] [--startup-only [--rounds 5]]

Three ways, same run, same fictional demo cases (all with a CMR, so all have minutes):

* naive: per case the ``papermill`` CLI executes notebooks/case.ipynb (its parameters,
  the case document among them, from a file written beforehand: the kernel never
  reads the store, so the naive way is handed the case as ``cpkit render`` hands it),
  then the ``jupyter nbconvert`` CLI turns it into HTML (lab template, inputs hidden); for PDF
  the ``weasyprint`` CLI prints that page (nbconvert's own webpdf would download a
  browser, which this machine must not do).  Two or three processes and a kernel per case.
* ``cpkit render CASE`` one case at a time (checked, recorded, one kernel per case).
* ``cpkit render --all``: the batch (a warm kernel running several cases per call, one
  exporter reused).

The per-case ways take seconds a case, so by default they run on a sample of cases
(``--naive-sample``, ``--single-sample``; 0 = every case), half before and half after
the batch so that all three see the same machine load; their throughput is the
sample's.  Prints reports per second of each (wall clock; CPU seconds of the whole
process tree beside it: the machine is shared), the ratios, the peak memory (sum of
the RSS of the process tree, sampled every 50 ms), the load average, and the issue's
targets: one report at <= 0.5x the naive pair's time, the batch at >= 50x the naive
throughput for HTML, >= 15x for PDF, peak memory <= 1 GiB for 1,000 cases, and a
refused render (unknown case, no such document, not allowed) within 0.3 s.  Also the
batch's fixed start-up (``--cases`` of one case, whole process; target under 3 s) and
the supervisor dashboard's "Render latest" button (``--clicks`` per format, HTML and
PDF alternately, in this process as in the dashboard's kernel, its report kernel
warmed first as the page does; targets 1 s HTML, 2 s PDF).
``--db``: an EMPTY PostgreSQL database (SQLAlchemy URL) instead of SQLite.
``--refusals-only``: the refused renders alone (a quick look at target 5's refusals).
``--startup-only``: the batch's fixed start-up and one ``cpkit render CASE`` alone, in
``--rounds`` rounds (each round one of each, in turns; best and median), in the
``--format`` asked: what a change of the start-up is measured with, several times,
without the naive pairs and the batch.
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
import threading
import time
from pathlib import Path

import psutil

from cpkit.demo import generate_cases

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "case.ipynb"
AS_OF = dt.date(2026, 11, 22)
GIB = 1024 ** 3
TARGET = {"html": 50, "pdf": 15}
REFUSAL_TARGET = 0.3
SINGLE_TARGET = 0.5
STARTUP_TARGET = 3.0
BUTTON_TARGET = {"html": 1.0, "pdf": 2.0}


def cases_with_meetings(count: int) -> list:
    """``count`` fictional cases that have a CMR (so they have minutes)."""
    found, n = [], count * 3
    while len(found) < count:
        found = [c for c in generate_cases(n, seed=11, today=AS_OF) if c.meetings][:count]
        n *= 2
    return found


class Peak:
    """Peak of the summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(cmd: list[str], env: dict, expect: int = 0) -> tuple[float, float, int]:
    """Wall time, CPU time (the process and the children it waited for) and peak memory
    of one command (and its children)."""
    cpu = _cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = Peak(proc.pid)
    _out, err = proc.communicate()
    took = time.perf_counter() - start
    memory = peak.stop()
    if proc.returncode != expect:
        raise SystemExit(f"benchmark: {' '.join(Path(c).name for c in cmd[:3])} failed "
                         f"(exit {proc.returncode})\n{err.decode()[-2000:]}")
    return took, _cpu() - cpu, memory


def write_parameters(code: str, path: Path) -> None:
    """The naive way's papermill parameters (YAML; JSON is YAML): the case document as
    ``cpkit render`` reads it through the guard (redacted, as at its latest meeting)."""
    from cpkit.access import open_guarded_store
    from cpkit.reports import parameters
    from cpkit.reports.context import read_for_render

    guard = open_guarded_store(announce=False)
    try:
        ready = read_for_render(guard, code, "minutes", redact=True, lang="en", fmt="html",
                                as_of=AS_OF)
    finally:
        guard.close()
    path.write_text(json.dumps({
        "case_id": code, "report": "minutes", "as_of": AS_OF.isoformat(), "redact": True,
        "meeting_date": ready.meeting.date.isoformat(),
        "case_document": parameters.document_text(ready.record.case.to_document())}),
        encoding="utf-8")


def naive(code: str, out: Path, env: dict, fmt: str) -> tuple[float, float, int]:
    executed = out / f"{code}.ipynb"
    steps = [[str(BIN / "papermill"), str(NOTEBOOK), str(executed),
              "-f", str(out / f"{code}.params.json"), "--no-progress-bar"],
             [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
              "--output-dir", str(out), str(executed)]]
    if fmt == "pdf":
        steps.append([str(BIN / "weasyprint"), str(out / f"{code}.html"),
                      str(out / f"{code}.pdf")])
    took, cpu, memory = 0.0, 0.0, 0
    for step in steps:
        t, c, m = run(step, env)
        took, cpu, memory = took + t, cpu + c, max(memory, m)
    return took, cpu, memory


def single(code: str, out: Path, env: dict, fmt: str) -> tuple[float, float, int]:
    return run([str(BIN / "cpkit"), "render", code, "--report", "minutes", "--format", fmt,
                "--as-of", AS_OF.isoformat(), "-o", str(out)], env)


def batch(out: Path, env: dict, fmt: str, workers: int | None) -> tuple[float, float, int]:
    extra = ["--workers", str(workers)] if workers else []
    return run([str(BIN / "cpkit"), "render", "--all", "--report", "minutes", "--format", fmt,
                "--as-of", AS_OF.isoformat(), "-o", str(out), *extra], env)


def startup(code: str, out: Path, env: dict, fmt: str) -> tuple[float, float, int]:
    """The batch's fixed cost: ``cpkit render --cases FILE`` of one case, whole process."""
    listed = out / "one-case.txt"
    listed.write_text(code + "\n", encoding="utf-8")
    return run([str(BIN / "cpkit"), "render", "--cases", str(listed), "--report", "minutes",
                "--format", fmt, "--as-of", AS_OF.isoformat(), "-o", str(out / "one")], env)


def dashboard_button(codes: list[str], clicks: int) -> dict[str, list[float]]:
    """Seconds per click of the dashboard's "Render latest" (minutes), HTML and PDF, in
    this process as in the dashboard's kernel: its report kernel warmed first, as the
    page does once it is shown."""
    from cpkit.dashboard.widgets import Dashboard
    from cpkit.reports.pool import default_pool

    board = Dashboard(user="bench", today=AS_OF)
    board.warm_report_kernel()
    deadline = time.monotonic() + 300
    while default_pool().started < 1 and time.monotonic() < deadline:  # warm, not clicked
        time.sleep(0.05)
    board.kind.value = "minutes"
    taken: dict[str, list[float]] = {"html": [], "pdf": []}
    for i in range(clicks * 2):
        fmt = "html" if i % 2 == 0 else "pdf"
        board.case.value, board.fmt.value = codes[i % len(codes)], fmt
        start = time.perf_counter()
        board.render_button.click()
        taken[fmt].append(time.perf_counter() - start)
        if "Rendered" not in board.message.value:
            raise SystemExit(f"benchmark: the dashboard's render failed: {board.message.value}")
    return taken


def refusals(code: str, env: dict) -> list[tuple[str, float, float]]:
    """Wall and CPU seconds of three refused renders (best of three each)."""
    cpkit = str(BIN / "cpkit")
    asked = [("unknown case", ["ZZ-2026-9999", "--report", "minutes"], {}, 2),
             ("no such document", [code, "--report", "closure"], {}, 2),
             ("not allowed", [code, "--report", "minutes"], {"CPKIT_USER": "outsider"}, 1)]
    figures = []
    for label, args, extra, status in asked:
        best = min((run([cpkit, "render", *args], {**env, **extra}, expect=status)[:2]
                    for _ in range(3)), key=lambda f: f[0])
        figures.append((label, *best))
    return figures


def print_refusals(refused: list[tuple[str, float, float]]) -> None:
    print("refused renders (whole process, best of 3):")
    for label, wall, cpu in refused:
        print(f"  {label:<20} {wall:5.2f} s wall {cpu:5.2f} s cpu   target <= "
              f"{REFUSAL_TARGET} s: {'met' if wall <= REFUSAL_TARGET else 'NOT met'}")


def startups(codes: list[str], home: Path, env: dict, fmt: str, rounds: int
             ) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds of the batch's fixed start-up (a one-case batch) and of one
    ``cpkit render CASE``, ``rounds`` times each, in turns (the same load for both)."""
    taken: dict[str, list[tuple[float, float]]] = {"batch": [], "single": []}
    for n in range(rounds):
        out = home / f"startup-{n}"
        out.mkdir()
        taken["batch"].append(startup(codes[0], out, env, fmt)[:2])
        taken["single"].append(single(codes[n % len(codes)], out, env, fmt)[:2])
    return taken


def print_startups(taken: dict[str, list[tuple[float, float]]], fmt: str) -> None:
    labels = {"batch": "batch fixed start-up (--cases of one case)",
              "single": "cpkit render CASE (one report)"}
    for name, figures in taken.items():
        walls, cpus = [w for w, _c in figures], [c for _w, c in figures]
        met = "" if name != "batch" else (
            f"  (target < {STARTUP_TARGET} s: "
            f"{'met' if statistics.median(walls) < STARTUP_TARGET else 'NOT met'})")
        print(f"{labels[name]:<44} {fmt.upper():<4} wall median {statistics.median(walls):.2f} s "
              f"(best {min(walls):.2f}), cpu median {statistics.median(cpus):.2f} s "
              f"(best {min(cpus):.2f}), {len(figures)} rounds{met}")
        print("  rounds: " + ", ".join(f"{w:.2f}/{c:.2f}" for w, c in figures)
              + "  (wall/cpu s)")


def sample(codes: list[str], size: int) -> list[str]:
    if size <= 0 or size >= len(codes):
        return list(codes)
    step = len(codes) / size
    return [codes[int(i * step)] for i in range(size)]


def setup_store(count: int, db: str | None) -> list[str]:
    """Import ``count`` cases with a CMR; users: ``bench`` (admin, supervisor: renders every
    case) and ``outsider`` (a trainer: may not render a live case)."""
    from cpkit.access import Guard
    from cpkit.store import Store

    store = Store(db) if db else Store()
    try:
        codes = [r.case.case_id for r in store.import_cases(cases_with_meetings(count))]
        boss = Guard.for_user(store, "bench")
        boss.add_user("bench", ["admin", "supervisor"], None, None)
        Guard.for_user(store, "bench").add_user("outsider", ["trainer"], None, None)
    finally:
        store.close()
    return codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--format", choices=["html", "pdf"], default="html")
    parser.add_argument("--naive-sample", type=int, default=10,
                        help="cases timed the naive way (0: all of them)")
    parser.add_argument("--single-sample", type=int, default=10,
                        help="cases timed with `cpkit render CASE` (0: all of them)")
    parser.add_argument("--workers", type=int,
                        help="for --all (default: this process, one warm kernel)")
    parser.add_argument("--clicks", type=int, default=5,
                        help="dashboard 'Render latest' clicks timed per format (0: none)")
    parser.add_argument("--db", help="SQLAlchemy URL of an EMPTY PostgreSQL database "
                                     "(default: SQLite in a temporary home)")
    parser.add_argument("--refusals-only", action="store_true",
                        help="time the refused renders only")
    parser.add_argument("--startup-only", action="store_true",
                        help="time the batch's fixed start-up and one `cpkit render CASE` "
                             "only, --rounds times each")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of --startup-only (default 5)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cpkit-bench-render-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "CPKIT_HOME": str(home / "home"), "CPKIT_USER": "bench",
               "MPLBACKEND": "Agg"}
        env.pop("CPKIT_DB", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python caches compiled modules
        if args.db:
            env["CPKIT_DB"] = args.db
        os.environ.update({k: env[k] for k in ("CPKIT_HOME", "CPKIT_USER")})
        os.environ.pop("CPKIT_DB", None)
        if args.db:
            os.environ["CPKIT_DB"] = args.db
        codes = setup_store(args.cases, args.db)
        naive_codes = sample(codes, args.naive_sample)
        single_codes = sample(codes, args.single_sample)
        (home / "naive").mkdir()
        for code in naive_codes:
            write_parameters(code, home / "naive" / f"{code}.params.json")
        times: dict[str, list[float]] = {"naive": [], "single": []}
        cpus: dict[str, list[float]] = {"naive": [], "single": []}
        peaks: dict[str, int] = {"naive": 0, "single": 0}

        def per_case(part: slice) -> None:
            for name, fn, chosen in (("naive", naive, naive_codes),
                                     ("single", single, single_codes)):
                for code in chosen[part]:
                    out = home / name
                    out.mkdir(exist_ok=True)
                    took, cpu, memory = fn(code, out, env, args.format)
                    times[name].append(took)
                    cpus[name].append(cpu)
                    peaks[name] = max(peaks[name], memory)

        print(f"cases: {len(codes)}  format: {args.format}  store: "
              f"{'PostgreSQL' if args.db else 'SQLite'}  cores: {os.cpu_count()}  "
              f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
        if args.startup_only:
            print_startups(startups(codes, home, env, args.format, args.rounds), args.format)
            print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
            return
        refused = refusals(codes[0], env)
        if args.refusals_only:
            print_refusals(refused)
            print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
            return
        fixed = startup(codes[0], home, env, args.format)
        per_case(slice(0, None, 2))
        batch_time, batch_cpu, batch_peak = batch(home / "batch", env, args.format,
                                                  args.workers)
        rendered = len(list((home / "batch").glob(f"*/*.{args.format}")))
        per_case(slice(1, None, 2))
        button = dashboard_button(codes, args.clicks) if args.clicks else {}
        load_after = os.getloadavg()

    rate = {"naive": len(times["naive"]) / sum(times["naive"]),
            "single": len(times["single"]) / sum(times["single"]),
            "batch": rendered / batch_time}
    cpu_rate = {"naive": len(cpus["naive"]) / sum(cpus["naive"]),
                "single": len(cpus["single"]) / sum(cpus["single"]),
                "batch": rendered / batch_cpu}
    sampled = {"naive": len(naive_codes) < len(codes), "single": len(single_codes) < len(codes)}
    labels = {"naive": "naive (papermill CLI + nbconvert CLI" +
              (" + weasyprint CLI)" if args.format == "pdf" else ")"),
              "single": "cpkit render CASE, one at a time",
              "batch": "cpkit render --all"}
    print_refusals(refused)
    for name in ("naive", "single"):
        note = (f"sampled {len(times[name])} of {len(codes)} cases" if sampled[name]
                else f"all {len(codes)} cases")
        print(f"{labels[name]:<44} {rate[name]:8.3f} reports/s  "
              f"({1 / rate[name]:.2f} s wall, {1 / cpu_rate[name]:.2f} s cpu per case; "
              f"{note}; peak {peaks[name] / 2**20:.0f} MiB)")
    print(f"{labels['batch']:<44} {rate['batch']:8.3f} reports/s  "
          f"({rendered} reports in {batch_time:.1f} s wall, {batch_cpu:.1f} s cpu; "
          f"peak {batch_peak / 2**20:.0f} MiB)")
    ratio = rate["batch"] / rate["naive"]
    print(f"ratio batch / naive:  {ratio:7.1f}x wall, "
          f"{cpu_rate['batch'] / cpu_rate['naive']:.1f}x cpu  (target >= "
          f"{TARGET[args.format]}x: {'met' if ratio >= TARGET[args.format] else 'NOT met'})")
    print(f"ratio batch / single: {rate['batch'] / rate['single']:7.1f}x wall, "
          f"{cpu_rate['batch'] / cpu_rate['single']:.1f}x cpu")
    single_share = rate["naive"] / rate["single"]
    print(f"one report, cpkit render / naive pair: {single_share:.2f}x wall, "
          f"{cpu_rate['naive'] / cpu_rate['single']:.2f}x cpu  (target <= {SINGLE_TARGET}x: "
          f"{'met' if single_share <= SINGLE_TARGET else 'NOT met'})")
    print(f"batch fixed start-up (--cases of one case, whole process): {fixed[0]:.2f} s wall, "
          f"{fixed[1]:.2f} s cpu  (target < {STARTUP_TARGET} s: "
          f"{'met' if fixed[0] < STARTUP_TARGET else 'NOT met'})")
    for fmt, taken in button.items():
        median = statistics.median(taken)
        versus = (f", {median * rate['naive']:.2f}x the naive pair" if fmt == args.format
                  else "")
        print(f"dashboard 'Render latest' {fmt.upper():<4} (warm kernel, median of "
              f"{len(taken)}): {median:.2f} s{versus}  (target <= {BUTTON_TARGET[fmt]} s: "
              f"{'met' if median <= BUTTON_TARGET[fmt] else 'NOT met'})")
    print(f"batch peak memory: {batch_peak / 2**20:.0f} MiB "
          f"(target <= 1024 MiB: {'met' if batch_peak <= GIB else 'NOT met'})")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in load_after)}")
    if rendered != len(codes):
        raise SystemExit(f"benchmark: the batch rendered {rendered} of {len(codes)} cases")


if __name__ == "__main__":
    main()
