"""core.cache.RedisCache: Django's Redis cache with one client per pool,
against a real Redis (REDIS_URL)."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL")


@pytest.fixture
def redis_cache():
    config = {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        # Parallel test workers share the Redis database: a prefix per test.
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": config}):
        yield caches["default"]


def test_it_keeps_one_client_and_works_like_djangos(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
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
    assert redis_cache._cache.get_client() is client


def test_each_thread_has_its_own_backend_and_client(redis_cache):
    # Django keeps a backend per thread (caches is thread-local); the client
    # is kept by the backend, so a thread never sees another's.
    import threading

    seen = []
    thread = threading.Thread(target=lambda: seen.append(caches["default"]._cache.get_client()))
    thread.start()
    thread.join()
    assert seen[0] is not redis_cache._cache.get_client()
