"""`make loadtest`: the app under gunicorn on 127.0.0.1, against PostgreSQL
with the benchmark's 10^5-task dataset, driven by locust (headless) with
logged-in users of several roles, one page at a time for a bounded time.

The pages take turns: LOADTEST_ROUNDS rounds, each giving every page an
equal slice of its time, so that a machine whose speed drifts (a shared VM)
slows every page alike instead of whichever page ran last.

Prints, per page: requests, errors, requests/s (mean of the rounds), median
latency (median of the rounds) and p99 (the worst round), each as a ratio to
the health view, and each round's throughput ratio. Writes
var/loadtest/results.json. Exits 1 when any request failed.

Environment: DATABASE_URL (PostgreSQL, required), REDIS_URL (the broker and
the shared cache, as in production; unset: each worker caches alone),
LOADTEST_SIZE (100000), LOADTEST_USERS (10), LOADTEST_SECONDS (30 per page,
over all rounds), LOADTEST_ROUNDS (3), LOADTEST_WORKERS (3).
Only 127.0.0.1 is ever contacted.
"""

import csv
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "loadtest"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LOCUST = ROOT / "var" / "locust-venv" / "bin" / "locust"

sys.path.insert(0, str(Path(__file__).parent))
from pages import BASELINE, PAGES  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(size, password):
    print(f"preparing the dataset ({size:,} tasks; kept between runs)...", flush=True)
    result = subprocess.run(
        [PYTHON, "manage.py", "loadtest_data", "--size", str(size), f"--password={password}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pnpm_prov.settings.dev"},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"loadtest_data failed:\n{result.stdout}\n{result.stderr}")
    print(result.stdout.rstrip())
    return result.stdout.strip().splitlines()[-1]


POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


def app_environment(database_url, **extra):
    """The environment the app runs under for measuring: the load-test
    settings (production's, on plain HTTP), a kept database connection."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pnpm_prov.settings.loadtest",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "CONN_MAX_AGE": "60",
        # The API's per-person throttle (API_RATE) would refuse the simulated
        # users: measured here is the work, not the limit.
        "API_RATE": "100000000/hour",
        **extra,
    }


def start_server(database_url, port, workers, log):
    env = app_environment(database_url)
    command = [GUNICORN, "pnpm_prov.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited; see {log.name}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def run_page(name, port, users, seconds, password, round_number):
    prefix = OUT / f"{name}-{round_number}"
    env = {**os.environ, "LOADTEST_PAGE": name, "LOADTEST_PASSWORD": password}
    command = [
        LOCUST, "-f", ROOT / "loadtest" / "locustfile.py", "--headless", "--only-summary", "--reset-stats",
        "--host", f"http://127.0.0.1:{port}", "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{seconds}s", "--stop-timeout", "10", "--csv", prefix, "--loglevel", "WARNING",
    ]  # fmt: skip
    print(f"  round {round_number}, {name}: {users} users for {seconds} s...", flush=True)
    with open(f"{prefix}.log", "w") as log:
        subprocess.run([str(c) for c in command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    row = rows.get(name)
    logins = rows.get("login", {})
    if row is None:
        return {"page": name, "requests": 0, "errors": 0, "rps": 0.0, "median_ms": None, "p99_ms": None}
    return {
        "page": name,
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]) + int(logins.get("Failure Count", 0) or 0),
        "rps": float(row["Requests/s"]),
        "median_ms": float(row["50%"]),
        "p99_ms": float(row["99%"]),
    }


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def combine(rounds):
    """One page's rounds as one result (see the module docstring)."""
    measured = [r for r in rounds if r["requests"]]
    return {
        "page": rounds[0]["page"],
        "requests": sum(r["requests"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "rps": statistics.mean(r["rps"] for r in rounds),
        "median_ms": statistics.median(r["median_ms"] for r in measured) if measured else None,
        "p99_ms": max(r["p99_ms"] for r in measured) if measured else None,
        "rounds": rounds,
    }


def main():
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(POSTGRES_SCHEMES):
        sys.exit("make loadtest needs PostgreSQL: DATABASE_URL=postgres://user@127.0.0.1:5432/db make loadtest")
    size = int(os.environ.get("LOADTEST_SIZE", 100_000))
    users = int(os.environ.get("LOADTEST_USERS", 10))
    seconds = int(os.environ.get("LOADTEST_SECONDS", 30))
    rounds = max(1, int(os.environ.get("LOADTEST_ROUNDS", 3)))
    slice_seconds = max(1, round(seconds / rounds))
    workers = int(os.environ.get("LOADTEST_WORKERS", 3))
    OUT.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    name = prepare(size, password)
    load_url = database_url.rsplit("/", 1)[0] + "/" + name
    port = free_port()
    with open(OUT / "gunicorn.log", "w") as log:
        server = start_server(load_url, port, workers, log)
        try:
            print(f"gunicorn: {workers} workers on 127.0.0.1:{port}")
            redis_url = os.environ.get("REDIS_URL")
            print(f"cache: {'Redis ' + redis_url if redis_url else 'per process (set REDIS_URL for the shared cache)'}")
            by_page = {page: [] for page, _path, _roles in PAGES}
            for round_number in range(1, rounds + 1):
                for page in by_page:
                    by_page[page].append(run_page(page, port, users, slice_seconds, password, round_number))
            results = [combine(page_rounds) for page_rounds in by_page.values()]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    base = next(r for r in results if r["page"] == BASELINE)
    for r in results:
        r["rps_vs_healthz"] = ratio(r["rps"], base["rps"])
        r["median_vs_healthz"] = ratio(r["median_ms"], base["median_ms"])
        r["p99_vs_healthz"] = ratio(r["p99_ms"], base["p99_ms"])
        r["rps_vs_healthz_by_round"] = [
            ratio(mine["rps"], theirs["rps"]) for mine, theirs in zip(r["rounds"], base["rounds"], strict=True)
        ]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    meta = {
        "tasks": size,
        "users": users,
        "rounds": rounds,
        "seconds_per_page_per_round": slice_seconds,
        "gunicorn_workers": workers,
    }
    (OUT / "results.json").write_text(json.dumps({**meta, "machine": machine, "pages": results}, indent=2) + "\n")
    print()
    header = f"{'page':<14}{'requests':>9}{'errors':>7}{'req/s':>8}{'median ms':>10}{'p99 ms':>8}"
    print(header + f"{'req/s ×':>9}{'median ×':>9}{'p99 ×':>7}   (× = ratio to {BASELINE})")
    for r in results:
        print(
            f"{r['page']:<14}{r['requests']:>9}{r['errors']:>7}{r['rps']:>8.1f}{r['median_ms'] or 0:>10.0f}"
            f"{r['p99_ms'] or 0:>8.0f}{r['rps_vs_healthz'] or 0:>9.2f}{r['median_vs_healthz'] or 0:>9.2f}"
            f"{r['p99_vs_healthz'] or 0:>7.2f}"
        )
    print("\nreq/s × per round:")
    for r in results:
        if r["page"] != BASELINE:
            print(f"  {r['page']:<14}" + " ".join(f"{x or 0:.2f}" for x in r["rps_vs_healthz_by_round"]))
    print(
        f"\n{size:,} tasks, {users} users per page, {rounds} rounds of {slice_seconds} s per page, "
        f"{workers} gunicorn workers; {machine}"
    )
    print(f"written: {OUT / 'results.json'}")
    errors = sum(r["errors"] for r in results)
    if errors:
        print(f"{errors} requests failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
