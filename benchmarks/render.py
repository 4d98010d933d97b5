"""Render benchmark: CMR minutes for N cases, naive per-case CLIs against ``cpkit render``.

    .venv/bin/python benchmarks/render.py [--cases 200] [--format html|pdf]
                                          [--naive-sample 10] [--single-sample 10]
                                          [--workers N]

Three ways, same run, same fictional demo cases (all with a CMR, so all have minutes):

* naive: per case the ``papermill`` CLI executes notebooks/case.ipynb, then the
  ``jupyter nbconvert`` CLI turns it into HTML (lab template, inputs hidden); for PDF
  the ``weasyprint`` CLI prints that page (nbconvert's own webpdf would download a
  browser, which this machine must not do).  Two or three processes and a kernel per case.
* ``cpkit render CASE`` one case at a time (checked, recorded, one kernel per case).
* ``cpkit render --all``: the batch (warm kernels, every core, reused exporters).

The per-case ways take seconds a case, so by default they run on a sample of cases
(``--naive-sample``, ``--single-sample``; 0 = every case), half before and half after
the batch so that all three see the same machine load; their throughput is the
sample's.  Prints reports per second of each, the ratios, the peak memory (sum of the
RSS of the process tree, sampled every 50 ms) and the issue's targets: HTML at >= 50x
the naive throughput, PDF at >= 10x, peak memory <= 1 GiB for 1,000 cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from cpkit.demo import generate_cases
from cpkit.store import Store

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "case.ipynb"
AS_OF = dt.date(2026, 11, 22)
GIB = 1024 ** 3
TARGET = {"html": 50, "pdf": 10}


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


def run(cmd: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak memory of one command (and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak = Peak(proc.pid)
    code = proc.wait()
    took = time.perf_counter() - start
    memory = peak.stop()
    if code:
        raise SystemExit(f"benchmark: {Path(cmd[0]).name} failed (exit {code})")
    return took, memory


def naive(code: str, out: Path, env: dict, fmt: str) -> tuple[float, int]:
    executed = out / f"{code}.ipynb"
    steps = [[str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-p", "case_id", code,
              "-p", "report", "minutes", "-p", "as_of", AS_OF.isoformat(),
              "--no-progress-bar"],
             [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
              "--output-dir", str(out), str(executed)]]
    if fmt == "pdf":
        steps.append([str(BIN / "weasyprint"), str(out / f"{code}.html"),
                      str(out / f"{code}.pdf")])
    took, memory = 0.0, 0
    for step in steps:
        t, m = run(step, env)
        took, memory = took + t, max(memory, m)
    return took, memory


def single(code: str, out: Path, env: dict, fmt: str) -> tuple[float, int]:
    return run([str(BIN / "cpkit"), "render", code, "--report", "minutes", "--format", fmt,
                "--as-of", AS_OF.isoformat(), "-o", str(out)], env)


def batch(out: Path, env: dict, fmt: str, workers: int | None) -> tuple[float, int]:
    extra = ["--workers", str(workers)] if workers else []
    return run([str(BIN / "cpkit"), "render", "--all", "--report", "minutes", "--format", fmt,
                "--as-of", AS_OF.isoformat(), "-o", str(out), *extra], env)


def sample(codes: list[str], size: int) -> list[str]:
    if size <= 0 or size >= len(codes):
        return list(codes)
    step = len(codes) / size
    return [codes[int(i * step)] for i in range(size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--format", choices=["html", "pdf"], default="html")
    parser.add_argument("--naive-sample", type=int, default=10,
                        help="cases timed the naive way (0: all of them)")
    parser.add_argument("--single-sample", type=int, default=10,
                        help="cases timed with `cpkit render CASE` (0: all of them)")
    parser.add_argument("--workers", type=int, help="for --all (default: every core)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cpkit-bench-render-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "CPKIT_HOME": str(home / "home"), "CPKIT_USER": "bench",
               "MPLBACKEND": "Agg"}
        env.pop("CPKIT_DB", None)
        os.environ.update({"CPKIT_HOME": env["CPKIT_HOME"]})
        store = Store()
        codes = [r.case.case_id for r in store.import_cases(cases_with_meetings(args.cases))]
        store.close()
        naive_codes = sample(codes, args.naive_sample)
        single_codes = sample(codes, args.single_sample)
        times: dict[str, list[float]] = {"naive": [], "single": []}
        peaks: dict[str, int] = {"naive": 0, "single": 0}

        def per_case(part: slice) -> None:
            for name, fn, chosen in (("naive", naive, naive_codes),
                                     ("single", single, single_codes)):
                for code in chosen[part]:
                    out = home / name
                    out.mkdir(exist_ok=True)
                    took, memory = fn(code, out, env, args.format)
                    times[name].append(took)
                    peaks[name] = max(peaks[name], memory)

        print(f"cases: {len(codes)}  format: {args.format}  cores: {os.cpu_count()}  "
              f"load average: {os.getloadavg()[0]:.1f}", flush=True)
        per_case(slice(0, None, 2))
        batch_time, batch_peak = batch(home / "batch", env, args.format, args.workers)
        rendered = len(list((home / "batch").glob(f"*/*.{args.format}")))
        per_case(slice(1, None, 2))

    rate = {"naive": len(times["naive"]) / sum(times["naive"]),
            "single": len(times["single"]) / sum(times["single"]),
            "batch": rendered / batch_time}
    sampled = {"naive": len(naive_codes) < len(codes), "single": len(single_codes) < len(codes)}
    labels = {"naive": "naive (papermill CLI + nbconvert CLI" +
              (" + weasyprint CLI)" if args.format == "pdf" else ")"),
              "single": "cpkit render CASE, one at a time",
              "batch": "cpkit render --all"}
    for name in ("naive", "single"):
        note = (f"sampled {len(times[name])} of {len(codes)} cases" if sampled[name]
                else f"all {len(codes)} cases")
        print(f"{labels[name]:<44} {rate[name]:8.3f} reports/s  "
              f"({1 / rate[name]:.2f} s per case; {note}; peak {peaks[name] / 2**20:.0f} MiB)")
    print(f"{labels['batch']:<44} {rate['batch']:8.3f} reports/s  "
          f"({rendered} reports in {batch_time:.1f} s; peak {batch_peak / 2**20:.0f} MiB)")
    print(f"ratio batch / naive:  {rate['batch'] / rate['naive']:7.1f}x  "
          f"(target >= {TARGET[args.format]}x: "
          f"{'met' if rate['batch'] / rate['naive'] >= TARGET[args.format] else 'NOT met'})")
    print(f"ratio batch / single: {rate['batch'] / rate['single']:7.1f}x")
    print(f"ratio single / naive: {rate['single'] / rate['naive']:7.1f}x")
    print(f"batch peak memory: {batch_peak / 2**20:.0f} MiB "
          f"(target <= 1024 MiB: {'met' if batch_peak <= GIB else 'NOT met'})")
    if rendered != len(codes):
        raise SystemExit(f"benchmark: the batch rendered {rendered} of {len(codes)} cases")


if __name__ == "__main__":
    main()
