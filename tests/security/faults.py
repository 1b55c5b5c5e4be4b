"""Helpers for the fault tests: a gunicorn server and Celery workers in
subprocesses, pointed at the test database."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({"DJANGO_SETTINGS_MODULE": "pnpm_prov.settings.test", "DATABASE_URL": test_database_url(), **extra})
    return env


def stop(process, sig=signal.SIGTERM, timeout=20):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Gunicorn:
    """gunicorn serving the app on a free loopback port, like production
    (persistent connections with health checks: CONN_MAX_AGE=60)."""

    def __init__(self, workers=2, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(ROOT / "var" / f"gunicorn-fault-{self.port}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "pnpm_prov.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "30", "--graceful-timeout", "5"],
            cwd=ROOT, env=child_env(CONN_MAX_AGE="60", **env), stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._up, 60, "gunicorn to answer")

    def _up(self):
        if self.process.poll() is not None:
            self.log.seek(0)
            raise AssertionError(f"gunicorn exited:\n{self.log.read()[-3000:]}")
        try:
            urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=2).read()
        except (urllib.error.URLError, ConnectionError):
            return False
        return True

    def stop(self):
        stop(self.process)
        self.log.close()


class Browser:
    """A logged-in HTTP client with a cookie jar (urllib, no dependency)."""

    def __init__(self, base, username, password):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base})
        final = self.opener.open(request, timeout=10)
        assert final.geturl().rstrip("/") == base, "login failed"

    def get(self, path, timeout=10):
        """(status, headers, body); never raises for an HTTP status."""
        try:
            with self.opener.open(f"{self.base}{path}", timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
