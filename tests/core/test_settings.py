"""Production settings refuse to start when unsafe."""

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
