"""The shared cache is Django's own Redis backend when REDIS_URL is set (the
settings, checked in a fresh interpreter), and works through it against a
real Redis (REDIS_URL)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from core import cache as shared_cache

ROOT = Path(__file__).resolve().parents[2]
needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL")


def settings_caches(**env):
    """CACHES as pnpm_prov/settings/base.py makes it with `env`."""
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | env
    code = "import json; from pnpm_prov.settings import base; print(json.dumps(base.CACHES))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_the_settings_name_djangos_redis_backend_when_redis_url_is_set():
    config = settings_caches(REDIS_URL="redis://127.0.0.1:6379/9")["default"]
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/9"
    # A Redis that does not answer must not hold a page up.
    assert config["OPTIONS"]["socket_timeout"] <= 1 and config["OPTIONS"]["socket_connect_timeout"] <= 1


def test_without_redis_url_each_process_keeps_its_own():
    assert settings_caches()["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def redis_cache(monkeypatch):
    config = settings_caches(REDIS_URL=os.environ["REDIS_URL"])["default"]
    # Parallel test workers share the Redis database: a prefix per test.
    config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    with override_settings(CACHES={"default": config}):
        yield caches["default"]


@needs_redis
def test_it_works_through_djangos_backend(redis_cache):
    assert redis_cache.get("missing") is None
    assert redis_cache.add("k", {"a": [1, 2]}, 30)
    assert not redis_cache.add("k", "other", 30)
    assert redis_cache.get("k") == {"a": [1, 2]}
    redis_cache.set("n", 1, 30)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["k", "n", "missing"]) == {"k": {"a": [1, 2]}, "n": 2}
    assert redis_cache.delete("k")
    assert redis_cache.get("k") is None
    redis_cache.delete("n")


@needs_redis
def test_cache_call_reads_and_writes_the_same_entries(redis_cache):
    assert shared_cache.cache_call("set", "badge", (1, 2), 30) is None
    assert redis_cache.get("badge") == (1, 2)
    assert shared_cache.cache_call("get", "badge") == (1, 2)
    shared_cache.cache_call("delete", "badge")
    assert redis_cache.get("badge") is None
