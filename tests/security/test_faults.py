"""Faults: the database going away and coming back, a worker killed mid-task.

The PostgreSQL tests never touch the shared server: they refuse and cut
connections to their own test database only (ALTER DATABASE ... ALLOW_CONNECTIONS,
pg_terminate_backend), which is what clients see while PostgreSQL restarts."""

import datetime
import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter

import pytest
from django.db import IntegrityError, OperationalError, connection
from django.test import Client

from tests.factories import PASSWORD, member
from tests.security import faults

UNAVAILABLE = "Layanan sedang tidak tersedia"


@pytest.mark.django_db
def test_an_unreachable_database_is_a_503_page_with_retry_after(pjoprov_member, monkeypatch):
    import home.views

    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(home.views, "current_memberships", down)
    client = Client(raise_request_exception=False)
    client.force_login(pjoprov_member)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert UNAVAILABLE in page and "Traceback" not in page


@pytest.mark.django_db
def test_any_other_error_is_a_plain_500_page(pjoprov_member, monkeypatch):
    import home.views

    def broken(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(home.views, "current_memberships", broken)
    client = Client(raise_request_exception=False)
    client.force_login(pjoprov_member)
    response = client.get("/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL): SQLite has no server to lose"
)


def _run_sql(sql):
    # From the maintenance database: PostgreSQL refuses ALTER DATABASE ...
    # ALLOW_CONNECTIONS on the database a session is connected to.
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql)


def _cut_connections(database):
    # From the test's own connection, which is spared.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )


def _load(browser, stop_event, results, phase):
    """Request / until told to stop, recording (phase, status, body marker)."""
    while not stop_event.is_set() and len(results) < 5000:
        status, headers, body = browser.get("/")
        results.append((phase[0], status, UNAVAILABLE in body, headers.get("Retry-After")))
        time.sleep(0.02)


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_going_away_under_load_gives_503s_and_the_app_recovers_without_restart():
    user = member("pjoprov", "33", username="pjo-fault")
    database = connection.settings_dict["NAME"]
    server = faults.Gunicorn(workers=2)
    pid = server.process.pid
    browsers = [faults.Browser(server.base, user.username, PASSWORD) for _ in range(4)]
    phase, results, stop_event = ["before"], [], threading.Event()
    threads = [threading.Thread(target=_load, args=(b, stop_event, results, phase)) for b in browsers]
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        # 1. Every server connection dropped (what a restart does to open connections).
        phase[0] = "cut"
        _cut_connections(database)
        time.sleep(1.0)
        # 2. The server refuses new connections for a while (PostgreSQL starting up).
        phase[0] = "down"
        _run_sql(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
        _cut_connections(database)
        time.sleep(2.0)
        # 3. Back: the same gunicorn processes serve again, nobody restarted them.
        _run_sql(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')
        phase[0] = "back"
        time.sleep(1.5)
        phase[0] = "after"
        time.sleep(1.0)
    finally:
        stop_event.set()
        for t in threads:
            t.join(30)
        _run_sql(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')
        server.stop()
    by_phase = Counter((p, status) for p, status, _u, _r in results)
    statuses = {status for _p, status, _u, _r in results}
    assert statuses <= {200, 503}, by_phase  # never a 500, never a dropped connection
    assert by_phase[("before", 200)] > 0 and by_phase[("before", 503)] == 0, by_phase
    # A dropped idle connection is noticed by the health check and replaced;
    # only a request whose query was running at that instant gets a 503.
    assert by_phase[("cut", 503)] <= len(browsers) and by_phase[("cut", 200)] > 0, by_phase
    assert by_phase[("down", 503)] > 0, by_phase
    assert all(unavailable and retry == "30" for p, s, unavailable, retry in results if s == 503)
    assert by_phase[("after", 200)] > 0 and by_phase[("after", 503)] == 0, by_phase
    assert server.process.pid == pid


needs_redis = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL): the worker runs in another process",
)


def _worker(queue, log_path):
    return subprocess.Popen(
        [str(faults.BIN / "celery"), "-A", "pnpm_prov", "worker", "--pool", "solo", "--queues", queue,
         "--include", "tests.security.fault_tasks", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "--loglevel", "INFO"],
        cwd=faults.ROOT,
        env=faults.child_env(DJANGO_SETTINGS_MODULE="tests.security.worker_settings"),
        stdout=open(log_path, "a"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip


@needs_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_task_runs_it_again_and_the_effect_happens_once(tmp_path):
    import redis

    from duties.models import Task
    from pnpm_prov.celery import app

    day = datetime.date(2026, 10, 12)
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    first = _worker(queue, log_path)
    second = None
    try:
        app.send_task("tests.reconcile_then_stall", args=[day.isoformat(), str(tmp_path)], queue=queue)
        faults.wait_for(lambda: (tmp_path / "run-1.json").exists(), 60, "the first run of the task")
        created_once = Task.objects.count()
        assert json.loads((tmp_path / "run-1.json").read_text())["tasks_created"] == created_once > 0
        # The task's effect is committed; the worker dies before acknowledging it.
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        second = _worker(queue, log_path)
        faults.wait_for(lambda: (tmp_path / "run-2.json").exists(), 90, "the task to be delivered again")
    finally:
        for process in (first, second):
            if process is not None:
                faults.stop(process)
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()
    assert json.loads((tmp_path / "run-2.json").read_text())["tasks_created"] == 0
    assert Task.objects.count() == created_once
    keys = list(Task.objects.values_list("actor_id", "duty_id", "period"))
    assert len(keys) == len(set(keys))
