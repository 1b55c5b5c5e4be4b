"""Production settings refuse to start when unsafe."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "a-long-random-test-secret-0123456789-abcdefghijklmnopq"


def load_prod(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    clean.update(env, DJANGO_SETTINGS_MODULE="pnpm_prov.settings.prod")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prod_refuses_to_start_without_secret_key():
    result = load_prod()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_prod_refuses_to_start_with_debug_on():
    result = load_prod(SECRET_KEY=GOOD_KEY, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_prod_refuses_a_short_secret_key():
    result = load_prod(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_prod_starts_with_a_secret_and_debug_off():
    result = load_prod(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


def test_a_malformed_typed_variable_fails_loudly():
    result = load_prod(SECRET_KEY=GOOD_KEY, EMAIL_PORT="twenty-five")
    assert result.returncode != 0
    assert "EMAIL_PORT" in result.stderr or "invalid literal" in result.stderr


def prod_database(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("CONN_MAX_AGE", "DATABASE_URL", "DEBUG")}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default'].get('CONN_MAX_AGE')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": GOOD_KEY, "DJANGO_SETTINGS_MODULE": "pnpm_prov.settings.prod", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_prod_keeps_database_connections_for_60_seconds_by_default():
    # Django reads CONN_MAX_AGE from DATABASES["default"] only: a top-level
    # CONN_MAX_AGE setting left production on a connection per request.
    assert prod_database(DATABASE_URL="postgres://pnpm@127.0.0.1:5432/pnpm") == 60
    assert prod_database() == 60


def test_prod_takes_conn_max_age_from_the_environment():
    assert prod_database(DATABASE_URL="postgres://pnpm@127.0.0.1:5432/pnpm", CONN_MAX_AGE="300") == 300
    assert prod_database(DATABASE_URL="postgres://pnpm@127.0.0.1:5432/pnpm", CONN_MAX_AGE="0") == 0


def test_a_conn_max_age_on_the_database_url_wins():
    assert prod_database(DATABASE_URL="postgres://pnpm@127.0.0.1:5432/pnpm?conn_max_age=30", CONN_MAX_AGE="300") == 30
