"""Hub benchmark: a Task Force morning on one server (JupyterHub, Voila, PostgreSQL).

    .venv/bin/python benchmarks/hub.py [--users 20 50] [--writers 20] [--saves 30]
                                       [--db POSTGRESQL_URL] [--reread] [--no-base]
                                       [--waits] [--over SECONDS]

``--users 0`` runs the saves part alone (no hub, no browser, no logins).

Starts ``cpkit hub`` on loopback over a fresh PostgreSQL database (default: a new
database on the test server of ``scripts/pg-test-server``, dropped afterwards), with one
case manager (and one case) per user.  Then:

1. **logins**: N users log in at once (``--over S``: one after the other, evenly
   spread over S seconds, as a Task Force's morning arrives) through the hub's login
   page in headless
   Chromium (one browser, a context per user), land on their caseload (their Voila is
   started for them), then open the risk form of their case.  Prints logins per
   second (the hub's answers to the login form), the time to a usable page (login to
   caseload shown: includes starting the user's server) and the time to a usable form
   (navigation to the risk banner shown, server running) at the 50th and 95th
   percentile.
2. **saves**: W writers save at once through cpkit's guarded store on PostgreSQL,
   each in its own process (as each member's Voila is), half of their saves to their
   own case and half to three shared cases, each save adding a unique mark to the
   case, made as a form makes a save (a copy of the document it holds with the mark
   written in, validated with the rules in the writer's process; no copy of the case
   model) (after one save of its own case before the clock, audited and checked like
   the others, so the modules a first save loads are not timed); a writer saves
   again from the document and version its save returned (``--reread``: also a run
   reading the case before every save); a version conflict
   is counted, the case re-read and the save tried again.  Then the same again with
   the merge base, as a form saves (the document its record held: a stale save is
   merged field by field in the store, two writers' marks both kept; a
   :class:`MergeConflict`, were there one, is counted and re-read like a conflict;
   ``--no-base``: not this run).  Every save is audited:
   the audit rows are counted against the accepted saves.  Prints saves per second
   and conflicts, then compares the final store with the accepted saves: every
   accepted mark must be there (zero lost writes).

Targets on a 2-core machine: 20 users with a usable page at p95 <= 5 s; >= 200
saves/s; zero lost writes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "Bench-Kujdes-2026"
SHARED = ("SH-2026-0001", "SH-2026-0002", "SH-2026-0003")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


# --- set-up ---------------------------------------------------------------------------

def fresh_database(base: str | None) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if base is None:
        base = subprocess.run([str(ROOT / "scripts" / "pg-test-server")], check=True,
                              capture_output=True, text=True).stdout.strip()
    url = make_url(base)
    name = f"cpkit_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def seed(store_url: str, users: int, writers: int) -> None:
    """Cases (one per user and writer, three shared), cpkit users, hub logins."""
    import json

    from cpkit import exchange
    from cpkit.access.users import add_user
    from cpkit.hub.config import HubSettings, add_login
    from cpkit.paths import home
    from cpkit.store import Store

    document = json.loads((ROOT / "tests/fixtures/case_high_physical.json").read_text())
    cases = []
    for i in range(1, users + 1):
        cases.append({**document, "case_id": f"BM-2026-{i:04d}",
                      "case_manager": f"Bench Manager {i}"})
    for i in range(1, writers + 1):
        cases.append({**document, "case_id": f"WR-2026-{i:04d}", "case_manager": "Writer"})
    cases += [{**document, "case_id": code, "case_manager": "Writer"} for code in SHARED]
    store = Store(store_url)
    store.import_cases([exchange.load_case(d) for d in cases], actor="bench")
    add_user(store, "bench-admin", ["admin", "supervisor"], None, None, by="bench")
    for i in range(1, users + 1):
        add_user(store, f"cm{i:02d}", ["case_manager"], None, f"Bench Manager {i}",
                 by="bench-admin")
    store.close()
    settings = HubSettings(folder=home() / "hub", store_url=store_url)
    for i in range(1, users + 1):
        add_login(settings, f"cm{i:02d}", PASSWORD)


def start_hub(env: dict, port: int, log: Path) -> subprocess.Popen:
    import urllib.request

    out = open(log, "ab")  # noqa: SIM115 - the hub's whole life
    process = subprocess.Popen([str(Path(sys.executable).parent / "cpkit"), "hub", "--port",
                                str(port)], env=env, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api/", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    tail = log.read_text(errors="replace").splitlines()[-30:]  # the folder goes with the run
    stop_hub(env)  # what it started (its proxy) would outlive the run otherwise
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the hub and its children
    raise SystemExit("the hub did not start within 120 s; the end of its log:\n"
                     + "\n".join(tail))


# --- 1. logins and pages --------------------------------------------------------------

async def one_user(browser, port: int, i: int, delay: float = 0.0) -> dict:
    name, case = f"cm{i:02d}", f"BM-2026-{i:04d}"
    hub = f"http://127.0.0.1:{port}"
    from playwright.async_api import Error as Timeout  # a timeout, an aborted page

    await asyncio.sleep(delay)  # this user's arrival
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.set_default_timeout(300_000)
    start = logged_in = time.perf_counter()
    ok_login = False
    try:
        await page.goto(f"{hub}/hub/login")
        await page.fill("input[name=username]", name)
        await page.fill("input[name=password]", PASSWORD)
        start = time.perf_counter()
        async with page.expect_response(lambda r: r.request.method == "POST"
                                        and "/hub/login" in r.url) as answer:
            await page.click("#login_submit, input[type=submit], button[type=submit]")
        ok_login = (await answer.value).status == 302
        logged_in = time.perf_counter()
        await page.wait_for_function(
            "document.querySelector('.cpkit-caseload') && "
            f"document.querySelector('.cpkit-caseload').innerText.includes('{case}')")
        shown = time.perf_counter()
        begin = time.perf_counter()
        await page.goto(f"{hub}/user/{name}/voila/render/risk.ipynb?case={case}")
        await page.locator(".cpkit-risk-banner .cpkit-banner").wait_for(state="visible")
        form = time.perf_counter() - begin
        return {"ok": ok_login, "login": logged_in - start, "login_at": logged_in,
                "start": start, "page": shown - start, "form": form}
    except Timeout:  # counted and said (not usable), not a crash of the whole run
        try:
            shown = " ".join((await page.inner_text("body", timeout=5_000)).split())[-160:]
        except Timeout:
            shown = "(nothing)"
        print(f"  not usable ({time.strftime('%H:%M:%S')}): {name} at"
              f" {page.url.split('?')[0]} showing: {shown}")
        return {"ok": ok_login, "login": logged_in - start, "login_at": logged_in,
                "start": start, "page": None, "form": None}
    finally:
        await context.close()


async def logins(port: int, users: int, over: float = 0.0) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            return await asyncio.gather(*(one_user(browser, port, i, (i - 1) * over / users)
                                          for i in range(1, users + 1)))
        finally:
            await browser.close()


class CpuByKind:
    """CPU seconds of this run's processes (this benchmark's descendants: the hub, its
    proxy, the zygote and what it forked, the browser) by kind, sampled twice a second
    while the logins run: where a user's login goes (a process that ends between two
    samples loses its last half second)."""

    KINDS = (("cpkit-kernel", "kernels"), ("cpkit-voila", "Voila"),
             ("singleuser", "users' servers (hub-authenticated proxy)"),
             ("serve_zygote", "the hub's zygote"), ("serve_launch", "launchers"),
             ("jupyterhub_idle_culler", "idle culler"), ("jupyterhub", "the hub"),
             ("configurable-http-proxy", "the hub's proxy (node)"),
             ("chrom", "the browser (Chromium: the users' machines in real life)"),
             ("playwright", "the browser's driver (Playwright)"))

    def __enter__(self) -> CpuByKind:
        import threading

        self.seen: dict[int, tuple[str, float]] = {}
        self.base = {pid: seconds for pid, (_k, seconds) in self._now().items()}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()

    def _kind(self, process) -> str:
        text = process.name() + " " + " ".join(process.cmdline()[:4])
        return next((label for key, label in self.KINDS if key in text), "other")

    def _now(self) -> dict[int, tuple[str, float]]:
        import psutil

        found = {}
        for process in psutil.Process().children(recursive=True):
            try:
                kind = self.seen.get(process.pid, (None,))[0] or self._kind(process)
                times = process.cpu_times()
                found[process.pid] = (kind, times.user + times.system)
            except psutil.Error:
                continue
        return found

    def _sample(self) -> None:
        while not self.done.wait(0.5):
            self.seen.update(self._now())

    def report(self, users: int) -> None:
        """Each kind's CPU seconds per user during the logins (a process already
        running before them, such as the warmed-up zygote: only what it spent since)."""
        totals: dict[str, float] = {}
        for pid, (kind, seconds) in self.seen.items():
            totals[kind] = totals.get(kind, 0.0) + seconds - self.base.get(pid, 0.0)
        print("  CPU per user by process kind (s):")
        for kind, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"    {seconds / users:6.2f}  {kind}")
        print(f"    {sum(totals.values()) / users:6.2f}  all of them")
        server = sum(v for k, v in totals.items()
                     if not k.startswith("the browser") and k != "other") / users
        print(f"  the server's CPU per login: {server:.2f} s, so {os.cpu_count()} cores serve at"
              f" most {os.cpu_count() / server:.1f} logins with both pages per second")


# --- 2. concurrent writers ------------------------------------------------------------

def writer(store_url: str, w: int, saves: int, mode: str, ready, go, results) -> None:
    """One writer, in its own process (as each Task Force member's Voila is): ``saves``
    accepted saves through its own guarded store, each made as a form makes it (a
    copy of the document it holds with the change written in, validated in the
    writer).  It keeps the document and version its save returned and saves again
    from them (mode ``reread``: reads the case before every save instead; ``base``:
    saves with that document as the merge base, as a form does); a
    :class:`Conflict` is counted, the case read again and the save tried again."""
    from cpkit.access import open_guarded_store
    from cpkit.errors import Conflict
    from cpkit.exchange import load_case
    from cpkit.model import copy_document

    def edited(document: dict, mark: str):
        # What a form's save does with the document it holds: a deep copy with the
        # user's change written in (BaseForm.collect), validated with the rules
        # (BaseForm.validate, in the member's kernel, so counted here); the store then
        # does not validate that case again.  Not a deep copy of the case model: no
        # form makes one.
        document = copy_document(document)
        document["bench_marks"] = [*document.get("bench_marks", []), mark]
        return load_case(document)

    def kept(record) -> tuple[dict, int]:
        # What a form keeps of a case it read or saved (BaseForm.after_save): the
        # document (the one its save stored, when the record has it), its merge base
        # for the next save, and the version.
        return record.as_document(), record.version

    guard = open_guarded_store(store_url, user="bench-admin", announce=False)
    held: dict = {code: kept(guard.get(code, "edit"))
                  for code in (f"WR-2026-{w:04d}", *SHARED)}
    # One save of its own case before the clock starts (audited and checked like the
    # others, not timed): the modules a save loads on first use, as a member's kernel
    # has them loaded by the time they save, are not charged to the timed saves.
    own = f"WR-2026-{w:04d}"
    document, version = held[own]
    held[own] = kept(guard.save(edited(document, f"{mode[0]}{w}-warm"), version,
                                base=document))
    accepted: dict[str, list[str]] = {own: [f"{mode[0]}{w}-warm"]}
    conflicts = 0
    ready.release()
    go.wait()
    cpu, start = time.process_time(), time.perf_counter()
    try:
        for n in range(saves):
            code = f"WR-2026-{w:04d}" if n % 2 else SHARED[(w + n) % len(SHARED)]
            mark = f"{mode[0]}{w}-{n}"  # unique across the runs
            while True:
                document, version = kept(guard.get(code, "edit")) if mode == "reread" \
                    else held[code]
                base = document if mode == "base" else None
                try:
                    held[code] = kept(guard.save(edited(document, mark), version, base=base))
                    break
                except Conflict:  # a MergeConflict too (none expected: marks merge)
                    conflicts += 1
                    held[code] = kept(guard.get(code, "edit"))
            accepted.setdefault(code, []).append(mark)
    finally:
        guard.close()
        results.put({"accepted": accepted, "conflicts": conflicts, "start": start,
                     "end": time.perf_counter(), "cpu": time.process_time() - cpu})


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def server_postmaster(store_url: str) -> int | None:
    """The process id of the PostgreSQL server holding ``store_url`` (the parent of the
    backend serving a connection), ``None`` when it is not a process of this machine."""
    import psutil
    from sqlalchemy import create_engine, text

    engine = create_engine(store_url)
    try:
        with engine.connect() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        return psutil.Process(backend).ppid()
    except psutil.Error:
        return None
    finally:
        engine.dispose()


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds of the PostgreSQL server ``pid`` so far (postmaster and its reaped
    backends; other users' databases on it included), ``None`` when not readable."""
    import psutil

    if pid is None:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return None
    return times.user + times.system + times.children_user + times.children_system


class WaitSampler:
    """What the writers' database sessions are doing, sampled every ``every`` seconds
    from ``pg_stat_activity`` while the run lasts (``--waits``): running a statement,
    waiting for a lock (which), waiting for the writer inside a transaction (its
    Python, or its turn on a CPU) or idle between transactions."""

    def __init__(self, store_url: str, every: float = 0.02):
        import threading

        self.url, self.every = store_url, every
        self.counts: dict[str, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WaitSampler:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        query = text("SELECT state, wait_event_type, wait_event, left(query, 60) FROM "
                     "pg_stat_activity WHERE datname = current_database() AND "
                     "backend_type = 'client backend' AND pid <> pg_backend_pid()")
        try:
            with engine.connect() as conn:
                while not self.stop.wait(self.every):
                    for state, kind, event, sql in conn.execute(query):
                        what = self.describe(state, kind, event, sql)
                        self.counts[what] = self.counts.get(what, 0) + 1
        finally:
            engine.dispose()

    @staticmethod
    def describe(state: str | None, kind: str | None, event: str | None, sql: str) -> str:
        statement = " ".join((sql or "").split())[:40]
        if state == "idle":
            return "idle (between transactions: the writer's Python or its CPU turn)"
        if state == "idle in transaction":
            return f"in a transaction, waiting for the writer (after: {statement})"
        if kind == "Lock":
            return f"waiting for a {event} lock ({statement})"
        if kind:
            return f"waiting: {kind}/{event} ({statement})"
        return f"running ({statement})"

    def report(self) -> None:
        total = sum(self.counts.values()) or 1
        print(f"  what the writers' sessions were doing ({total} samples of pg_stat_activity):")
        for what, n in sorted(self.counts.items(), key=lambda item: -item[1])[:12]:
            print(f"    {n / total:6.1%}  {what}")


def writers(store_url: str, count: int, saves: int, mode: str = "held",
            waits: bool = False) -> dict:
    """``count`` writer processes started at once, ``saves`` accepted saves each."""
    import multiprocessing

    from sqlalchemy import func, select

    from cpkit.store import Store
    from cpkit.store.schema import audit

    mp = multiprocessing.get_context("spawn")  # no engine or thread of ours inherited
    ready, go, results = mp.Semaphore(0), mp.Event(), mp.Queue()
    procs = [mp.Process(target=writer, args=(store_url, w, saves, mode, ready, go, results))
             for w in range(1, count + 1)]
    store = Store(store_url, migrate=False)
    with store.engine.connect() as conn:
        audited_before = conn.execute(select(func.count()).select_from(audit)
                                      .where(audit.c.action == "update")).scalar()
    for p in procs:
        p.start()
    for _ in procs:  # every writer started, imported and connected: then all at once
        ready.acquire()
    postmaster = server_postmaster(store_url)
    load = os.getloadavg()[0]
    busy, pg = machine_busy(), server_cpu(postmaster)
    sampler = WaitSampler(store_url) if waits else contextlib.nullcontext()
    with sampler:
        go.set()
        done = [results.get() for _ in procs]
    busy = [b - a for a, b in zip(busy, machine_busy(), strict=True)]
    for p in procs:
        p.join()
    pg_after = server_cpu(postmaster)
    pg = pg_after - pg if pg is not None and pg_after is not None else None
    elapsed = max(d["end"] for d in done) - min(d["start"] for d in done)
    accepted: dict[str, list[str]] = {}
    for d in done:
        for code, marks in d["accepted"].items():
            accepted.setdefault(code, []).extend(marks)
    lost = 0
    try:
        for code, marks in accepted.items():
            stored = (store.get(code).case.model_extra or {}).get("bench_marks", [])
            lost += len(set(marks) - set(stored)) + (len(stored) - len(set(stored)))
        with store.engine.connect() as conn:
            audited = conn.execute(select(func.count()).select_from(audit)
                                   .where(audit.c.action == "update")).scalar() - audited_before
    finally:
        store.close()
    total = sum(len(m) for m in accepted.values()) - count  # the warm-up saves not timed
    return {"saves": total, "warm": count, "seconds": elapsed,
            "conflicts": sum(d["conflicts"] for d in done),
            "lost": lost, "audited": audited, "cpu": sum(d["cpu"] for d in done),
            "busy": busy[0] / busy[1] if busy[1] else 0.0, "mode": mode, "pg": pg,
            "load": (load, os.getloadavg()[0]),
            "waits": sampler if waits else None}


# --- the run --------------------------------------------------------------------------

def stop_hub(env: dict) -> None:
    subprocess.run([str(Path(sys.executable).parent / "cpkit"), "hub", "stop"], env=env,
                   capture_output=True, timeout=120)


def left_running(home: str, port: int) -> list[str]:
    """What of this run's hub still runs: its proxy (by its port) and any process with
    the run's data folder in its environment (hub, zygote, users' servers, kernels)."""
    import psutil

    found = []
    ours = {c.pid for c in psutil.Process().children()}  # multiprocessing's helper
    for process in psutil.process_iter():
        if process.pid in ours:
            continue
        try:
            args = process.cmdline()
            proxy = ["--port", str(port)] in map(list, itertools.pairwise(args))
            if proxy or process.environ().get("CPKIT_HOME") == home:
                found.append(f"{process.pid} {process.name()}")
        except psutil.Error:
            continue
    return found


def keep_logs(tmp: Path) -> Path:
    """Copy the run's logs (the hub's, with every user's server and Voila in it, and
    the zygote's) out of the folder about to be deleted; where they went."""
    import shutil

    kept = Path(tempfile.mkdtemp(prefix="cpkit-hub-bench-logs-"))
    for log in [tmp / "hub.log", *sorted((tmp / "hub").rglob("*.log"))]:
        if log.is_file():
            target = kept / log.relative_to(tmp)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, target)
    return kept


def run_users(users: int, args, base_db: str | None) -> None:
    from cpkit.serve import free_port

    store_url, drop = fresh_database(base_db)
    failed = True  # until every user had a usable page
    with tempfile.TemporaryDirectory(prefix="cpkit-hub-bench-") as tmp:
        env = {**os.environ, "CPKIT_HOME": tmp, "CPKIT_DB": store_url,
               "CPKIT_USER": "bench-admin", "PYTHONPATH": str(ROOT)}
        env.pop("JUPYTERHUB_USER", None)
        os.environ.update(CPKIT_HOME=tmp, CPKIT_DB=store_url, CPKIT_USER="bench-admin")
        process = None
        try:
            seed(store_url, users, args.writers)
            if users:  # --users 0: the writers only, no hub
                port = free_port()
                process = start_hub(env, port, Path(tmp) / "hub.log")
                before, load = machine_busy(), os.getloadavg()[0]
                with CpuByKind() as kinds:
                    results = asyncio.run(logins(port, users, args.over))
                busy = [b - a for a, b in zip(before, machine_busy(), strict=True)]
                report_logins(users, results, busy, args.over)
                print(f"  load average (1 min):       {load:.1f} at the start,"
                      f" {os.getloadavg()[0]:.1f} at the end")
                kinds.report(users)
                failed = any(r["form"] is None for r in results)
            else:
                failed = False
            modes = ["held"] + ["reread"] * args.reread + ["base"] * (not args.no_base)
            for mode in modes:
                report_saves(args.writers, writers(store_url, args.writers, args.saves, mode,
                                                   args.waits))
        finally:
            if process is not None:
                stop_hub(env)
                process.wait(timeout=60)
                left = left_running(tmp, port)
                if left:
                    failed = True
                    print(f"  LEFT RUNNING after `cpkit hub stop`: {', '.join(left)}")
                if failed:
                    print(f"  logs of the failed run kept in {keep_logs(Path(tmp))}")
            drop()


def report_logins(users: int, results: list[dict], busy: list[int], over: float = 0.0) -> None:
    first = min(r["start"] for r in results)
    last = max(r["login_at"] for r in results)
    pages = [r["page"] for r in results if r["page"] is not None] or [float("nan")]
    forms = [r["form"] for r in results if r["form"] is not None] or [float("nan")]
    late = sum(r["form"] is None for r in results)
    print(f"\n{users} users logging in " + (f"over {over:.0f} s (one every {over / users:.1f} s)"
                                            if over else "at once"))
    print(f"  logins accepted:            {sum(r['ok'] for r in results)}/{users}")
    print(f"  logins per second:          {users / (last - first):.1f}")
    print(f"  login answer p50/p95:       {statistics.median([r['login'] for r in results]):.2f}"
          f" / {percentile([r['login'] for r in results], 95):.2f} s")
    print(f"  usable page (login -> caseload, server started) p50/p95: "
          f"{statistics.median(pages):.1f} / {percentile(pages, 95):.1f} s"
          + (f"  target (20 users) p95 <= 5 s: "
             f"{'met' if not late and percentile(pages, 95) <= 5 else 'NOT met'}"
             if users <= 20 else ""))
    print(f"  usable form (risk form, server running) p50/p95: "
          f"{statistics.median(forms):.1f} / {percentile(forms, 95):.1f} s")
    if late:
        print(f"  NOT USABLE (300 s timeout or page aborted): {late}/{users} users (figures above:"
              " the others)")
    hz = os.sysconf("SC_CLK_TCK")
    print(f"  machine CPU per user:       {busy[0] / hz / users:.2f} s (login, server, both"
          f" pages, the browser; busy {busy[0] / busy[1]:.0%} of {os.cpu_count()} cores, other"
          " users of the machine included)")


def report_saves(count: int, result: dict) -> None:
    rate = result["saves"] / result["seconds"]
    how = {"held": "each saving from its last save, no merge base",
           "reread": "a read before every save, no merge base",
           "base": "each saving from its last save with its merge base, as a form"}[
        result["mode"]]
    print(f"{count} concurrent writer processes on PostgreSQL (guarded store, {how})")
    # The target is a form's way of saving (a merge base, so a clash is merged); the
    # other ways re-read or retry on every clash, for comparison only.
    verdict = (f"target >= 200: {'met' if rate >= 200 else 'NOT met'}"
               if result["mode"] == "base" else "(no target: the target is a form's way)")
    print(f"  saves accepted:             {result['saves']} in {result['seconds']:.1f} s"
          f" = {rate:.0f} saves/s  {verdict}")
    print(f"  conflicts reported:         {result['conflicts']} (re-read and saved again)")
    saves = result["saves"] + result["warm"]
    print(f"  audited saves:              {result['audited']} (with {result['warm']} warm-up"
          " saves, one a writer, before the clock)"
          + ("  OK" if result["audited"] == saves else "  NOT ALL AUDITED"))
    print(f"  lost writes:                {result['lost']}"
          + ("  OK" if result["lost"] == 0 else "  LOST WRITES"))
    print(f"  writers' CPU per save:      {result['cpu'] / result['saves'] * 1000:.1f} ms"
          f" (machine busy {result['busy']:.0%} of {os.cpu_count()} cores during the run,"
          " PostgreSQL and other users included)")
    print(f"  load average (1 min):       {result['load'][0]:.1f} at the start,"
          f" {result['load'][1]:.1f} at the end (2 cores: above 2, others wait too)")
    if result["pg"] is not None:
        print(f"  PostgreSQL CPU per save:    {result['pg'] / result['saves'] * 1000:.1f} ms"
              " (the whole test server: other databases on it included)")
    if result["waits"] is not None:
        result["waits"].report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50],
                        help="users logging in at once, one run each (0: writers only)")
    parser.add_argument("--over", type=float, default=0.0,
                        help="spread the users' logins evenly over this many seconds"
                             " (default 0: all at once)")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--saves", type=int, default=30, help="accepted saves per writer")
    parser.add_argument("--db", help="a PostgreSQL server URL (a database is created)")
    parser.add_argument("--reread", action="store_true",
                        help="also run the writers reading the case before every save")
    parser.add_argument("--no-base", action="store_true",
                        help="leave out the run saving with the merge base (as a form)")
    parser.add_argument("--waits", action="store_true",
                        help="sample what the writers' database sessions wait for")
    args = parser.parse_args()
    for users in args.users:
        run_users(users, args, args.db)


if __name__ == "__main__":
    main()
