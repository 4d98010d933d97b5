"""Hub benchmark: a Task Force morning on one server (JupyterHub, Voila, PostgreSQL).

    .venv/bin/python benchmarks/hub.py [--users 20 50] [--writers 20] [--saves 30]
                                       [--db POSTGRESQL_URL]

Starts ``cpkit hub`` on loopback over a fresh PostgreSQL database (default: a new
database on the test server of ``scripts/pg-test-server``, dropped afterwards), with one
case manager (and one case) per user.  Then:

1. **logins**: N users log in at once through the hub's login page in headless
   Chromium (one browser, a context per user), land on their caseload (their Voila is
   started for them), then open the risk form of their case.  Prints logins per
   second (the hub's answers to the login form), the time to a usable page (login to
   caseload shown: includes starting the user's server) and the time to a usable form
   (navigation to the risk banner shown, server running) at the 50th and 95th
   percentile.
2. **saves**: W writers save at once through cpkit's guarded store on PostgreSQL,
   half of their saves to their own case and half to three shared cases, each save
   adding a unique mark to the case; a version conflict is counted, the case re-read
   and the save tried again.  Prints saves per second and conflicts, then compares
   the final store with the accepted saves: every accepted mark must be there
   (zero lost writes).

Targets on a 2-core machine: 20 users with a usable page at p95 <= 5 s; >= 200
saves/s; zero lost writes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
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
    raise SystemExit("the hub did not start; see " + str(log))


# --- 1. logins and pages --------------------------------------------------------------

async def one_user(browser, port: int, i: int) -> dict:
    name, case = f"cm{i:02d}", f"BM-2026-{i:04d}"
    hub = f"http://127.0.0.1:{port}"
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.set_default_timeout(300_000)
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
    finally:
        await context.close()


async def logins(port: int, users: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            return await asyncio.gather(*(one_user(browser, port, i)
                                          for i in range(1, users + 1)))
        finally:
            await browser.close()


# --- 2. concurrent writers ------------------------------------------------------------

def writers(store_url: str, count: int, saves: int) -> dict:
    """``count`` threads, ``saves`` accepted saves each, through the guarded store."""
    from cpkit.access import open_guarded_store
    from cpkit.errors import Conflict

    accepted: dict[str, list[str]] = {}
    conflicts = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def work(w: int) -> None:
        guard = open_guarded_store(store_url, user="bench-admin", announce=False)
        try:
            barrier.wait()
            for n in range(saves):
                code = f"WR-2026-{w:04d}" if n % 2 else SHARED[(w + n) % len(SHARED)]
                mark = f"w{w}-{n}"
                while True:
                    record = guard.get(code, "edit")
                    case = record.case.model_copy(deep=True)
                    marks = list((case.model_extra or {}).get("bench_marks", []))
                    case.__pydantic_extra__["bench_marks"] = [*marks, mark]
                    try:
                        guard.save(case, record.version)
                        break
                    except Conflict:
                        with lock:
                            conflicts[0] += 1
                with lock:
                    accepted.setdefault(code, []).append(mark)
        finally:
            guard.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(1, count + 1)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start

    from cpkit.store import Store

    store = Store(store_url, migrate=False)
    lost = 0
    try:
        for code, marks in accepted.items():
            stored = (store.get(code).case.model_extra or {}).get("bench_marks", [])
            lost += len(set(marks) - set(stored)) + (len(stored) - len(set(stored)))
    finally:
        store.close()
    total = sum(len(m) for m in accepted.values())
    return {"saves": total, "seconds": elapsed, "conflicts": conflicts[0], "lost": lost}


# --- the run --------------------------------------------------------------------------

def stop_hub(env: dict) -> None:
    subprocess.run([str(Path(sys.executable).parent / "cpkit"), "hub", "stop"], env=env,
                   capture_output=True, timeout=120)


def run_users(users: int, args, base_db: str | None) -> None:
    from cpkit.serve import free_port

    store_url, drop = fresh_database(base_db)
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
                results = asyncio.run(logins(port, users))
                report_logins(users, results)
            report_saves(args.writers, writers(store_url, args.writers, args.saves))
        finally:
            if process is not None:
                stop_hub(env)
                process.wait(timeout=60)
            drop()


def report_logins(users: int, results: list[dict]) -> None:
    first = min(r["start"] for r in results)
    last = max(r["login_at"] for r in results)
    pages = [r["page"] for r in results]
    forms = [r["form"] for r in results]
    print(f"\n{users} users logging in at once")
    print(f"  logins accepted:            {sum(r['ok'] for r in results)}/{users}")
    print(f"  logins per second:          {users / (last - first):.1f}")
    print(f"  login answer p50/p95:       {statistics.median([r['login'] for r in results]):.2f}"
          f" / {percentile([r['login'] for r in results], 95):.2f} s")
    print(f"  usable page (login -> caseload, server started) p50/p95: "
          f"{statistics.median(pages):.1f} / {percentile(pages, 95):.1f} s")
    print(f"  usable form (risk form, server running) p50/p95: "
          f"{statistics.median(forms):.1f} / {percentile(forms, 95):.1f} s")


def report_saves(count: int, result: dict) -> None:
    rate = result["saves"] / result["seconds"]
    print(f"{count} concurrent writers on PostgreSQL (guarded store)")
    print(f"  saves accepted:             {result['saves']} in {result['seconds']:.1f} s"
          f" = {rate:.0f} saves/s")
    print(f"  conflicts reported:         {result['conflicts']} (re-read and saved again)")
    print(f"  lost writes:                {result['lost']}"
          + ("  OK" if result["lost"] == 0 else "  LOST WRITES"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50],
                        help="users logging in at once, one run each (0: writers only)")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--saves", type=int, default=30, help="accepted saves per writer")
    parser.add_argument("--db", help="a PostgreSQL server URL (a database is created)")
    args = parser.parse_args()
    for users in args.users:
        run_users(users, args, args.db)


if __name__ == "__main__":
    main()
