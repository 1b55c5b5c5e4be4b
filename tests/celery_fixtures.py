"""Reusable Celery fixtures and helpers. Import what you need into your app's
tests/<app>/conftest.py (pytest_plugins only works in the root conftest):

    from tests.celery_fixtures import celery_eager, private_redis, redis_broker_url  # noqa: F401

- `celery_eager`: tasks run in-process at .delay()/.apply_async() (Django's
  CELERY_TASK_ALWAYS_EAGER set after start-up does not reach Celery).
- `redis_broker_url`: REDIS_URL, or the test is skipped with the reason.
- `private_redis`: a redis-server of the test's own on a free port, with
  .stop() and .start() for broker-outage tests; never the shared one.
- `use_broker(url, queue)`: point the app at a broker and a private queue for a block.
- `running_worker(url, queue)`: a real Celery worker (solo pool, in a thread)
  consuming that queue, as in production but inside the test process.
- `wait_until(predicate)`: poll (the database) instead of sleeping blindly.

A test that starts a worker needs `@pytest.mark.django_db(transaction=True,
serialized_rollback=True)`: the worker thread has its own database connection
and only sees committed rows; serialized_rollback restores the reference data
(provinces, actors, duties) that the flush at the end of the test removes.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.db import OperationalError, connections

from pnpm_prov.celery import app


@pytest.fixture
def celery_eager():
    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def redis_broker_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs a Redis broker: set REDIS_URL (e.g. redis://127.0.0.1:6379/5) to run real-worker tests")
    return url


def unique_queue(prefix="test"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _reset_connections():
    # Producers and connections are pooled per broker URL in kombu's global
    # registries; closing only the app's pool would leave a closed pool
    # registered for that URL. Reset the registries so the next publish
    # connects afresh to the broker now configured.
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def use_broker(url, queue):
    """Send every task of the app to `queue` on the broker at `url` for the
    block (so nothing lands in another queue), then restore the settings and
    delete the queue's keys. Only keys named after `queue` are touched."""
    conf = app.conf
    before = (conf.broker_url, conf.broker_transport_options, conf.task_default_queue, conf.task_always_eager)
    conf.broker_url = url
    # max_retries=0: one connection attempt per publish. kombu's default
    # retries make each publish to a stopped broker stall about 6 s, which the
    # outage tests would pay on every enqueue (production settings do not set
    # it yet: see the meetings report).
    conf.broker_transport_options = {"visibility_timeout": 3600, "max_retries": 0}
    conf.task_default_queue = queue
    conf.task_always_eager = False
    _reset_connections()
    try:
        yield
    finally:
        _reset_connections()
        conf.broker_url, conf.broker_transport_options, conf.task_default_queue, conf.task_always_eager = before
        with contextlib.suppress(redis.RedisError):
            client = redis.Redis.from_url(url, socket_connect_timeout=1)
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
            client.close()


@contextlib.contextmanager
def running_worker(url, queue):
    """A real worker consuming `queue` at `url` while the block runs."""
    from celery.contrib.testing.worker import start_worker

    with use_broker(url, queue), start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]) as worker:
        yield worker


def queue_length(url, queue):
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return client.llen(queue)
    finally:
        client.close()


def wait_until(predicate, timeout=30.0, interval=0.1):
    """Poll `predicate` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except OperationalError:
            # SQLite's shared in-memory test database is briefly locked while
            # the worker thread writes: ask again.
            connections.close_all()
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server (no persistence) that a test may stop and start."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.pidfile = folder / "redis.pid"

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def is_up(self):
        # A raw PING: redis-py's own retries with back-off would make every
        # check against a stopped server take seconds.
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        subprocess.run(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.folder),
                "--pidfile",
                str(self.pidfile),
            ],
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 10
        while not self.is_up():
            if time.monotonic() > deadline:
                raise RuntimeError(f"private redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def stop(self):
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            timeout=10,
        )
        deadline = time.monotonic() + 10
        while self.is_up():
            if time.monotonic() > deadline:
                raise RuntimeError(f"private redis-server on port {self.port} did not stop")
            time.sleep(0.05)


@pytest.fixture
def private_redis(tmp_path):
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        pytest.skip("redis-server is not installed: the broker-outage test starts a private one on a free port")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def read_worker_command(unit="deploy/systemd/pnpm-worker@.service"):
    """The worker's command line from its systemd unit (ExecStart, with its
    continuation lines), as argv to run here: this virtualenv's celery, and
    without --hostname (the unit's uses systemd's %i and %%h)."""
    import shlex
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    text = (root / unit).read_text().replace("\\\n", " ")
    line = next(row for row in text.splitlines() if row.startswith("ExecStart="))
    argv = shlex.split(line.removeprefix("ExecStart="))
    argv[0] = str(Path(sys.executable).parent / Path(argv[0]).name)
    if "--hostname" in argv:
        at = argv.index("--hostname")
        del argv[at : at + 2]
    return argv
